"""The promise check (`lofte.analysis.promise_check`) on a stored promise: the facts it needs, read
from the database."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from lofte.activities.models import Activity, Patrol, Seizure
from lofte.analysis import progress as pure
from lofte.analysis.promise_check import CheckResult, CommitmentFacts, OutcomeFacts, PromiseFacts, check_promise
from lofte.analysis.vocabulary import PATROL_METRICS, Metric
from lofte.cases.models import SupportCase
from lofte.places.models import Place
from lofte.promises.models import Commitment, Promise
from lofte.promises.progress import Records
from lofte.surveys.models import Response, Wave

from .progress import records_for

UNDER_WAY_DAYS = 30  # from then on, the pace so far says more than the time before the promise
BEFORE_DAYS = 90


def check(promise: Promise, today: date | None = None) -> CheckResult:
    return check_promise(promise_facts(promise, today or timezone.localdate()))


def promise_facts(promise: Promise, today: date) -> PromiseFacts:
    """The facts of `promise` as of `today`. Once its period is over, its progress says whether targets
    were reached: no pace is judged then."""
    commitments = list(promise.commitments.prefetch_related("places", "responsible").select_related("outcome_item"))
    start, end = _pace_window(promise, today)
    judged = today <= promise.period_end and any(c.metric for c in commitments)
    records = records_for(promise, start, end) if judged else None
    return PromiseFacts(
        period_start=promise.period_start,
        period_end=promise.period_end,
        area_places=Place.objects.filter(area_id=promise.area_id).count(),
        incident_outcomes=len(promise.outcome_incident_types or []),
        causes=promise.causes.count(),
        commitments=tuple(_facts(promise, c, records, start, end) for c in commitments),
    )


def _pace_window(promise: Promise, today: date) -> tuple[date, date]:
    if today >= promise.period_start + timedelta(days=UNDER_WAY_DAYS):
        return promise.period_start, min(today, promise.period_end)
    return promise.period_start - timedelta(days=BEFORE_DAYS), promise.period_start - timedelta(days=1)


def _facts(promise: Promise, c: Commitment, records: Records | None, start: date, end: date) -> CommitmentFacts:
    return CommitmentFacts(
        id=c.pk,
        kind=c.kind,
        responsible=len(c.responsible.all()),
        metric=c.metric if c.kind == c.Kind.TARGET else "",
        comparator=c.comparator,
        target=None if c.target_value is None else float(c.target_value),
        due=c.due_date if c.kind == c.Kind.MILESTONE else None,
        places=len(c.places.all()),
        recent_per_day=_pace(promise, c, records, start, end)
        if records and c.kind == c.Kind.TARGET and c.metric
        else None,
        outcome=_outcome(promise, c) if c.outcome_item_id else None,
        causes=c.causes.count(),
    )


def _pace(promise: Promise, c: Commitment, records: Records, start: date, end: date) -> float | None:
    """The commitment's metric per day in the pace window; None when there is nothing to judge by."""
    if start < promise.period_start and not _history(promise, c.metric):
        return None
    value, numbers = pure.measure(
        c.definition(),
        patrols=records.patrols,
        seizures=records.seizures,
        activities=records.activities,
        cases=records.cases,
        start=start,
        end=end,
        tz=settings.TIME_ZONE,
    )
    return value if c.metric == Metric.PATROL_VISITS_PER_DAY else value / max(numbers["days"], 1)


def _history(promise: Promise, metric: str) -> bool:
    """Whether the area has any record of the metric's kind from before the promise."""
    rows: QuerySet[Any]
    if metric in PATROL_METRICS:
        rows = Patrol.objects.filter(place__area_id=promise.area_id, start__date__lt=promise.period_start)
    elif metric == Metric.SEIZURES:
        rows = Seizure.objects.filter(area_id=promise.area_id, date__lt=promise.period_start)
    elif metric == Metric.SUPPORT_CASES:
        rows = SupportCase.objects.filter(organisation__promises=promise, started_on__lt=promise.period_start)
    else:
        rows = Activity.objects.filter(area_id=promise.area_id, start__date__lt=promise.period_start)
    return rows.exists()


def _outcome(promise: Promise, c: Commitment) -> OutcomeFacts:
    assert c.outcome_item is not None  # asked only for commitments with a survey question
    survey_id = c.outcome_item.survey_id
    named = promise.named_waves(survey_id)
    waves = list(Wave.objects.filter(survey_id=survey_id))  # by opening day
    base = named[0] or next((w for w in waves if w.kind == Wave.Kind.BASELINE), None)
    follow = named[1] or next((w for w in reversed(waves) if w.kind == Wave.Kind.FOLLOW_UP), None)

    def answers(wave: Wave | None) -> int:
        """The answers a wave has, or the letters sent for it (the size it was planned for)."""
        if wave is None:
            return 0
        return Response.objects.filter(wave=wave).count() or wave.invitations.count()

    return OutcomeFacts(
        item=str(c.outcome_item),
        expected_change=c.outcome_expected_change,
        baseline_n=answers(base),
        follow_up_n=answers(follow),
    )
