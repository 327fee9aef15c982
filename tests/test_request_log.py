"""The server log: one line per request, no traceback for a visitor's 403 or 404, nothing twice."""

import logging

from django.test import override_settings

from .base import BaseTestCase


class RequestLogTests(BaseTestCase):
    def test_it_writes_one_line_per_request_without_the_query(self):
        with self.assertLogs("lofte.request", "INFO") as caught:
            self.client.get("/en/?code=ABCDE-12345")
        self.assertEqual(len(caught.records), 1)
        self.assertRegex(caught.output[0], r"GET /en/ 200 \d+ ms$")
        self.assertNotIn("ABCDE", caught.output[0])

    def test_a_403_or_404_is_one_line_without_a_traceback(self):
        self.client.force_login(self.officer)
        root = logging.getLogger()
        records = []
        handler = logging.Handler()
        handler.emit = records.append
        root.addHandler(handler)
        self.addCleanup(root.removeHandler, handler)
        self.assertEqual(self.client.get("/personal/import/").status_code, 403)
        self.assertEqual(self.client.get("/finns-inte/").status_code, 404)
        logged = [(r.name, r.getMessage()) for r in records if r.levelno >= logging.INFO]
        self.assertEqual([name for name, _ in logged], ["lofte.request", "lofte.request"], logged)
        self.assertTrue(all(r.exc_info is None for r in records))

    @override_settings(DEBUG=True)
    def test_django_has_no_handler_of_its_own(self):
        self.assertEqual(logging.getLogger("django").handlers, [])
