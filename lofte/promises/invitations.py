"""Inviting organisations to be parties to a promise, and answering the invitations.

A party shares the promise's data (DESIGN.md section 7), so an organisation becomes one only when an
owner of it accepts; the promise's area is then linked to it too. Only organisations that already
share an area with one of the inviter's can be invited: the people planning a promise know them.
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lofte.accounts.models import Organisation
from lofte.core.problems import InputProblem
from lofte.promises.models import Promise

from .models import PartyInvitation
from .permissions import invitations as invitation_policy


def invitable(owned: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """The organisations that share an area with one of `owned` (a queryset), but are none of them."""
    return Organisation.objects.filter(areas__organisations__in=owned).exclude(pk__in=owned).distinct()


def invite(user: Any, promise: Promise, organisations: Iterable[Organisation]) -> list[PartyInvitation]:
    """Pending invitations for `organisations` that are not parties yet (a declined one is asked again)."""
    invited = []
    for organisation in organisations:
        if promise.parties.filter(pk=organisation.pk).exists():
            continue
        invitation, created = PartyInvitation.objects.get_or_create(
            promise=promise, organisation=organisation, defaults={"invited_by": user}
        )
        if not created and invitation.status == PartyInvitation.Status.DECLINED:
            invitation.status, invitation.invited_by, invitation.answered_at = (
                PartyInvitation.Status.PENDING,
                user,
                None,
            )
            invitation.save(update_fields=["status", "invited_by", "answered_at"])
        invited.append(invitation)
    return invited


def pending_for(user: Any) -> QuerySet[PartyInvitation]:
    """The invitations waiting for an answer from an organisation of `user` (owners answer them)."""
    return (
        invitation_policy.visible(user, "answer")
        .filter(status=PartyInvitation.Status.PENDING)
        .select_related("promise", "promise__area", "organisation", "invited_by")
    )


def answer(user: Any, invitation: PartyInvitation, *, accept: bool) -> PartyInvitation:
    """Accept (the organisation becomes a party and shares the promise's area) or decline."""
    if not invitation_policy.can(user, "answer", invitation):
        raise InputProblem("invitation", _("Only owners of the invited organisation answer this invitation."), 403)
    if invitation.status != PartyInvitation.Status.PENDING:
        raise InputProblem("invitation", _("This invitation has been answered already."), 409)
    with transaction.atomic():
        invitation.status = PartyInvitation.Status.ACCEPTED if accept else PartyInvitation.Status.DECLINED
        invitation.answered_by, invitation.answered_at = user, timezone.now()
        invitation.save(update_fields=["status", "answered_by", "answered_at"])
        if accept:
            invitation.promise.parties.add(invitation.organisation)
            invitation.organisation.areas.add(invitation.promise.area)
    return invitation
