"""Who may see, plan and change promises, their commitments and updates (DESIGN.md section 7).

Published and closed promises are public; drafts and the work behind a promise (dosage, the staff
dashboard) are for members of its parties; owners of a party plan and change it.
"""

from typing import Any

from django.db.models import QuerySet

from lofte.accounts.models import Role
from lofte.accounts.permissions import ANY_ROLE, Policy

from .models import Commitment, PartyInvitation, Promise, Update

PUBLIC = (Promise.Status.PUBLISHED, Promise.Status.CLOSED, Promise.Status.WITHDRAWN)
OWNERS = (Role.OWNER,)
PROMISE_ROLES = {"view": ANY_ROLE, "add": OWNERS, "change": OWNERS, "delete": OWNERS}


class PromisePolicy(Policy):
    model = Promise
    roles = {**PROMISE_ROLES, "work": ANY_ROLE}  # work: the staff pages of a promise (dashboard, dosage)

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(parties__in=org_ids)

    def anonymous(self, action: str, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.filter(status__in=PUBLIC) if action == "view" else rows.none()


class CommitmentPolicy(Policy):
    """A commitment goes with its promise."""

    model = Commitment
    roles = PROMISE_ROLES

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(promise__parties__in=org_ids)

    def anonymous(self, action: str, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.filter(promise__status__in=PUBLIC) if action == "view" else rows.none()


class UpdatePolicy(Policy):
    """An update goes with its commitment's promise (the public sees it from its publication date)."""

    model = Update
    roles = PROMISE_ROLES

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(commitment__promise__parties__in=org_ids)

    def anonymous(self, action: str, rows: QuerySet[Any]) -> QuerySet[Any]:
        if action != "view":
            return rows.none()
        return Update.objects.visible().filter(commitment__promise__status__in=PUBLIC)


class PartyInvitationPolicy(Policy):
    """Invitations to be a party: the invited organisation's owners answer them (and its administrators
    see them); the inviting side sees them on its promise's work page."""

    model = PartyInvitation
    roles = {"view": (Role.OWNER, Role.ADMIN), "answer": OWNERS, "add": (), "change": (), "delete": ()}

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(organisation__in=org_ids)


promises = PromisePolicy()
invitations = PartyInvitationPolicy()
commitments = CommitmentPolicy()
updates = UpdatePolicy()
