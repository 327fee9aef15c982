"""Who may see and record citizen dialogues and moderate residents' statements.

Dialogues and published statements are open data; unpublished statements (pending or rejected) are
seen only by members of the organisations linked to the area. Owners and analysts record dialogues
and moderate."""

from typing import Any

from django.db.models import QuerySet

from lofte.accounts.models import Role
from lofte.accounts.permissions import ANY_ROLE, Policy

from .models import CandidateProblem, Dialogue, OpinionExercise, Statement, Theme

EDITORS = (Role.OWNER, Role.ANALYST)


class AreaRecords(Policy):
    """Records of an area: its organisations' members see them, their owners and analysts edit them."""

    roles = {"view": ANY_ROLE, "add": EDITORS, "change": EDITORS, "delete": EDITORS}

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(area__organisations__in=org_ids)


class OpenAreaRecords(AreaRecords):
    """Records of an area that everyone may read."""

    def anonymous(self, action: str, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows if action == "view" else rows.none()


class DialoguePolicy(OpenAreaRecords):
    model = Dialogue


class ThemePolicy(OpenAreaRecords):
    model = Theme


class OpinionPolicy(OpenAreaRecords):
    """Exercises are open to vote on; their groups are computed from anonymous votes, so also open."""

    model = OpinionExercise


class StatementPolicy(AreaRecords):
    model = Statement
    roles = {"view": ANY_ROLE, "moderate": EDITORS, "add": EDITORS, "change": EDITORS, "delete": ()}

    def anonymous(self, action: str, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.filter(status=Statement.Status.PUBLISHED) if action == "view" else rows.none()


class CandidatePolicy(AreaRecords):
    """The evidence matrix's rows: members only (its numbers come from the situation picture)."""

    model = CandidateProblem


dialogues = DialoguePolicy()
themes = ThemePolicy()
opinions = OpinionPolicy()
statements = StatementPolicy()
candidates = CandidatePolicy()
