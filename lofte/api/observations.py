"""Observations (EST): the categories, reporting one (idempotent, for phones that lose their
connection), and reading the ones the user may see."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from lofte.core.bounds import EARLIEST, LATEST
from lofte.observations import services
from lofte.observations.actions import answering
from lofte.observations.models import MAX_COUNT, Observation
from lofte.observations.permissions import observations as policy

from .activities import IDEMPOTENCY, WRITE_ERRORS
from .auth import AuthenticatedRequest, writer_auth
from .idempotency import once
from .schemas import ErrorOut

router = Router(tags=["observations"])
BIGGEST_ID = 2**63 - 1  # larger numbers overflow the database's integer


class CategoryOut(Schema):
    code: str
    name: str
    name_en: str
    parent: str | None = Field(description="The category's code, for a subcategory")


class ObservationIn(Schema):
    category: str = Field(max_length=50, description="A code from GET /api/v1/observation-categories/")
    occurred_on: date | None = Field(None, ge=EARLIEST, le=LATEST, description="The day (or give occurred_at)")
    occurred_at: datetime | None = Field(None, description="When, if the time is known (Europe/Stockholm if naive)")
    part_of_day: Literal["", "night", "morning", "afternoon", "evening"] = ""
    place: int | None = Field(None, ge=1, le=BIGGEST_ID, description="A place (id) of the area")
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    area: str | None = Field(None, max_length=50, description="Code of the area the point lies in (optional)")
    count: int = Field(1, ge=1, le=MAX_COUNT, description="How many: people in a gathering, tags, windows…")
    description: str = Field("", max_length=2000, description="What happened; no names, numbers or addresses")
    organisation: int | None = Field(None, ge=1, le=BIGGEST_ID, description="Needed if you report for several")


class FeedbackOut(Schema):
    id: int
    title: str
    status: str = Field(description="planned, under_way, done or declined (not done)")
    done_on: date | None
    public_note: str


class ObservationOut(Schema):
    id: int
    category: str
    occurred_on: date
    part_of_day: str
    area: str
    place: int | None
    lon: float
    lat: float
    count: int
    description: str
    organisation: str
    actions: list[FeedbackOut] = Field([], description="The actions that answer it: what became of the report")


def _out(observation: Observation, feedback: list[Any] | None = None) -> dict[str, Any]:
    return {
        "id": observation.pk,
        "category": observation.category.code,
        "occurred_on": observation.occurred_on,
        "part_of_day": observation.part_of_day,
        "area": observation.area.code,
        "place": observation.place_id,
        "lon": observation.lon,
        "lat": observation.lat,
        "count": observation.count,
        "description": observation.description,
        "organisation": observation.organisation.name,
        "actions": [
            {"id": a.pk, "title": a.title, "status": a.status, "done_on": a.done_on, "public_note": a.public_note}
            for a in feedback or []
        ],
    }


@router.get("/observation-categories/", response={200: list[CategoryOut]}, summary="Observation categories")
def list_categories(request: HttpRequest) -> list[dict[str, Any]]:
    """The categories offered for new reports (EST's, as the site's administrators keep them)."""
    return [
        {"code": c.code, "name": c.name, "name_en": c.name_en, "parent": c.parent.code if c.parent else None}
        for c in services.offered_categories()
    ]


@router.post(
    "/observations/", auth=writer_auth, response={201: ObservationOut, **WRITE_ERRORS}, summary="Report an observation"
)
def create_observation(
    request: AuthenticatedRequest, payload: ObservationIn, idempotency_key: str | None = IDEMPOTENCY
) -> Status[Any]:
    """Report what you saw in one of your organisation's areas (reporters, officers, owners, analysts): at
    a `place` or a point (`lon`, `lat`). Send it again with the same Idempotency-Key after a lost
    connection: it is stored once."""

    def post() -> Status[Any]:
        return Status(201, _out(services.report(request.auth, source="api", **payload.dict())))

    return once(request, request.auth, idempotency_key, post)


class ObservationFilter(Schema):
    area: str | None = Field(None, max_length=50, description="An area's code")
    start: date | None = Field(None, ge=EARLIEST, le=LATEST)
    end: date | None = Field(None, ge=EARLIEST, le=LATEST)


@router.get(
    "/observations/", auth=writer_auth, response={200: list[ObservationOut], 401: ErrorOut}, summary="Observations"
)
def list_observations(request: AuthenticatedRequest, filters: Query[ObservationFilter]) -> list[dict[str, Any]]:
    """The observations you may see, newest first (at most 1 000): those in your organisations' areas, or,
    for a reporter, their own."""
    rows = policy.visible(request.auth).select_related("category", "area", "organisation")
    if filters.area:
        rows = rows.filter(area__code=filters.area)
    if filters.start:
        rows = rows.filter(occurred_on__gte=filters.start)
    if filters.end:
        rows = rows.filter(occurred_on__lte=filters.end)
    found = list(rows[:1000])
    feedback = answering(found)
    return [_out(o, feedback[o.pk]) for o in found]
