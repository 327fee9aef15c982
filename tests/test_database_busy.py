"""SQLite takes one writer at a time: writers queue (immediate transactions, a busy timeout) and a
write that still finds the database busy answers 503 with Retry-After, not 500."""

from django.db import connection
from django.db.utils import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase

from lofte.config import settings as site_settings
from lofte.core.middleware import DatabaseBusyMiddleware


def busy_view(request):
    raise OperationalError("database is locked")


class DatabaseBusyTests(SimpleTestCase):
    def respond(self, error):
        middleware = DatabaseBusyMiddleware(lambda request: HttpResponse())
        return middleware.process_exception(RequestFactory().post("/api/v1/patrols/"), error)

    def test_it_answers_503_with_retry_after_when_the_database_is_locked(self):
        response = self.respond(OperationalError("database is locked"))
        self.assertEqual((response.status_code, response["Retry-After"]), (503, "10"))

    def test_it_says_so_when_the_disk_is_full(self):
        from django.utils import translation

        with translation.override("en"):
            response = self.respond(OperationalError("database or disk is full"))
        self.assertEqual(response.status_code, 503)
        self.assertIn(b"storage is full", response.content)
        self.assertFalse(response.has_header("Retry-After"))

    def test_it_leaves_other_database_errors_to_the_server_error_page(self):
        self.assertIsNone(self.respond(OperationalError("no such table: x")))
        self.assertIsNone(self.respond(ValueError("database is locked")))

    def test_sqlite_writers_begin_immediately_and_wait_for_each_other(self):
        if connection.vendor != "sqlite":
            self.skipTest("SQLite only")
        options = site_settings.DATABASES["default"]["OPTIONS"]
        self.assertEqual((options["transaction_mode"], options["timeout"]), ("IMMEDIATE", 30))
