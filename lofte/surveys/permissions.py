"""Who may see and run safety surveys, and read their results.

Members of a survey's organisations see it; owners and analysts run it (samples, letters, imports,
questions and waves); results are public once the survey is marked published.
"""

from typing import Any

from django.db.models import QuerySet

from lofte.accounts.models import Role
from lofte.accounts.permissions import ANY_ROLE, Policy

from .models import Survey

RUNNERS = (Role.OWNER, Role.ANALYST)


class SurveyPolicy(Policy):
    model = Survey
    roles = {
        "view": ANY_ROLE,
        "results": ANY_ROLE,
        "add": RUNNERS,
        "change": RUNNERS,
        "delete": RUNNERS,
        "run": RUNNERS,
    }

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(organisations__in=org_ids)

    def anonymous(self, action: str, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.filter(published=True) if action == "results" else rows.none()


surveys = SurveyPolicy()
