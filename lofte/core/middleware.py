"""A database that is busy answers 503 with Retry-After, not 500.

On SQLite one writer at a time holds the database: a web write behind a long import waits up to
`LOFTE_SQLITE_TIMEOUT` seconds; if the import still holds it then, the client is told to come back
(phones retry their patrol and seizure posts) instead of seeing a server error.
"""

from django.db.utils import OperationalError
from django.http import JsonResponse
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 10
BUSY_MARKERS = ("database is locked", "database table is locked", "lock timeout")


class DatabaseBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError) or not any(m in str(exception) for m in BUSY_MARKERS):
            return None
        detail = _("The database is busy (an import is running). Try again in a few seconds.")
        response = JsonResponse({"detail": detail, "errors": []}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
