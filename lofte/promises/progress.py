"""The one boundary where a promise's activity rows become arrays for `analysis.progress`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from lofte.activities.models import Activity, Seizure, StreetPrice
from lofte.activities.services import ended_visits
from lofte.analysis import progress as pure
from lofte.analysis.progress import Progress
from lofte.analysis.seizures import StreetValue, street_value
from lofte.analysis.vocabulary import Status
from lofte.cases.models import SupportCase
from lofte.core.disclosure import visible_counts
from lofte.observations.models import ACTION_ACTIVITY_KIND, Action
from lofte.promises.models import Commitment, Promise

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Records:
    patrols: pd.DataFrame
    seizures: pd.DataFrame
    activities: pd.DataFrame
    cases: pd.DataFrame  # start dates only


def records_for(promise: Promise, start: date | None = None, end: date | None = None) -> Records:
    """Every activity record in the promise's area from `start` to `end` (default: its period), as
    DataFrames (visits still going on left out)."""
    import pandas as pd

    start, end = start or promise.period_start, end or promise.period_end
    patrols = (
        ended_visits()
        .filter(
            place__area_id=promise.area_id,
            start__date__gte=start - pd.Timedelta(days=1),
            start__date__lte=end + pd.Timedelta(days=1),
        )
        .values_list("place_id", "start", "ended")
    )
    seizures = Seizure.objects.filter(area_id=promise.area_id, date__range=(start, end)).values_list(
        "date", "category", "kind", "automatic", "quantity", "unit"
    )
    activities = Activity.objects.filter(
        area_id=promise.area_id,
        start__date__gte=start - pd.Timedelta(days=1),
        start__date__lte=end + pd.Timedelta(days=1),
    ).values_list("start", "kind")
    # The shared situation picture's actions done in the area count as activities of their own kind.
    done = Action.objects.filter(area_id=promise.area_id, status=Action.Status.DONE, done_on__range=(start, end))
    local = ZoneInfo(settings.TIME_ZONE)
    actions = [(datetime.combine(day, time(12), tzinfo=local), ACTION_ACTIVITY_KIND)
               for day in done.values_list("done_on", flat=True) if day is not None]  # fmt: skip
    # Support cases count for a promise when they belong to one of its parties; only dates leave here.
    cases = SupportCase.objects.filter(organisation__in=promise.parties.all(), started_on__range=(start, end))
    return Records(
        cases=pd.DataFrame({"started": list(cases.values_list("started_on", flat=True))}),
        patrols=pd.DataFrame(list(patrols), columns=["place_id", "start", "end"]),
        seizures=pd.DataFrame(list(seizures), columns=["date", "category", "kind", "automatic", "quantity", "unit"]),
        activities=pd.DataFrame(list(activities) + actions, columns=["start", "kind"]),
    )


# Metrics whose figures are about people (the exit programme's cases): published as counts only, and
# hidden below LOFTE_SMALL_COUNT_THRESHOLD wherever the commitment's progress appears.
SENSITIVE_METRICS = frozenset({"support_cases"})


def commitment_progress(commitment: Commitment, records: Records, today: date | None = None) -> Progress:
    """The commitment's progress; a count about people below the threshold is hidden (`actual` None,
    and nothing in `numbers` that gives it back), as the promise's outputs hide it."""
    found = _commitment_progress(commitment, records, today)
    if found.metric in SENSITIVE_METRICS and found.actual is not None and visible_counts([found.actual])[0] is None:
        kept = {k: v for k, v in found.numbers.items() if k in ("days", "days_in_period")}
        return replace(found, actual=None, numbers={**kept, "suppressed_below": settings.LOFTE_SMALL_COUNT_THRESHOLD})
    return found


def _commitment_progress(commitment: Commitment, records: Records, today: date | None = None) -> Progress:
    promise = commitment.promise
    today = today or timezone.localdate()
    if not commitment.is_measurable():
        return pure.Progress(commitment.kind, Status.UNMEASURABLE, commitment.metric or None, None, None, None, {})
    if commitment.kind == commitment.Kind.MILESTONE:
        assert commitment.due_date is not None  # a measurable milestone has one
        return pure.milestone_progress(
            due=commitment.due_date,
            done=commitment.done_date,
            period_start=promise.period_start,
            period_end=promise.period_end,
            today=today,
        )
    return pure.target_progress(
        commitment.definition(),
        patrols=records.patrols,
        seizures=records.seizures,
        activities=records.activities,
        cases=records.cases,
        period_start=promise.period_start,
        period_end=promise.period_end,
        today=today,
        tz=settings.TIME_ZONE,
    )


def promise_progress(
    promise: Promise, today: date | None = None, records: Records | None = None
) -> list[tuple[Commitment, Progress]]:
    """[(commitment, Progress)] for every commitment of the promise, in order."""
    records = records or records_for(promise)
    commitments = promise.commitments.prefetch_related("places", "responsible")
    return [(c, commitment_progress(c, records, today)) for c in commitments]


@dataclass(frozen=True)
class Tally:
    """How a promise's measurable commitments stand: those due (ended targets, milestones past their
    date) as kept or not, the others as on track or not. A one-month-old promise read "0 of 3
    measurable commitments kept" while two were on track (issue 24): only what is due is kept or not."""

    kept: int = 0
    partly_kept: int = 0
    not_kept: int = 0
    on_track: int = 0
    behind: int = 0
    not_started: int = 0

    @classmethod
    def of(cls, statuses: Iterable[str]) -> Tally:
        found = Counter(statuses)
        return cls(**{name: found[getattr(Status, name.upper())] for name in cls.__dataclass_fields__})

    @property
    def due(self) -> int:
        return self.kept + self.partly_kept + self.not_kept

    @property
    def running(self) -> int:
        return self.on_track + self.behind + self.not_started

    @property
    def measurable(self) -> int:
        return self.due + self.running


@dataclass(frozen=True)
class PromiseOutputs:
    """The headline outputs of a promise up to `as_of`, as the public page and the API show them."""

    as_of: date
    visits: int
    visits_per_day: float
    patrol_hours: float
    weapons: int
    automatic_weapons: int
    narcotics_kg: float
    information_meetings: int
    support_cases: int | None  # None: fewer than LOFTE_SMALL_COUNT_THRESHOLD, not published
    street_value: StreetValue

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def narcotics_g(self) -> float:
        """Grams, for pages that show less than a kilogram (45.5 g read "0,0 kg" before)."""
        return self.narcotics_kg * 1000


def promise_outputs(
    promise: Promise, today: date | None = None, records: Records | None = None
) -> PromiseOutputs | None:
    """The headline outputs of a promise so far: visits, seizures, meetings."""
    records = records or records_for(promise)
    today = today or timezone.localdate()
    end = min(today, promise.period_end)
    if today < promise.period_start:
        return None
    measure = pure.measure

    def value(metric: str, **options: Any) -> float:
        return measure(
            pure.MetricDefinition(metric=metric, **options),
            patrols=records.patrols,
            seizures=records.seizures,
            activities=records.activities,
            cases=records.cases,
            start=promise.period_start,
            end=end,
            tz=settings.TIME_ZONE,
        )[0]

    return PromiseOutputs(
        as_of=end,
        visits=int(value("patrol_visits")),
        visits_per_day=value("patrol_visits_per_day"),
        patrol_hours=value("patrol_minutes") / 60,
        weapons=int(value("seizures", category="weapon", measure="pieces")),
        automatic_weapons=int(value("seizures", category="weapon", automatic_only=True, measure="pieces")),
        narcotics_kg=value("seizures", category="narcotics", measure="weight_g") / 1000,
        information_meetings=int(value("activities", kind="information_meeting")),
        support_cases=visible_counts([value("support_cases")])[0],
        street_value=narcotics_value(records.seizures, end),
    )


def narcotics_value(seizures: pd.DataFrame, until: date) -> StreetValue:
    """The estimated street value range (SEK) of the narcotics seized up to `until`."""
    import pandas as pd

    narcotics = seizures[(seizures["category"] == "narcotics")] if len(seizures) else seizures
    if len(narcotics):
        narcotics = narcotics[pd.to_datetime(narcotics["date"]).dt.date <= until]
    prices = pd.DataFrame(list(StreetPrice.objects.values("substance", "unit", "low", "high", "valid_from")))
    return street_value(narcotics, prices)
