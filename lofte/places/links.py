"""Linking areas to an organisation on behalf of its administrators.

A link opens the area's incidents (in aggregate; points to analysts) to the organisation's members,
so an administrator links only areas that one of their organisations already shares (a new area
comes from a promise's planning or a superuser).
"""

from django.utils.translation import gettext as _

from lofte.accounts.permissions import organisations
from lofte.core.problems import InputProblem

from .permissions import areas


class LinkError(InputProblem):
    """A link the administrator may not make."""


def linkable_areas(user):
    return areas.visible(user, "use")


def link_area(user, organisation, area):
    _may(user, organisation)
    if not linkable_areas(user).filter(pk=area.pk).exists():
        raise LinkError("area", _("You can link only areas your organisations already share."))
    organisation.areas.add(area)


def unlink_area(user, organisation, area):
    _may(user, organisation)
    organisation.areas.remove(area)


def _may(user, organisation):
    if not organisations.can(user, "change", organisation):
        raise LinkError("organisation", _("Only the organisation's administrators link its areas."), 403)
