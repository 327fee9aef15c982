"""Responses that protect themselves: a Content-Security-Policy on every page, a request body above
the documented size answered 413 before it is read, and a busy or full database answering 503
(busy: with Retry-After) instead of 500.

On SQLite one writer at a time holds the database: a web write behind a long import waits up to
`LOFTE_SQLITE_TIMEOUT` seconds; if the import still holds it then, the client is told to come back
(phones retry their patrol and seizure posts) instead of seeing a server error.
"""

import functools
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.utils import DatabaseError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from .faults import is_disk_full

RETRY_AFTER_SECONDS = 10
BUSY_MARKERS = ("database is locked", "database table is locked", "lock timeout")


class DatabaseBusyMiddleware:
    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> JsonResponse | None:
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


def csp_header(tiles_url: str) -> str:
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


def content_security_policy(get_response: Callable) -> Callable[[HttpRequest], HttpResponse]:
    header = csp_header(settings.LOFTE_TILES_URL)

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", header)
        return response

    return middleware


# A JSON string escape for U+0000 that is not itself an escaped backslash followed by "u0000".
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def refuse_nul_characters(get_response: Callable) -> Callable[[HttpRequest], HttpResponse]:
    """400 (422 under /api/) for a NUL character in the path, the query string or a JSON body: no text field can store
    it (PostgreSQL refuses it outright, a server error there), and no real input holds one. Form
    fields refuse it themselves (Django's ProhibitNullCharactersValidator); uploaded files may."""

    def middleware(request: HttpRequest) -> HttpResponse:
        content_type = request.META.get("CONTENT_TYPE", "")
        found = "\x00" in request.path_info or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        )
        if not found and content_type.startswith("application/json"):
            found = b"\x00" in request.body or _JSON_NUL.search(request.body) is not None
        if not found:
            return get_response(request)
        detail = _("The request holds a NUL character, which no field can store.")
        if request.path_info.startswith("/api/"):
            # 422, the status the API's document gives every operation for input it will not process
            # (a 400 there was undocumented: the API fuzz test found it).
            return JsonResponse({"detail": detail, "errors": []}, status=422)
        return HttpResponse(detail, status=400, content_type="text/plain; charset=utf-8")

    return middleware


def body_size_limit(get_response: Callable) -> Callable[[HttpRequest], HttpResponse]:
    """413 for a request whose body is larger than `LOFTE_MAX_BODY_MB` (the incident import page:
    `LOFTE_IMPORT_MAX_MB`), decided from its Content-Length before anything reads it; in JSON under
    /api/, as the API's other errors."""

    @functools.cache  # the URLconf is not loaded yet when the middleware is made: looked up once, later
    def import_path() -> str:
        from django.urls import reverse
        from django.utils import translation

        with translation.override(settings.LANGUAGE_CODE):  # the default language has no prefix
            return reverse("import")

    def middleware(request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.LOFTE_MAX_BODY_MB
        if request.path_info.endswith(import_path()):  # "/personal/import/", under any language's prefix
            limit = settings.LOFTE_IMPORT_MAX_MB
        if length > limit * 1_000_000:
            detail = _("The request is larger than %(limit)s MB.") % {"limit": limit}
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": detail, "errors": []}, status=413)
            return HttpResponse(detail, status=413, content_type="text/plain; charset=utf-8")
        return get_response(request)

    return middleware
