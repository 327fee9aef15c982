"""Who may see, write, comment on and decide a situation report.

The municipality's organisation owns the report; its owners and analysts write it, its owners and
administrators send it out for comments, record the decision and publish it. The organisations it is
made together with (`partners`: the police, housing companies) see the working version and comment on
it while it is out for comments. Everyone reads a published version (`published`), never a draft.
Measures, reference values and comments are read and changed with their report.
"""

from typing import Any

from django.db.models import Model, Q, QuerySet

from lofte.accounts.models import Organisation, Role
from lofte.accounts.permissions import ANY_ROLE, Policy, organisation_ids

from .models import SituationReport

OWNER_ACTIONS = frozenset({"add", "change", "decide", "delete"})


class SituationReportPolicy(Policy):
    model = SituationReport
    roles = {
        "view": ANY_ROLE,
        "comment": (Role.OWNER, Role.ANALYST, Role.OFFICER, Role.ADMIN),
        "add": (Role.OWNER, Role.ANALYST),
        "change": (Role.OWNER, Role.ANALYST),
        "decide": (Role.OWNER, Role.ADMIN),
        "delete": (Role.OWNER,),
    }

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(Q(organisation__in=org_ids) | Q(partners__in=org_ids))

    def can(self, user: Any, action: str, obj: Model | None = None) -> bool:
        if action == "add" and obj is None:
            return self.organisations_for(user, "add").exists()
        return super().can(user, action, obj)

    def organisations_for(self, user: Any, action: str) -> QuerySet[Organisation]:
        """For "add": only municipalities' organisations make a situation report (the law is theirs)."""
        found = super().organisations_for(user, action)
        return found.filter(kind=Organisation.Kind.MUNICIPALITY) if action == "add" else found

    def visible(self, user: Any, action: str = "view") -> QuerySet[Any]:
        rows = super().visible(user, action)
        if action in OWNER_ACTIONS and not self._bypass(user, action):
            # Writing and deciding are the owner's: a partner comments only.
            rows = rows.filter(organisation__in=organisation_ids(user, self._granting(action)))
        return rows


def published() -> QuerySet[SituationReport]:
    """The versions anyone may read."""
    return SituationReport.objects.filter(status=SituationReport.Status.PUBLISHED)


reports = SituationReportPolicy()
