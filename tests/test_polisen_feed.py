"""`lofte fetch-polisen` against a local server that replays a recorded polisen.se response (no network):
the terms' User-Agent and call limits, the archive of every event, and an idempotent import."""

import json
import threading
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
