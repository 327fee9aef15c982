"""One line in the server log for every request: method, path, status and time taken.

The query string is left out (it can hold a survey code or a search), and so is who asked. Django's
own request log is kept for server errors (500, with their traceback): a 403 or 404 is the visitor's
business, already in this line, and needs no traceback."""

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

log = logging.getLogger("lofte.request")


def request_log(get_response: Callable) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = get_response(request)
        took = (time.perf_counter() - started) * 1000
        log.info("%s %s %s %.0f ms", request.method, request.path, response.status_code, took)
        return response

    return middleware
