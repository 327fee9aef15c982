from django.conf import settings

from lofte.accounts.models import Role
from lofte.accounts.permissions import has_role


def navigation(request):
    """What the navigation offers this user (each page still checks on the server)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_patrol": has_role(user, [Role.OFFICER]),
        "nav_surveys": has_role(user),
        "nav_organisation": user.is_superuser or has_role(user, [Role.ADMIN]),
        "nav_import": user.is_superuser or has_role(user, [Role.ANALYST]),
        "nav_dialogues": user.is_superuser or has_role(user, [Role.OWNER, Role.ANALYST]),
    }


def map_tiles(request):
    """The background map's tile server and the attribution its terms ask for."""
    return {"map_tiles": {"url": settings.LOFTE_TILES_URL, "attribution": settings.LOFTE_TILES_ATTRIBUTION}}


def languages(request):
    """The site's languages, each named in its own language (a switch is read by those who need it)."""
    return {"site_languages": settings.LANGUAGES}
