from django.conf import settings


def map_tiles(request):
    """The background map's tile server and the attribution its terms ask for."""
    return {"map_tiles": {"url": settings.LOFTE_TILES_URL, "attribution": settings.LOFTE_TILES_ATTRIBUTION}}


def languages(request):
    """The site's languages, each named in its own language (a switch is read by those who need it)."""
    return {"site_languages": settings.LANGUAGES}
