"""Who may log, see and change activity records (patrols, seizures, other activities) and units.

Officers log for their organisations; owners, analysts and administrators see their organisations'
records; officers see and correct their own; owners correct their organisations'.
"""

from typing import Any

from django.db.models import QuerySet

from lofte.accounts.models import Organisation, Role
from lofte.accounts.permissions import ANY_ROLE, Policy

from .models import Activity, Patrol, Seizure, StreetPrice, Unit

RECORD_ROLES: dict[str, tuple[str, ...]] = {
    "view": (Role.OWNER, Role.ANALYST, Role.ADMIN),
    "add": (Role.OWNER, Role.OFFICER),
    "change": (Role.OWNER,),
    "delete": (Role.OWNER,),
    "log": (Role.OFFICER,),  # log from the phone page and the API, for the officer's organisation
}


class RecordPolicy(Policy):
    """Records of one organisation (`organisation`); the author may see and change their own."""

    roles = RECORD_ROLES
    membership_only = frozenset({"log"})  # logged in an organisation's name, so by its officers only

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(organisation__in=org_ids)

    def extra(self, user: Any, action: str, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.filter(created_by=user) if action in ("view", "change", "delete") else rows.none()


class PatrolPolicy(RecordPolicy):
    model = Patrol


class SeizurePolicy(RecordPolicy):
    model = Seizure


class ActivityPolicy(RecordPolicy):
    """Meetings and walks are held by several organisations together."""

    model = Activity

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(organisations__in=org_ids)


class UnitPolicy(Policy):
    model = Unit
    roles = {
        "view": ANY_ROLE,
        "add": (Role.OWNER, Role.ADMIN),
        "change": (Role.OWNER, Role.ADMIN),
        "delete": (Role.OWNER, Role.ADMIN),
        "log": (Role.OFFICER,),
    }

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(organisation__in=org_ids)


class StreetPricePolicy(Policy):
    """Street prices are one published table for everyone, kept by owners and analysts."""

    model = StreetPrice
    roles = {
        "view": ANY_ROLE,
        "add": (Role.OWNER, Role.ANALYST),
        "change": (Role.OWNER, Role.ANALYST),
        "delete": (Role.OWNER, Role.ANALYST),
    }

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows if org_ids else rows.none()


def logging_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations for which ``user`` logs patrols and seizures."""
    return patrols.organisations_for(user, "log")


patrols = PatrolPolicy()
seizures = SeizurePolicy()
activities = ActivityPolicy()
units = UnitPolicy()
street_prices = StreetPricePolicy()
