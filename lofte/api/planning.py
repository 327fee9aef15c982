"""Planning through the API, for integrations: drafts, changes, commitments and updates.

Token or session auth; the same policies and the same validation as the staff pages
(`lofte.promises.planning`). Errors name the field.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from lofte.core.bounds import EARLIEST, LATEST
from lofte.promises import planning
from lofte.promises.models import Commitment
from lofte.promises.permissions import commitments as commitment_policy
from lofte.promises.permissions import promises as promise_policy
from lofte.promises.progress import commitment_progress, records_for

from .activities import WRITE_ERRORS
from .auth import AuthenticatedRequest, writer_auth
from .promises import _commitment_out, _promise_out
from .promises import router as promises_router
from .schemas import CommitmentOut, ErrorOut, PromiseOut, UpdateOut

# The promise operations share paths with the reading ones (/promises/, /promises/{slug}), so they
# are registered on the same router: a path belongs to one router.
commitments_router = Router(tags=["planning"])

Day = Field(None, ge=EARLIEST, le=LATEST)
# A database id: larger numbers overflow the database's integer (a server error before).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class PromiseChange(Schema):
    title: str | None = Field(None, max_length=200)
    title_en: str | None = Field(None, max_length=200)
    problem: str | None = Field(None, max_length=20_000)
    problem_en: str | None = Field(None, max_length=20_000)
    rationale: str | None = Field(None, max_length=20_000)
    rationale_en: str | None = Field(None, max_length=20_000)
    next_steps: str | None = Field(None, max_length=20_000)
    next_steps_en: str | None = Field(None, max_length=20_000)
    period_start: date | None = Day
    period_end: date | None = Day
    outcome_incident_types: list[str] | None = Field(None, max_length=100)
    outcome_observation_categories: list[str] | None = Field(
        None, max_length=50, description="Codes from GET /api/v1/observation-categories/"
    )
    min_visit_minutes: int | None = Field(
        None, ge=0, le=600, description="Patrol visits shorter than this (minutes) do not count; null: the default"
    )
    baseline_wave: Id | None = Field(
        None, description="Survey wave (id) the survey questions are compared from; null: the survey's first baseline"
    )
    follow_up_wave: Id | None = Field(
        None, description="Survey wave (id) the survey questions are compared at; null: the latest follow-up"
    )
    reason: str | None = Field(
        None,
        max_length=2000,
        description="Why the published promise changes: needed for its targets, dates and outcome links, shown "
        "with the change on its public history (/loften/<slug>/historik/)",
    )


class PromiseIn(PromiseChange):
    area: str = Field(description="Code of an area of your organisations")
    slug: str = Field(pattern=r"^[-a-z0-9_]{1,100}$", description="The public address: /loften/<slug>/")
    title: str = Field(max_length=200)
    problem: str = Field(max_length=20_000)
    period_start: date = Field(ge=EARLIEST, le=LATEST)
    period_end: date = Field(ge=EARLIEST, le=LATEST)
    parties: list[Id] = Field(
        [],
        description="Organisation ids: yours (linked to the area; default: all of them) are parties at once; others "
        "that share an area with yours are invited and become parties when their owners accept",
    )


class CommitmentChange(Schema):
    position: int | None = Field(None, ge=1, le=1000)
    text: str | None = Field(None, max_length=5000)
    text_en: str | None = Field(None, max_length=5000)
    kind: Literal["target", "milestone"] | None = None
    metric: Literal[tuple(Commitment.Metric.values)] | None = None  # type: ignore[valid-type]
    comparator: Literal[tuple(Commitment.Comparator.values)] | None = None  # type: ignore[valid-type]
    target_value: Decimal | None = Field(None, ge=0, le=10**8, max_digits=12, decimal_places=3)
    unit: str | None = Field(None, max_length=50)
    unit_en: str | None = Field(None, max_length=50)
    filter_category: Literal["weapon", "narcotics", "other", ""] | None = None
    filter_kind: str | None = Field(None, max_length=100)
    automatic_only: bool | None = None
    measure: Literal[tuple(Commitment.Measure.values)] | None = None  # type: ignore[valid-type]
    due_date: date | None = Day
    done_date: date | None = Day
    outcome_item: Id | None = Field(None, description="Survey question (item id) the commitment should move")
    outcome_expected_change: float | None = Field(None, ge=-100, le=100, description="Percentage points")
    responsible: list[Id] | None = Field(None, description="Organisation ids among the promise's parties")
    places: list[Id] | None = Field(None, description="Place ids in the promise's area; empty: the whole area")
    reason: str | None = Field(
        None,
        max_length=2000,
        description="Why the published promise changes: needed for its targets, dates and outcome links, shown "
        "with the change on its public history (/loften/<slug>/historik/)",
    )


class CommitmentIn(CommitmentChange):
    text: str = Field(max_length=5000)


class UpdateIn(Schema):
    published_on: date = Field(ge=EARLIEST, le=LATEST, description="Shown to the public from this day")
    text: str = Field(max_length=5000)
    text_en: str = Field("", max_length=5000)


def _given(payload: Schema) -> dict[str, Any]:
    """The fields the client sent (left-out fields stay as they are)."""
    return payload.dict(exclude_unset=True)


def _commitment(commitment: Commitment) -> dict[str, Any]:
    progress = commitment_progress(commitment, records_for(commitment.promise))
    return _commitment_out(commitment, progress)


@promises_router.post("/", auth=writer_auth, response={201: PromiseOut, **WRITE_ERRORS}, summary="Draft a promise")
def create_promise(request: AuthenticatedRequest, payload: PromiseIn) -> Status[Any]:
    """A new draft for an area of your organisations (owners)."""
    promise = planning.create_promise(request.auth, **_given(payload))
    return Status(201, _promise_out(request, promise))


@promises_router.patch(
    "/{slug}", auth=writer_auth, response={200: PromiseOut, 404: ErrorOut, **WRITE_ERRORS}, summary="Change a promise"
)
def change_promise(request: AuthenticatedRequest, slug: str, payload: PromiseChange) -> Status[Any]:
    """Change the fields given (owners of a party); the area and the address stay."""
    promise = get_object_or_404(promise_policy.visible(request.auth, "work"), slug=slug)
    planning.change_promise(request.auth, promise, **_given(payload))
    return Status(200, _promise_out(request, promise))


class WithdrawIn(Schema):
    reason: str = Field("", max_length=2000, description="Why, for residents: shown on the promise's page (needed)")


@promises_router.post(
    "/{slug}/withdraw",
    auth=writer_auth,
    response={200: PromiseOut, 404: ErrorOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Withdraw a published promise",
)
def withdraw_promise(request: AuthenticatedRequest, slug: str, payload: WithdrawIn) -> Status[Any]:
    """Give up a published promise before its end (owners of a party): it stays readable, marked
    withdrawn with the reason, on its page and its history; 409 unless it is published and running."""
    promise = get_object_or_404(promise_policy.visible(request.auth, "work"), slug=slug)
    planning.withdraw(request.auth, promise, reason=payload.reason)
    return Status(200, _promise_out(request, promise))


@promises_router.post(
    "/{slug}/commitments/",
    auth=writer_auth,
    response={201: CommitmentOut, 404: ErrorOut, **WRITE_ERRORS},
    summary="Add a commitment",
)
def add_commitment(request: AuthenticatedRequest, slug: str, payload: CommitmentIn) -> Status[Any]:
    """A measurable target (metric, comparator, value) or a milestone (due date), owners of a party."""
    promise = get_object_or_404(promise_policy.visible(request.auth, "work"), slug=slug)
    commitment = planning.add_commitment(request.auth, promise, **_given(payload))
    return Status(201, _commitment(commitment))


@commitments_router.patch(
    "/{commitment_id}",
    auth=writer_auth,
    response={200: CommitmentOut, 404: ErrorOut, **WRITE_ERRORS},
    summary="Change a commitment",
)
def change_commitment(request: AuthenticatedRequest, commitment_id: int, payload: CommitmentChange) -> Status[Any]:
    commitment = get_object_or_404(commitment_policy.visible(request.auth), pk=commitment_id)
    planning.change_commitment(request.auth, commitment, **_given(payload))
    return Status(200, _commitment(commitment))


@commitments_router.post(
    "/{commitment_id}/updates/",
    auth=writer_auth,
    response={201: UpdateOut, 404: ErrorOut, **WRITE_ERRORS},
    summary="Write an update for residents",
)
def add_update(request: AuthenticatedRequest, commitment_id: int, payload: UpdateIn) -> Status[Any]:
    commitment = get_object_or_404(commitment_policy.visible(request.auth), pk=commitment_id)
    update = planning.add_update(request.auth, commitment, **_given(payload))
    return Status(201, {"published_on": update.published_on, "text": update.text, "text_en": update.text_en})
