"""Linking areas to an organisation on behalf of its administrators.

A link opens the area's incidents (in aggregate; points to analysts) to the organisation's members,
so it needs the consent of an organisation that holds the area: an administrator links only areas
held by an organisation where they are an administrator or an owner too (any other sharing goes
through an invitation to be a party to a promise, which the other organisation's owner accepts, or
through a superuser).
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lofte.accounts.models import Organisation
from lofte.accounts.permissions import organisations
from lofte.core.problems import InputProblem

from .models import Area
from .permissions import areas


class LinkError(InputProblem):
    """A link the administrator may not make."""


def linkable_areas(user: Any) -> QuerySet[Area]:
    """The areas held by an organisation where `user` is an administrator or owner (all: a superuser)."""
    return areas.visible(user, "link")


def link_area(user: Any, organisation: Organisation, area: Area) -> None:
    _may(user, organisation)
    if not linkable_areas(user).filter(pk=area.pk).exists():
        raise LinkError(
            "area", _("You can link only areas of an organisation where you are an administrator or owner.")
        )
    organisation.areas.add(area)


def unlink_area(user: Any, organisation: Organisation, area: Area) -> None:
    _may(user, organisation)
    organisation.areas.remove(area)


def _may(user: Any, organisation: Organisation) -> None:
    if not organisations.can(user, "change", organisation):
        raise LinkError("organisation", _("Only the organisation's administrators link its areas."), 403)
