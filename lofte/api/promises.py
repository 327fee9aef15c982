from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from lofte.analysis.progress import Progress
from lofte.promises import history, sentences
from lofte.promises.check import check
from lofte.promises.follow_up import CACHE_SECONDS, follow_up, state_key
from lofte.promises.models import Commitment, Promise
from lofte.promises.observed import observed_outcome
from lofte.promises.outcomes import cached_compare
from lofte.promises.permissions import promises as policy
from lofte.promises.services import publish
from lofte.surveys.results import item_outcome

from .activities import WRITE_ERRORS
from .auth import AuthenticatedRequest, current_user, writer_auth
from .schemas import ErrorOut, PromiseDetail, PromiseOut, ReportOut

router = Router(tags=["promises"])


def _promise_out(request: HttpRequest, promise: Promise) -> dict[str, Any]:
    return {
        "slug": promise.slug,
        "title": promise.title,
        "title_en": promise.title_en,
        "area": promise.area.name,
        "status": promise.status,
        "period_start": promise.period_start,
        "period_end": promise.period_end,
        "parties": [org.name for org in promise.parties.all()],
        "url": request.build_absolute_uri(promise.get_absolute_url()),
    }


def _commitment_out(commitment: Commitment, progress: Progress) -> dict[str, Any]:
    target = progress.target
    return {
        "id": commitment.pk,
        "position": commitment.position,
        "text": commitment.text,
        "text_en": commitment.text_en,
        "kind": commitment.kind,
        "responsible": [org.name for org in commitment.responsible.all()],
        "metric": commitment.metric or None,
        "comparator": commitment.comparator if commitment.kind == "target" else None,
        "target": target,
        "unit": commitment.unit,
        "actual": None if progress.actual is None else round(progress.actual, 2),
        "status": progress.status,
        "as_of": progress.as_of,
        "due_date": commitment.due_date,
        "done_date": commitment.done_date,
        "numbers": progress.numbers,
        "updates": list(commitment.updates.visible()),
    }


@router.get("/", response={200: list[PromiseOut]}, summary="List promises")
def list_promises(request: HttpRequest) -> Status[Any]:
    """Published and closed promises; drafts too for members of a party."""
    user = current_user(request)
    rows = policy.visible(user).select_related("area").prefetch_related("parties")
    return Status(200, [_promise_out(request, p) for p in rows])


@router.get("/{slug}", response={200: PromiseDetail, 404: ErrorOut}, summary="One promise with progress")
def get_promise(request: HttpRequest, slug: str) -> Status[Any]:
    """A promise with every commitment's metric, target, actual value and status."""
    user = current_user(request)
    promise = get_object_or_404(policy.visible(user).select_related("area"), slug=slug)
    today = timezone.localdate()
    key = state_key(promise, today)
    # The answer is the same for everyone who may see the promise: kept whole (the host is in its URLs).
    answer_key = f"promise-api:{key}:{request.get_host()}"
    data = cache.get(answer_key)
    if data is None:
        data = _promise_out(request, promise)
        data["problem"] = promise.problem
        data["problem_en"] = promise.problem_en
        for name in ("rationale", "rationale_en", "next_steps", "next_steps_en"):
            data[name] = getattr(promise, name)
        found = follow_up(promise, today, key=key)
        data["outputs"] = None if found.outputs is None else found.outputs.to_dict()
        commitments = promise.commitments.prefetch_related("responsible")
        data["commitments"] = [_commitment_out(c, found.progress[c.pk]) for c in commitments]
        cache.set(answer_key, data, CACHE_SECONDS)
    return Status(200, data)


class FindingOut(Schema):
    commitment: int | None = Field(description="The commitment the finding is about; null: the promise")
    rule: str = Field(description="responsible, measurable, due_date, places, reachable, detectable, outcome, ...")
    message: str = Field(description="What is missing, and how to fix it, in the request's language")
    key: str = Field(description="The sentence's key: no_responsible, pace_period, undetectable, ...")
    numbers: dict[str, float | str] = Field(description="The numbers (and names) the sentence says")


class CheckOut(Schema):
    ok: bool
    findings: list[FindingOut]


class RefusedPublish(CheckOut):
    detail: str


class PublishIn(Schema):
    reason: str = Field("", max_length=2000, description="Needed when the check has findings; shown to staff")


@router.get(
    "/{slug}/check",
    response={200: CheckOut, 404: ErrorOut},
    summary="The promise check",
)
def get_check(request: HttpRequest, slug: str) -> Status[Any]:
    """What makes the promise vague: each commitment needs a responsible party, a metric and target or a
    dated milestone, and places; the promise an outcome; targets and expected changes must be reachable
    and detectable. For members of the promise's parties."""
    promise = get_object_or_404(policy.visible(current_user(request), "work"), slug=slug)
    return Status(200, sentences.check_result(check(promise)))


@router.post(
    "/{slug}/publish",
    auth=writer_auth,
    response={200: PromiseOut, 404: ErrorOut, 409: RefusedPublish, **WRITE_ERRORS},
    summary="Publish a promise",
)
def publish_promise(request: AuthenticatedRequest, slug: str, payload: PublishIn) -> Status[Any]:
    """Make a draft public (owners of a party). With findings from the check, a `reason` is needed
    (409 with the findings otherwise); it is kept with the promise and shown to staff."""
    user = request.auth
    promise = get_object_or_404(policy.visible(user, "work").select_related("area"), slug=slug)
    if not policy.can(user, "change", promise):
        return Status(403, {"detail": "Only owners of a party publish its promises."})
    done = publish(promise, user, payload.reason)
    if not done.published:
        closed = promise.status == promise.Status.CLOSED
        detail = done.refusal if closed else f"reason: {done.refusal}"  # names the field to fill in
        return Status(409, {"detail": detail, **sentences.check_result(done.check)})
    return Status(200, _promise_out(request, promise))


class FieldChangeOut(Schema):
    field: str = Field(description="The field's name, e.g. target_value, period_end, places")
    label: str = Field(description="The field's name in the request's language")
    old: str
    new: str


class RevisionOut(Schema):
    when: datetime
    subject: str = Field(description="promise, commitment or place")
    subject_label: str = Field(description="The commitment's text or the place's name at the time")
    action: str = Field(description="changed, added or removed")
    party: str = Field(description="The party that made the change")
    reason: str = Field(description="Why; asked for changes to targets, dates and outcome links")
    fields: list[FieldChangeOut]


@router.get(
    "/{slug}/history",
    response={200: list[RevisionOut], 404: ErrorOut},
    summary="Every change since the promise was published",
)
def get_history(request: HttpRequest, slug: str) -> Status[Any]:
    """The promise's public record: each change to it, its commitments and its area's places after
    publishing, newest first, with the party that made it and its reason (as /loften/<slug>/historik/)."""
    promise = get_object_or_404(policy.visible(current_user(request)), slug=slug)
    return Status(200, history.rows(promise))


@router.get("/{slug}/report", response={200: ReportOut, 404: ErrorOut}, summary="The promise's report in numbers")
def get_report(request: HttpRequest, slug: str) -> Status[Any]:
    """Outputs, every commitment's progress, and the outcome comparison: the promise's incidents in its
    area, the ring around it and its control areas, before and during it, with WDD and a Poisson
    difference-in-differences, the event study, the interrupted time series, the synthetic control, the hot
    spots and (with a harm table) the harm-weighted WDD; and the survey's outcome questions, baseline
    against follow-up. Counts below the small-count threshold are neither shown nor evaluated."""
    user = current_user(request)
    promise = get_object_or_404(policy.visible(user).select_related("area"), slug=slug)
    today = timezone.localdate()
    found = follow_up(promise, today)
    commitments = list(promise.commitments.prefetch_related("responsible").select_related("outcome_item"))
    return Status(
        200,
        {
            **_promise_out(request, promise),
            "problem": promise.problem,
            "rationale": promise.rationale,
            "next_steps": promise.next_steps,
            "outputs": None if found.outputs is None else found.outputs.to_dict(),
            "commitments": [_commitment_out(c, found.progress[c.pk]) for c in commitments],
            "outcomes": cached_compare(promise, today),
            "survey": [_survey_outcome(c, user) for c in commitments if c.outcome_item_id],
            "observed": None
            if (found_observed := observed_outcome(promise, today)) is None
            else found_observed.to_dict(),
        },
    )


def _survey_outcome(commitment: Commitment, user: Any) -> dict[str, Any]:
    """A commitment's survey question, baseline against the latest follow-up (null while pending or
    when the user may not see the survey's results)."""
    item = commitment.outcome_item
    assert item is not None  # only commitments with a survey question are asked
    outcome = item_outcome(item, user, waves=commitment.promise.named_waves(item.survey_id))
    row = outcome.row if outcome else None
    indicator = row.indicator if row else None
    answer = {"commitment": commitment.pk, "item": item.code, "question": item.text, "indicator": indicator}
    if outcome is not None:
        answer |= {
            "base_wave": outcome.base and outcome.base.label,
            "follow_wave": outcome.follow and outcome.follow.label,
        }
    if (
        outcome is None
        or outcome.pending
        or row is None
        or row.comparison is None
        or row.base is None
        or row.follow is None
    ):
        return answer | {"base": None, "follow": None, "comparison": None}
    return answer | {"base": asdict(row.base), "follow": asdict(row.follow), "comparison": row.comparison.to_dict()}
