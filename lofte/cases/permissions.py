"""Who may read support cases and their access log.

Only case workers see cases, and only their own organisation's; nobody else does, superusers and
administrators included. Administrators read the access log of their own organisation.
"""

from typing import Any

from django.db.models import QuerySet

from lofte.accounts.models import Role
from lofte.accounts.permissions import Policy

from .models import AccessLog, SupportCase

CASE_WORKERS = (Role.CASE_WORKER,)


class SupportCasePolicy(Policy):
    model = SupportCase
    roles = {"view": CASE_WORKERS, "add": CASE_WORKERS, "change": CASE_WORKERS, "delete": ()}
    superuser_bypass = False
    forbidden = frozenset({"delete"})

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(organisation__in=org_ids)


class AccessLogPolicy(Policy):
    """The log is append-only: it can be read, never added to by hand, changed or deleted."""

    model = AccessLog
    roles = {"view": (Role.ADMIN,), "add": (), "change": (), "delete": ()}
    forbidden = frozenset({"add", "change", "delete"})

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(organisation__in=org_ids)


cases = SupportCasePolicy()
access_log = AccessLogPolicy()
