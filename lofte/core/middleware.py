"""Responses that protect themselves: a Content-Security-Policy on every page, and a busy or full
database answering 503 (busy: with Retry-After) instead of 500.

On SQLite one writer at a time holds the database: a web write behind a long import waits up to
`LOFTE_SQLITE_TIMEOUT` seconds; if the import still holds it then, the client is told to come back
(phones retry their patrol and seizure posts) instead of seeing a server error.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db.utils import DatabaseError, OperationalError
from django.http import JsonResponse
from django.utils.translation import gettext as _

from .faults import is_disk_full

RETRY_AFTER_SECONDS = 10
BUSY_MARKERS = ("database is locked", "database table is locked", "lock timeout")


class DatabaseBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DatabaseError):
            return None
        if is_disk_full(exception):
            detail = _("The server's storage is full, so nothing was saved. Please tell the site's administrator.")
            return JsonResponse({"detail": detail, "errors": []}, status=503)
        if not isinstance(exception, OperationalError) or not any(m in str(exception) for m in BUSY_MARKERS):
            return None
        detail = _("The database is busy (an import is running). Try again in a few seconds.")
        response = JsonResponse({"detail": detail, "errors": []}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def csp_header(tiles_url):
    """The policy: scripts, styles, fonts and data only from this site; images also from the tile server.

    Inline style attributes are allowed (progress bars and interval bars are drawn with them); inline
    scripts are not, so injected markup cannot run.
    """
    tiles = urlsplit(tiles_url)  # e.g. https://{s}.tile.example.org/{z}/{x}/{y}.png
    tile_origin = f" {tiles.scheme}://{tiles.netloc.replace('{s}', '*')}" if tiles.netloc else ""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "style-src-attr 'unsafe-inline'",
            f"img-src 'self' data:{tile_origin}",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def content_security_policy(get_response):
    header = csp_header(settings.LOFTE_TILES_URL)

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", header)
        return response

    return middleware
