from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


def api_language(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Let API clients choose the language of messages with Accept-Language.

    Pages take their language from the URL (/en/...); LocaleMiddleware therefore pins
    every unprefixed path, the API included, to Swedish. API paths have no prefix, so
    here the header decides (Swedish when it names no supported language).
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return get_response(request)

    return middleware
