"""`lofte fetch-polisen` against a local server that replays a recorded polisen.se response (no network):
the terms' User-Agent and call limits, the archive of every event, and an idempotent import."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.test import TestCase

from lofte.incidents.models import Incident
from lofte.incidents.polisen_feed import MAX_PER_HOUR, TooSoon, fetch

from .shared_data import shared_file


class Replay(BaseHTTPRequestHandler):
    body = b"[]"
    asked: list = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        Replay.asked.append((self.path, self.headers.get("User-Agent")))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(Replay.body)

    def log_message(self, *args):
        pass


class PolisenFeedTests(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        recorded = shared_file("polisen", "events-2025-06.json")  # skips with a reason when absent
        Replay.body = Path(recorded).read_bytes()
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), Replay)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.url = f"http://127.0.0.1:{cls.server.server_port}/api/events"

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        super().tearDownClass()

    def setUp(self):
        import tempfile

        self.archive = Path(tempfile.mkdtemp())
        Replay.asked = []

    def test_it_archives_every_event_and_imports_only_new_ones(self):
        first = fetch(self.archive, county="Västra Götalands län", url=self.url, user_agent="Löfte/0.1 (+https://x.se)",
                      now=1_000_000.0)  # fmt: skip
        self.assertEqual((first.events, first.new), (500, 500))
        self.assertEqual(Incident.objects.count(), first.run.imported)
        self.assertGreater(first.run.imported, 400)
        path, agent = Replay.asked[0]
        self.assertIn("locationname=V%C3%A4stra+G%C3%B6talands+l%C3%A4n", path)
        self.assertEqual(agent, "Löfte/0.1 (+https://x.se)")
        self.assertEqual(len(json.loads((self.archive / "events.json").read_text())), 500)
        again = fetch(self.archive, url=self.url, user_agent="Löfte", now=1_000_011.0)
        self.assertEqual((again.new, again.run), (0, None))
        self.assertEqual(len(list((self.archive / "responses").glob("*.json"))), 3)  # two responses, one batch

    def test_it_keeps_to_the_feeds_limits(self):
        fetch(self.archive, url=self.url, user_agent="Löfte", now=2_000_000.0)
        with self.assertRaises(TooSoon) as soon:
            fetch(self.archive, url=self.url, user_agent="Löfte", now=2_000_005.0)
        self.assertAlmostEqual(soon.exception.wait, 5.0)
        (self.archive / "calls.json").write_text(json.dumps([2_000_000.0 + 30 * k for k in range(MAX_PER_HOUR)]))
        with self.assertRaises(TooSoon):
            fetch(self.archive, url=self.url, user_agent="Löfte", now=2_000_000.0 + 30 * MAX_PER_HOUR)
        self.assertEqual(len(Replay.asked), 1)  # the refused calls never reached the server

    def test_the_command_names_the_installation_and_says_what_it_did(self):
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        with self.settings(LOFTE_PUBLIC_URL="https://trygghet.example.se"):
            call_command("fetch-polisen", "--archive", str(self.archive), "--url", self.url, stdout=out)
        self.assertIn("500 events, 500 new; imported", out.getvalue())
        self.assertTrue(Replay.asked[0][1].startswith("Löfte/"))
        self.assertIn("https://trygghet.example.se", Replay.asked[0][1])


class HostileFeedTests(TestCase):
    """A feed that lies: bad events are skipped by name, oversized or slow answers cut off, redirects
    only to the web (issue 21)."""

    def serve(self, handler):
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return f"http://127.0.0.1:{server.server_port}/api/events"

    def fetch(self, url, **limits):
        import tempfile

        return fetch(tempfile.mkdtemp(), url=url, user_agent="test", **limits)

    def answering(self, body, *, status=200, headers=(), pause=0.0):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                for byte in [body[i : i + 1] for i in range(len(body))] if pause else [body]:
                    self.wfile.write(byte)
                    self.wfile.flush()
                    time.sleep(pause)

            def log_message(self, *args):
                pass

        return self.serve(Handler)

    def test_it_skips_and_names_events_without_an_id_and_keeps_lone_surrogates(self):
        event = {"id": 7, "datetime": "2025-06-07 7:32:06 +02:00", "name": "06 juni 18.50, Rån, Göteborg",
                 "summary": "Rån \udc80", "url": "/x", "type": "Rån",
                 "location": {"name": "Göteborg", "gps": "57.70,11.97"}}  # fmt: skip
        body = json.dumps([{"name": "no id"}, 5, event]).encode()
        found = self.fetch(self.answering(body))
        self.assertEqual(found.skipped, ("event 1: id: missing or not a number or text", "event 2: not an object"))
        self.assertEqual((found.events, found.new), (3, 1))

    def test_it_refuses_deep_nesting_and_oversized_or_slow_answers(self):
        with self.assertRaisesRegex(ValueError, "not valid JSON"):
            self.fetch(self.answering(b"[" * 100_000 + b"]" * 100_000))
        with self.assertRaisesRegex(ValueError, "larger than"):
            self.fetch(self.answering(b"[" + b" " * 300_000 + b"]"), max_bytes=100_000)
        with self.assertRaisesRegex(ValueError, "took longer than"):
            self.fetch(self.answering(b"[1, 2, 3, 4, 5]", pause=0.2), deadline=0.5)

    def test_it_follows_redirects_only_to_http_and_https(self):
        url = self.answering(b"", status=302, headers=[("Location", "ftp://127.0.0.1/events")])
        with self.assertRaisesRegex(OSError, "redirect to 'ftp://127.0.0.1/events' refused"):
            self.fetch(url)
        with self.assertRaisesRegex(ValueError, "only http and https"):
            self.fetch("file:///etc/passwd")
