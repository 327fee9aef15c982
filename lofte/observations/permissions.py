"""Who may report and see observations.

The organisations that hold an area make its shared situation picture together: their owners,
analysts, officers, administrators and viewers see every observation in the area, whoever reported
it. An area is linked to an organisation only by someone who already works for one that holds it
(`places.links`), so the picture is shared by consent. A reporter reports in the organisation's name,
in its areas, and sees their own reports only.
"""

from typing import Any

from django.db.models import QuerySet

from lofte.accounts.models import Role
from lofte.accounts.permissions import ANY_ROLE, Policy

from .models import Action, Category, Observation, ResidentReport

REPORTERS = (Role.REPORTER, Role.OWNER, Role.ANALYST, Role.OFFICER)


class ObservationPolicy(Policy):
    model = Observation
    roles = {
        "view": ANY_ROLE,
        "report": REPORTERS,
        "add": (),  # reported through `services.report`, never in the admin
        "change": (Role.OWNER, Role.ANALYST),
        "delete": (Role.OWNER, Role.ANALYST),
    }
    membership_only = frozenset({"report"})  # reported in an organisation's name, so by its members only

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(area__organisations__in=org_ids)

    def extra(self, user: Any, action: str, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.filter(created_by=user) if action == "view" else rows.none()


class CategoryPolicy(Policy):
    """The categories are one list for the whole site, read by everyone who reports or reads reports."""

    model = Category
    roles = {"view": (*ANY_ROLE, Role.REPORTER), "add": (), "change": (), "delete": ()}

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows if org_ids else rows.none()


ACTORS = (Role.OWNER, Role.ANALYST, Role.OFFICER)


class ActionPolicy(Policy):
    """The area's organisations see its actions and their owners, analysts and officers record and
    follow them up; a reporter sees the actions that answer their own reports (the feedback)."""

    model = Action
    roles = {"view": ANY_ROLE, "add": ACTORS, "change": ACTORS, "delete": (Role.OWNER,)}

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(area__organisations__in=org_ids)

    def extra(self, user: Any, action: str, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.filter(observations__created_by=user) if action == "view" else rows.none()


class ResidentReportPolicy(Policy):
    """Residents' reports: the area's organisations read them (the e-mail address shown only to those
    who moderate), their owners and analysts moderate and follow them up. The public sees the published
    ones on the area's pages, without the address."""

    model = ResidentReport
    roles = {"view": ANY_ROLE, "moderate": (Role.OWNER, Role.ANALYST), "add": (), "change": (), "delete": ()}

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(area__organisations__in=org_ids)


observations = ObservationPolicy()
categories = CategoryPolicy()
actions = ActionPolicy()
resident_reports = ResidentReportPolicy()
