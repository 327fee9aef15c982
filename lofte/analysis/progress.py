"""Progress of a commitment: from its metric definition and activity records to a status.

Pure functions: the records come in as pandas DataFrames built at one boundary
(`lofte.promises.progress`), nothing here touches a database.

Record frames and their columns
-------------------------------
patrols : place_id, start, end (tz-aware timestamps, any zone; UTC as stored)
seizures : date (calendar date), category, kind, automatic (bool), quantity, unit
activities : start (tz-aware timestamp), kind
cases : started (calendar date) of support cases (counts only: no personal data)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from .vocabulary import PATROL_METRICS, RATE_METRICS, Comparator, Measure, Metric, Status

if TYPE_CHECKING:
    import pandas as pd

METRICS = tuple(Metric)
COMPARATORS = tuple(Comparator)
MEASURES = tuple(Measure)
KOPER_MINUTES = (10.0, 16.0)

KEPT, PARTLY_KEPT, NOT_KEPT = Status.KEPT, Status.PARTLY_KEPT, Status.NOT_KEPT
ON_TRACK, BEHIND, NOT_STARTED = Status.ON_TRACK, Status.BEHIND, Status.NOT_STARTED


@dataclass(frozen=True)
class MetricDefinition:
    """What a target commitment measures.

    Parameters
    ----------
    metric : one of METRICS
    comparator : one of COMPARATORS; how `actual` must relate to `target`
    target : the target value in the metric's unit (visits, visits per day,
        minutes, seizures or grams, activities)
    place_ids : restrict patrols to these places; empty means all places given
    category, kind : restrict seizures (category weapon/narcotics/other, kind such
        as "pistol") or activities (kind such as "information_meeting"); empty means all
    automatic_only : count only automatic weapons
    measure : for seizures, "count" (seizure events), "pieces" (sum of quantities
        counted in pieces, e.g. weapons) or "weight_g" (sum of quantities in grams)
    min_visit_minutes : patrol visits shorter than this (minutes) are not counted
    """

    metric: str
    comparator: str = ">="
    target: float = 0.0
    place_ids: tuple[int, ...] = ()
    category: str = ""
    kind: str = ""
    automatic_only: bool = False
    measure: str = "count"
    min_visit_minutes: float = 0.0

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise ValueError(f"metric: unknown metric {self.metric!r}; expected one of {METRICS}")
        if self.comparator not in COMPARATORS:
            raise ValueError(f"comparator: expected one of {COMPARATORS}, got {self.comparator!r}")
        if self.measure not in MEASURES:
            raise ValueError(f"measure: expected one of {MEASURES}, got {self.measure!r}")
        if self.measure != "count" and self.metric != "seizures":
            raise ValueError(f"measure: {self.measure!r} applies to seizures only")


@dataclass(frozen=True)
class Progress:
    """The computed state of one commitment.

    `actual` and `target` are in the metric's unit; `numbers` holds the figures
    behind them (days counted, visits, minutes, the pace expected by now, ...).
    """

    kind: str  # "target" or "milestone"
    status: str
    metric: str | None
    target: float | None
    actual: float | None
    as_of: date | None
    numbers: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat() if self.as_of else None
        return data


def _empty(columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})


def _local_dates(timestamps: pd.Series, tz: str) -> pd.Series:
    import pandas as pd

    ts = pd.to_datetime(timestamps, utc=True)
    return ts.dt.tz_convert(tz).dt.date


def _compare(actual: float, comparator: str, target: float) -> bool:
    return bool(
        {
            ">=": actual >= target,
            ">": actual > target,
            "<=": actual <= target,
            "<": actual < target,
            "==": np.isclose(actual, target),
        }[comparator]
    )


def measure(
    definition: MetricDefinition,
    *,
    patrols: pd.DataFrame | None = None,
    seizures: pd.DataFrame | None = None,
    activities: pd.DataFrame | None = None,
    cases: pd.DataFrame | None = None,
    start: date,
    end: date,
    tz: str,
) -> tuple[float, dict[str, Any]]:
    """The metric's value over the local calendar days `start`..`end` inclusive.

    Returns (value, numbers). Days are calendar days in `tz` (an IANA zone such as
    "Europe/Stockholm", the site's TIME_ZONE), so a visit at 00:30 local time on a
    summer night counts on that day, not on the UTC day before it.
    """
    import pandas as pd

    numbers = {"days": max((end - start).days + 1, 0)}
    if definition.metric in PATROL_METRICS:
        frame = patrols if patrols is not None else _empty(["place_id", "start", "end"])
        return _patrol_measure(definition, frame, start, end, tz, numbers)
    if definition.metric == "seizures":
        columns = ["date", "category", "kind", "automatic", "quantity", "unit"]
        return _seizure_measure(definition, seizures if seizures is not None else _empty(columns), start, end, numbers)
    if definition.metric == "support_cases":
        frame = cases if cases is not None else _empty(["started"])
        if len(frame):
            started = pd.to_datetime(frame["started"]).dt.date
            frame = frame[((started >= start) & (started <= end)).to_numpy()]
        numbers.update(cases=int(len(frame)))
        return float(len(frame)), numbers
    frame = activities if activities is not None else _empty(["start", "kind"])
    if len(frame):
        on = _local_dates(frame["start"], tz)
        keep = ((on >= start) & (on <= end)).to_numpy()
        if definition.kind:
            keep = keep & (frame["kind"] == definition.kind).to_numpy()
        frame = frame[keep]
    numbers.update(activities=int(len(frame)))
    return float(len(frame)), numbers


def _patrol_measure(
    definition: MetricDefinition, frame: pd.DataFrame, start: date, end: date, tz: str, numbers: dict[str, Any]
) -> tuple[float, dict[str, Any]]:
    import pandas as pd

    days = numbers["days"]
    if len(frame) and definition.place_ids:
        frame = frame[frame["place_id"].isin(definition.place_ids)]
    if len(frame):
        on = _local_dates(frame["start"], tz)
        frame = frame[((on >= start) & (on <= end)).to_numpy()]
    lengths = (
        pd.to_datetime(frame["end"], utc=True) - pd.to_datetime(frame["start"], utc=True)
    ).dt.total_seconds() / 60
    if definition.min_visit_minutes > 0 and len(frame):
        # A visit of 0 minutes counted towards "twice a day" (issue 24): too short to be presence.
        long_enough = (lengths >= definition.min_visit_minutes).to_numpy()
        numbers.update(short_visits=int((~long_enough).sum()))
        lengths = lengths[long_enough]
    visits = int(len(lengths))
    minutes = float(lengths.sum()) if visits else 0.0
    numbers.update(visits=visits, minutes=round(minutes, 1))
    if definition.metric == "koper_share":
        if not visits:
            return 0.0, numbers
        within = int(((lengths >= KOPER_MINUTES[0]) & (lengths <= KOPER_MINUTES[1])).sum())
        numbers.update(visits_10_to_16_minutes=within)
        return within / visits, numbers
    if definition.metric == "patrol_visits":
        return float(visits), numbers
    if definition.metric == "patrol_minutes":
        return minutes, numbers
    return (visits / days if days > 0 else 0.0), numbers


def _seizure_measure(
    definition: MetricDefinition, frame: pd.DataFrame, start: date, end: date, numbers: dict[str, Any]
) -> tuple[float, dict[str, Any]]:
    import pandas as pd

    if len(frame):
        dates = pd.to_datetime(frame["date"]).dt.date
        keep = ((dates >= start) & (dates <= end)).to_numpy()
        if definition.category:
            keep = keep & (frame["category"] == definition.category).to_numpy()
        if definition.kind:
            keep = keep & (frame["kind"].str.casefold() == definition.kind.casefold()).to_numpy()
        if definition.automatic_only:
            keep = keep & frame["automatic"].astype(bool).to_numpy()
        frame = frame[keep]
    count = int(len(frame))
    totals = {"count": float(count), "pieces": 0.0, "weight_g": 0.0}
    if count:
        quantity = frame["quantity"].astype(float)
        totals["pieces"] = float(quantity[frame["unit"] == "piece"].sum())
        totals["weight_g"] = float(quantity[frame["unit"] == "g"].sum())
    numbers.update(seizures=count, pieces=totals["pieces"], grams=round(totals["weight_g"], 3))
    return totals[definition.measure], numbers


def target_progress(
    definition: MetricDefinition,
    *,
    patrols: pd.DataFrame | None = None,
    seizures: pd.DataFrame | None = None,
    activities: pd.DataFrame | None = None,
    cases: pd.DataFrame | None = None,
    period_start: date,
    period_end: date,
    today: date,
    partial_share: float = 0.5,
    tz: str,
) -> Progress:
    """Progress of a target commitment over a promise period.

    Parameters
    ----------
    definition : MetricDefinition
    patrols, seizures, activities, cases : pandas.DataFrame, optional
        Activity records (see the module docstring); never modified.
    period_start, period_end : datetime.date
        The promise period, inclusive, as local calendar days.
    today : datetime.date
        Today's local date; the metric is measured up to today or the period's end.
    partial_share : float, keyword-only
        A finished period whose actual reaches this share of an at-least target
        counts as partly kept (default 0.5).

    Returns
    -------
    Progress
        While the period runs, cumulative at-least targets are judged against the
        pace expected by now (target x elapsed days / period days): "on_track" or
        "behind"; a cumulative target already reached is "kept". After the period:
        "kept", "partly_kept" or "not_kept".
    """
    target = float(definition.target)
    if today < period_start:
        return Progress(
            "target",
            NOT_STARTED,
            definition.metric,
            target,
            0.0,
            None,
            {"days": 0, "days_in_period": (period_end - period_start).days + 1},
        )
    as_of = min(today, period_end)
    actual, numbers = measure(
        definition,
        patrols=patrols,
        seizures=seizures,
        activities=activities,
        cases=cases,
        start=period_start,
        end=as_of,
        tz=tz,
    )
    days_in_period = (period_end - period_start).days + 1
    numbers["days_in_period"] = days_in_period
    if target:
        numbers["share_of_target"] = round(actual / target, 4)
    met = bool(_compare(actual, definition.comparator, target))
    at_least = definition.comparator in (">=", ">")
    cumulative = definition.metric not in RATE_METRICS

    if today > period_end:
        if met:
            status = KEPT
        elif at_least and target > 0 and actual >= partial_share * target:
            status = PARTLY_KEPT
        else:
            status = NOT_KEPT
    elif cumulative and at_least:
        expected = target * numbers["days"] / days_in_period
        numbers["expected_by_now"] = round(expected, 2)
        status = KEPT if met else (ON_TRACK if actual >= expected else BEHIND)
    elif cumulative and not met:
        status = NOT_KEPT  # an at-most budget already overspent cannot recover
    else:
        status = ON_TRACK if met else BEHIND
    return Progress("target", status, definition.metric, target, actual, as_of, numbers)


def milestone_progress(
    *, due: date, done: date | None = None, period_start: date, period_end: date, today: date
) -> Progress:
    """Progress of a milestone: done by its due date, late, or not yet done.

    Done on time is "kept", done late "partly_kept" (with the days late);
    not done is "on_track" until the due date, then "behind" while the period
    runs and "not_kept" after it.
    """
    numbers: dict[str, Any] = {"due": due.isoformat(), "done": done.isoformat() if done else None}
    if done is not None and done <= today:
        if done <= due:
            return Progress("milestone", KEPT, None, None, None, done, numbers)
        numbers["days_late"] = (done - due).days
        return Progress("milestone", PARTLY_KEPT, None, None, None, done, numbers)
    if today < period_start:
        return Progress("milestone", NOT_STARTED, None, None, None, None, numbers)
    status = ON_TRACK if today <= due else NOT_KEPT if today > period_end else BEHIND
    return Progress("milestone", status, None, None, None, min(today, period_end), numbers)
