"""Who may upload incident files and follow their imports: analysts, for their organisations."""

from typing import Any

from django.db.models import QuerySet

from lofte.accounts.models import Role
from lofte.accounts.permissions import Policy

from .models import ImportJob

ANALYSTS = (Role.ANALYST,)


class ImportJobPolicy(Policy):
    model = ImportJob
    roles = {"view": ANALYSTS, "add": ANALYSTS, "change": (), "delete": ()}

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(organisation__in=org_ids)


jobs = ImportJobPolicy()
