"""The yearly follow-up of a decided action plan: each measure's status, its indicator against the
report's year (the baseline) with an interval, and a citizen promise's own evaluation. Brå finds that
municipalities rarely follow up whether their measures worked; this makes the follow-up the next
report's first section (`figures.generate` puts the previous year's plan's follow-up in it) and a
page of its own.

An indicator of incident types or observations is compared week by week with the same days of the
baseline year (`analysis.periods.compare_periods`; intervals for all of the plan's indicators
together), up to the last day with data: a follow-up made in June compares January–June with
January–June. Counts follow the public rule (a small count hides its ratio).
"""

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from lofte.analysis.periods import compare_periods, weekly_counts
from lofte.incidents.disclosure import Disclosure
from lofte.incidents.picture import period_choices
from lofte.incidents.situation import LOCAL, Filters, incidents_in
from lofte.observations.models import Observation
from lofte.observations.weekly import MAIN_CATEGORY
from lofte.promises.follow_up import follow_up as promise_follow_up

from .models import Measure, SituationReport


def follow_up(report: SituationReport, *, today: date | None = None) -> dict[str, Any]:
    """The follow-up of `report`'s plan in the year after it (a JSON-ready dict)."""
    today = today or timezone.localdate()
    year = report.year + 1
    start = date(year, 1, 1)
    last = min(date(year, 12, 31), period_choices(report.area).latest_day, today)
    shown = Disclosure(username="(public)", area=report.area, full=False)
    measures = list(report.measures.select_related("promise", "action", "observation_category", "responsible"))
    compared = [m for m in measures if m.incident_types or m.observation_category_id]
    rows = []
    for measure in measures:
        row: dict[str, Any] = {"title": measure.title, "status": measure.status, "status_note": measure.status_note,
                               "indicator": None, "promise": None, "action": None}  # fmt: skip
        if (measure.incident_types or measure.observation_category_id) and last >= start:
            row["indicator"] = _indicator(report, measure, start, last, shown, comparisons=len(compared))
        if measure.promise is not None:
            row["promise"] = _promise(measure, today)
        if measure.action is not None:
            done = measure.action.done_on
            row["action"] = {"title": measure.action.title, "status": measure.action.status,
                             "done_on": done.isoformat() if done else None}  # fmt: skip
        rows.append(row)
    return {"report": report.pk, "version": report.version, "year": year, "baseline_year": report.year,
            "through": last.isoformat() if last >= start else None, "measures": rows}  # fmt: skip


def _indicator(
    report: SituationReport, measure: Measure, start: date, last: date, shown: Disclosure, *, comparisons: int
) -> dict[str, Any]:
    """The indicator's events from `start` to `last` against the same days a year before."""
    length = (last - start).days + 1
    before = start.replace(year=start.year - 1)
    before_last = before + timedelta(days=length - 1)
    if measure.incident_types:
        what = ", ".join(measure.incident_types)
        now_days = _incident_days(report, measure.incident_types, start, last)
        then_days = _incident_days(report, measure.incident_types, before, before_last)
    else:
        category = measure.observation_category
        assert category is not None
        what = category.local_label()
        now_days = _observation_days(report, category.code, start, last)
        then_days = _observation_days(report, category.code, before, before_last)
    change = compare_periods(
        weekly_counts(then_days, length=length), weekly_counts(now_days, length=length), comparisons=comparisons
    )
    then, now = shown.counts([len(then_days), len(now_days)])
    hidden = then is None or now is None
    return {
        "what": what, "baseline": then, "now": now, "weeks": max(1, length // 7),
        "ratio": None if hidden else change.ratio, "ci_low": None if hidden else change.ci_low,
        "ci_high": None if hidden else change.ci_high, "verdict": None if hidden else str(change.verdict),
    }  # fmt: skip


def _incident_days(report: SituationReport, types: list[str], start: date, last: date) -> list[int]:
    """Each incident's local day, counted from `start`."""
    import pandas as pd

    frame = incidents_in(report.area, Filters(start, last, tuple(types)), columns=["occurred_from"])
    local = frame["occurred_from"].dt.tz_convert(LOCAL).dt.tz_localize(None).dt.normalize()
    return [int(d) for d in (local - pd.Timestamp(start)).dt.days.tolist()]


def _observation_days(report: SituationReport, code: str, start: date, last: date) -> list[int]:
    areas = [report.area_id, *report.parts.values_list("pk", flat=True)]
    days = (
        Observation.objects.filter(area__in=areas, occurred_on__gte=start, occurred_on__lte=last)
        .annotate(main=MAIN_CATEGORY)
        .filter(main=code)
        .values_list("occurred_on", flat=True)
    )
    return [(d - start).days for d in days]


def _promise(measure: Measure, today: date) -> dict[str, Any]:
    """A citizen promise's own follow-up: how many commitments are kept, partly kept or not kept."""
    promise = measure.promise
    assert promise is not None
    found = promise_follow_up(promise, today)
    tally: dict[str, int] = {}
    for progress in found.progress.values():
        tally[str(progress.status)] = tally.get(str(progress.status), 0) + 1
    return {"title": promise.title, "slug": promise.slug, "status": promise.status, "commitments": tally}
