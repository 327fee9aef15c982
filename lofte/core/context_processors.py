from typing import Any

from django.conf import settings
from django.http import HttpRequest


def map_tiles(request: HttpRequest) -> dict[str, dict[str, Any]]:
    """The background map's tile server and the attribution its terms ask for."""
    return {"map_tiles": {"url": settings.LOFTE_TILES_URL, "attribution": settings.LOFTE_TILES_ATTRIBUTION}}


def languages(request: HttpRequest) -> dict[str, Any]:
    """The site's languages, each named in its own language (a switch is read by those who need it)."""
    return {"site_languages": settings.LANGUAGES}
