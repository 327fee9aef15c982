"""Who may see and change areas and places, and read an area's situation picture.

Outlines and places are public facts (they are drawn on public promise pages), so every member sees
them; they are changed, and an area's incidents read, only within the organisations linked to the area.
"""

from typing import Any

from django.db.models import QuerySet

from lofte.accounts.models import Role
from lofte.accounts.permissions import ANY_ROLE, Policy

from .models import Area, Place

EDITORS = (Role.OWNER, Role.ANALYST)


class AreaPolicy(Policy):
    model = Area
    roles = {
        "view": ANY_ROLE,
        "add": EDITORS,
        "change": EDITORS,
        "delete": (),
        "situation": ANY_ROLE,  # the situation picture in aggregate, small counts suppressed
        "see_points": (Role.ANALYST,),  # incident points and rows, every read logged
        "use": ANY_ROLE,  # pick it for a record of one's organisation
        # link it to another organisation: a link opens its incidents, so only with the consent of one
        # holding it (places.links)
        "link": (Role.ADMIN, Role.OWNER),
    }

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(organisations__in=org_ids)

    def extra(self, user: Any, action: str, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows if action == "view" else rows.none()


class PlacePolicy(Policy):
    model = Place
    roles = {
        "view": ANY_ROLE,
        "add": EDITORS,
        "change": EDITORS,
        "delete": EDITORS,
        "log": (Role.OFFICER,),  # officers log patrols at places in their organisations' areas
        "use": ANY_ROLE,  # pick it for a record of one's organisation
    }
    membership_only = frozenset({"log"})  # a patrol is logged for an organisation, so by its officers

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(area__organisations__in=org_ids)

    def extra(self, user: Any, action: str, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows if action == "view" else rows.none()


areas = AreaPolicy()
places = PlacePolicy()
