"""Invitations to be a party to a promise: the ones waiting for the user's organisations, and answers."""

from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from lofte.promises import invitations
from lofte.promises.models import PartyInvitation
from lofte.promises.permissions import invitations as invitation_policy

from .activities import WRITE_ERRORS
from .auth import AuthenticatedRequest, writer_auth
from .schemas import ErrorOut

router = Router(tags=["promises"])


class InvitationOut(Schema):
    id: int
    promise: str = Field(description="The promise's slug")
    title: str
    area: str = Field(description="The promise's area code")
    organisation: str = Field(description="The invited organisation")
    status: str = Field(description="pending, accepted or declined")


class AnswerIn(Schema):
    accept: bool = Field(description="True: the organisation becomes a party and shares the promise's area")


def _out(invitation: PartyInvitation) -> dict[str, Any]:
    return {
        "id": invitation.pk,
        "promise": invitation.promise.slug,
        "title": invitation.promise.title,
        "area": invitation.promise.area.code,
        "organisation": invitation.organisation.name,
        "status": invitation.status,
    }


@router.get("/", auth=writer_auth, response={200: list[InvitationOut], 401: ErrorOut}, summary="Invitations to answer")
def list_invitations(request: AuthenticatedRequest) -> Status[Any]:
    """The invitations to be a party that wait for an answer from an organisation you own promises for."""
    return Status(200, [_out(i) for i in invitations.pending_for(request.auth)])


@router.post(
    "/{invitation_id}/answer",
    auth=writer_auth,
    response={200: InvitationOut, 404: ErrorOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Accept or decline an invitation",
)
def answer_invitation(request: AuthenticatedRequest, invitation_id: int, payload: AnswerIn) -> Status[Any]:
    """Owners of the invited organisation answer; an answered invitation answers 409."""
    invitation = get_object_or_404(invitation_policy.visible(request.auth, "answer"), pk=invitation_id)
    invitations.answer(request.auth, invitation, accept=payload.accept)
    return Status(200, _out(invitation))
