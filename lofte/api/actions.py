"""Actions of the shared situation picture (EST): recorded and followed up by the area's partners,
read by the reporters of the observations they answer."""

from datetime import date
from typing import Any, Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from lofte.core.bounds import EARLIEST, LATEST
from lofte.observations import actions as service
from lofte.observations.models import Action
from lofte.observations.permissions import actions as policy

from .activities import WRITE_ERRORS
from .auth import AuthenticatedRequest, writer_auth
from .schemas import ErrorOut

router = Router(tags=["observations"])
BIGGEST_ID = 2**63 - 1
StatusName = Literal["planned", "under_way", "done", "declined"]


class ActionIn(Schema):
    area: str = Field(max_length=50, description="The area's code")
    title: str = Field(max_length=200, description="What is to be done")
    organisation: int = Field(ge=1, le=BIGGEST_ID, description="The responsible organisation: one of the area's (id)")
    category: str = Field("", max_length=50, description="The observation category it answers (code), or empty")
    place: int | None = Field(None, ge=1, le=BIGGEST_ID, description="A place of the area (id)")
    observations: list[int] = Field([], max_length=500, description="Ids of the area's observations it answers")
    due: date | None = Field(None, ge=EARLIEST, le=LATEST)
    status: StatusName = "planned"
    done_on: date | None = Field(None, ge=EARLIEST, le=LATEST, description="When done (default: today)")
    public_note: str = Field("", max_length=2000, description="What was done, or why not: the reporters read it")


class ActionChange(Schema):
    title: str | None = Field(None, max_length=200)
    organisation: int | None = Field(None, ge=1, le=BIGGEST_ID)
    category: str | None = Field(None, max_length=50)
    place: int | None = Field(None, ge=1, le=BIGGEST_ID)
    observations: list[int] | None = Field(None, max_length=500)
    due: date | None = Field(None, ge=EARLIEST, le=LATEST)
    status: StatusName | None = None
    done_on: date | None = Field(None, ge=EARLIEST, le=LATEST)
    public_note: str | None = Field(None, max_length=2000)


class ActionOut(Schema):
    id: int
    area: str
    title: str
    organisation: str
    category: str | None
    place: int | None
    observations: list[int] = Field(description="The observations it answers that you may see")
    due: date | None
    status: StatusName
    done_on: date | None
    public_note: str


def action_out(action: Action, user: Any) -> dict[str, Any]:
    from lofte.observations.permissions import observations as observation_policy

    seen = observation_policy.visible(user).filter(actions=action).values_list("pk", flat=True)
    return {
        "id": action.pk,
        "area": action.area.code,
        "title": action.title,
        "organisation": action.organisation.name,
        "category": action.category.code if action.category else None,
        "place": action.place_id,
        "observations": sorted(seen),
        "due": action.due,
        "status": action.status,
        "done_on": action.done_on,
        "public_note": action.public_note,
    }


class ActionFilter(Schema):
    area: str | None = Field(None, max_length=50, description="An area's code")
    status: StatusName | Literal["open"] | None = Field(None, description='"open": planned or under way')


@router.get("/actions/", auth=writer_auth, response={200: list[ActionOut], 401: ErrorOut}, summary="Actions")
def list_actions(request: AuthenticatedRequest, filters: Query[ActionFilter]) -> list[dict[str, Any]]:
    """The actions you may see (at most 1 000): those of your organisations' areas, or, for a reporter,
    those that answer your own reports."""
    rows = policy.visible(request.auth).select_related("area", "organisation", "category")
    if filters.area:
        rows = rows.filter(area__code=filters.area)
    if filters.status == "open":
        rows = rows.filter(status__in=[Action.Status.PLANNED, Action.Status.UNDER_WAY])
    elif filters.status:
        rows = rows.filter(status=filters.status)
    return [action_out(a, request.auth) for a in rows.order_by("-pk")[:1000]]


@router.post("/actions/", auth=writer_auth, response={201: ActionOut, **WRITE_ERRORS}, summary="Record an action")
def create_action(request: AuthenticatedRequest, payload: ActionIn) -> Status[Any]:
    """Record an action in one of your organisations' areas (owners, analysts, officers)."""
    return Status(201, action_out(service.record(request.auth, **payload.dict()), request.auth))


@router.patch(
    "/actions/{action_id}", auth=writer_auth, response={200: ActionOut, 404: ErrorOut, **WRITE_ERRORS},
    summary="Follow up an action",
)  # fmt: skip
def change_action(request: AuthenticatedRequest, action_id: int, payload: ActionChange) -> Status[Any]:
    """Change the fields given: status, note, due day, the observations it answers…"""
    action = policy.visible(request.auth).filter(pk=action_id).first() if action_id <= BIGGEST_ID else None
    if action is None:
        raise Http404("No such action")
    changed = service.change(request.auth, action, **payload.dict(exclude_unset=True))
    return Status(200, action_out(changed, request.auth))
