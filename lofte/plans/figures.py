"""The generated sections of a situation report: every number it publishes, from Löfte's data.

What each part answers (lag 2023:196 § 4; Brå's guidance on the municipalities' lägesbild):

- `mapping` — § 4 p. 1, "en kartläggning av brottsligheten, dess omfattning och konsekvenser": the
  incidents of the year by type, year on year over up to five years, the trend beyond the season with
  its interval, per 1 000 residents where the population is entered, by part of the area, against the
  municipality as a whole and against the reference values entered with their source; harm where a
  harm table is loaded; the partners' observations by category, this year against last.
- `voices` — § 4 p. 2, "annan information av betydelse": the safety survey's indicators with their
  intervals and what residents said in dialogues, by theme.
- `when_where` — where and when crime concentrates: hot spots, the grid cells and named places that
  hold half of the incidents, and the annual wheel (month, weekday, hour; named only where the data
  show a pattern, `analysis.wheel`).
- `analysis` — § 4 p. 3, "en analys": Brå's priorities where they can be computed (most common,
  increasing, deviating from the comparison, most harmful), the cause trees of the problems chosen,
  and the sources used.

The report is public once decided, so every count follows the public rule: counts below
LOFTE_SMALL_COUNT_THRESHOLD are hidden, with further counts where they would give a hidden one back
(`Disclosure.table_of`), and a rate, harm or verdict is given only beside a count that is shown.
Figures are computed once (`generate`) and kept with the version: a decided report never changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.utils import timezone

from lofte.analysis import situation as pure
from lofte.analysis import wheel
from lofte.analysis.periods import compare_periods, weekly_counts
from lofte.analysis.vocabulary import Change
from lofte.dialogues.models import Statement, Theme
from lofte.incidents import harm as harm_index
from lofte.incidents.disclosure import Disclosure
from lofte.incidents.inside import AreaIncidents
from lofte.incidents.maps import hotspot_layers
from lofte.incidents.situation import LOCAL, Filters, incidents_in
from lofte.observations.models import Observation
from lofte.observations.weekly import MAIN_CATEGORY
from lofte.places.models import Area, Place
from lofte.places.population import residents
from lofte.promises.models import Promise
from lofte.promises.permissions import promises as promise_policy
from lofte.surveys.models import Wave
from lofte.surveys.permissions import surveys as survey_policy
from lofte.surveys.results import compare_waves

from .follow_up import follow_up
from .models import SituationReport

if TYPE_CHECKING:
    import pandas as pd

YEARS = 5  # year on year: the report's year and up to four before it
TREND_YEARS = 3  # the trend beyond the season: 36 months (a shorter span cannot tell the season)
TOP = 12  # incident types with a row of their own; the rest together
DECIDED = (SituationReport.Status.DECIDED, SituationReport.Status.PUBLISHED)
COLUMNS = ["type", "occurred_from", "occurred_to", "place_id", "x", "y", "source"]


@dataclass(frozen=True)
class Scope:
    """What a report counts: its area, its parts, the year, and the public rule."""

    area: Area
    parts: list[Area]
    comparison: Area | None
    year: int
    shown: Disclosure

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 12, 31)

    @property
    def areas(self) -> list[Area]:
        return [self.area, *self.parts]


def generate(report: SituationReport) -> dict[str, Any]:
    """Every generated section of `report` (a JSON-ready dict, with the time of extraction)."""
    scope = Scope(
        area=report.area,
        parts=list(report.parts.order_by("name")),
        comparison=report.comparison_area,
        year=report.year,
        shown=Disclosure(username="(public)", area=report.area, full=False),
    )
    inside = AreaIncidents.of(scope.area)
    earliest, latest = inside.span()
    first_year = max(scope.year - YEARS + 1, timezone.localtime(earliest).year if earliest else scope.year)
    frame = incidents_in(scope.area, Filters(date(first_year, 1, 1), scope.end), inside=inside, columns=COLUMNS)
    local = frame["occurred_from"].dt.tz_convert(LOCAL)
    frame["year"] = local.dt.year.to_numpy()
    frame["month"] = pure.month_index(frame["year"].to_numpy(), local.dt.month.to_numpy())
    began = timezone.localtime(earliest).date() if earliest else None
    ended = timezone.localtime(latest).date() if latest else None
    incidents = _incidents(scope, frame, first_year, began, ended)
    this_year = frame[frame["year"] == scope.year]
    when_where = _when_where(scope, frame, this_year, began, ended)
    mapping = {
        "incidents": incidents,
        "parts": _parts(scope),
        "comparison": _comparison(scope, incidents),
        "references": [],  # filled by `compare_references` from the report's reference values
        "harm": _harm(incidents),
        "observations": _observations(scope),
    }
    sources = _sources(scope, frame)
    previous = (
        SituationReport.objects.filter(area=scope.area, year=scope.year - 1, status__in=DECIDED)
        .order_by("-version")
        .first()
    )
    return json_ready(
        {
            "follow_up": follow_up(previous, today=min(scope.end, timezone.localdate())) if previous else None,
            "extracted_at": timezone.now().isoformat(timespec="seconds"),
            "year": scope.year,
            "suppressed_below": settings.LOFTE_SMALL_COUNT_THRESHOLD,
            "mapping": mapping,
            "voices": {"survey": _survey(scope), "dialogues": _dialogues(scope), "opinions": _opinions(scope)},
            "when_where": when_where,
            "analysis": {
                "priorities": _priorities(incidents, mapping),
                "causes": _causes(scope),
                "sources": sources,
            },
        }
    )


def json_ready(value: Any) -> Any:
    """`value` as JSON can hold it: an interval without an upper end (∞) or a NaN becomes None, numpy's
    numbers Python's. (JSON has no Infinity: the database refuses it.)"""
    if isinstance(value, dict):
        return {key: json_ready(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _cell(cell: Any) -> dict[str, Any]:
    return {"value": cell.value, "small": cell.small}


def _incidents(
    scope: Scope, frame: pd.DataFrame, first_year: int, began: date | None, ended: date | None
) -> dict[str, Any]:
    """The types' counts year by year (the most common of the report's year first), the trend of each
    over the last 36 months, and the year's rate per 1 000 residents."""
    years = list(range(first_year, scope.year + 1))
    this_year = frame[frame["year"] == scope.year]
    order = [str(t) for t in this_year["type"].value_counts().index]
    order += sorted(set(frame["type"]) - set(order))
    by_year = {name: [int(((frame["type"] == name) & (frame["year"] == y)).sum()) for y in years] for name in order}
    # A type has a row of its own when none of its years is a small count: the small ones join the
    # other types, so that the table hides as little as the rule allows (a lone small cell would take
    # a second cell of its row and column with it).
    threshold = settings.LOFTE_SMALL_COUNT_THRESHOLD
    named = [name for name in order if not any(0 < n < threshold for n in by_year[name])][:TOP]
    rest = np.sum([by_year[name] for name in order if name not in named] or [[0] * len(years)], axis=0)
    # The other types' row, a remainder of the totals, must not be small either: the least common
    # named types join it until it is not (the table then hides nothing at all).
    while named and any(0 < n < threshold for n in rest):
        small = [i for i, n in enumerate(rest) if 0 < n < threshold]
        joining = next((name for name in reversed(named) if all(by_year[name][i] > 0 for i in small)), named[-1])
        named.remove(joining)
        rest = rest + np.asarray(by_year[joining])
    rows = [by_year[name] for name in named]
    others = frame[~frame["type"].isin(named)]
    if len(others):
        rows.append([int((others["year"] == y).sum()) for y in years])
    names: list[str | None] = [*named, *([None] if len(others) else [])]
    table = scope.shown.table_of(names, rows, [str(y) for y in years]) if rows else None
    trend_start = date(scope.year - TREND_YEARS + 1, 1, 1)
    first, last = pure.month_index(trend_start.year, 1), pure.month_index(scope.year, 12)
    filters = Filters(trend_start, scope.end)
    month_of_year = (np.arange(first, last + 1) % 12) + 1

    def trend(months: np.ndarray) -> pure.Trend:
        counts = pure.monthly_counts(months, first=first, last=last)
        cut = _whole(counts, filters, began, ended)
        return pure.poisson_trend(cut, month_of_year=_whole(month_of_year, filters, began, ended))

    overall = trend(frame["month"].to_numpy())
    population = residents(scope.area, scope.year)
    out_rows = []
    for i, name in enumerate(names):
        cells = [_cell(c) for c in table.rows[i].months] if table else []
        shown = bool(cells) and cells[-1]["value"] is not None
        months = (frame.loc[frame["type"] == name, "month"] if name is not None else others["month"]).to_numpy()
        found = trend(months)
        rate = None
        if shown and population and population.residents:
            rate = pure.rate_per_thousand(
                rows[i][-1], residents=population.residents, years=1, dispersion=found.dispersion or 1
            ).to_dict()
        out_rows.append({"type": name, "years": cells, "trend": _trend(found) if shown else None, "per_1000": rate})
    total_cells = [_cell(c) for c in table.monthly_total] if table else []
    total = total_cells[-1]["value"] if total_cells else 0
    per_1000 = None
    if total is not None and population and population.residents:
        per_1000 = pure.rate_per_thousand(
            total, residents=population.residents, years=1, dispersion=overall.dispersion or 1
        ).to_dict()
    return {
        "years": years,
        "rows": out_rows,
        "total": total_cells,
        "trend": _trend(overall) if total is not None else None,
        "per_1000": per_1000,
        "population": None if population is None else
        {"year": population.year, "residents": population.residents, "source": population.source},
        "dispersion": overall.dispersion or 1.0,
    }  # fmt: skip


def _whole(values: np.ndarray, filters: Filters, began: date | None, ended: date | None) -> np.ndarray:
    from lofte.incidents.situation import whole_months

    return whole_months(values, filters, began=began, ended=ended)


def _trend(trend: pure.Trend) -> dict[str, Any]:
    return {"monthly_change": trend.monthly_change, "ci_low": trend.ci_low, "ci_high": trend.ci_high,
            "verdict": str(trend.verdict), "reason": trend.reason, "months": trend.months}  # fmt: skip


def _year_total(area: Area, year: int) -> tuple[int, float]:
    """The area's incidents in `year` and the dispersion of their monthly counts."""
    from lofte.incidents.picture import picture

    found = picture(area, Filters(date(year, 1, 1), date(year, 12, 31)), only="situation").situation
    assert found is not None
    monthly = np.asarray(found.monthly_total, dtype=float)
    mean = monthly.mean() if len(monthly) else 0.0
    phi = float(((monthly - mean) ** 2).sum() / mean / (len(monthly) - 1)) if mean > 0 and len(monthly) > 1 else 1.0
    return found.total, max(1.0, phi)


def _parts(scope: Scope) -> list[dict[str, Any]]:
    """Each part's incidents of the year, and per 1 000 of its residents."""
    out = []
    for part in scope.parts:
        total, phi = _year_total(part, scope.year)
        shown = scope.shown.counts([total])[0]
        population = residents(part, scope.year)
        rate = None
        if shown is not None and population and population.residents:
            rate = pure.rate_per_thousand(total, residents=population.residents, years=1, dispersion=phi).to_dict()
        out.append({"area": part.name, "code": part.code, "total": {"value": shown, "small": shown is None},
                    "per_1000": rate})  # fmt: skip
    return out


def _comparison(scope: Scope, incidents: dict[str, Any]) -> dict[str, Any] | None:
    """The area's rate per resident against the comparison area's (the municipality as a whole)."""
    if scope.comparison is None:
        return None
    ours, population = incidents["per_1000"], residents(scope.comparison, scope.year)
    out: dict[str, Any] = {"area": scope.comparison.name, "per_1000": None, "ratio": None}
    total, phi = _year_total(scope.comparison, scope.year)
    if population is None or not population.residents:
        return out
    out["per_1000"] = pure.rate_per_thousand(total, residents=population.residents, years=1, dispersion=phi).to_dict()
    if ours is not None:
        ratio = pure.compare_rates(
            ours["count"], ours["residents"], total, population.residents,
            dispersion=max(phi, incidents["dispersion"]),
        )  # fmt: skip
        out["ratio"] = {"ratio": ratio.ratio, "ci_low": ratio.ci_low, "ci_high": ratio.ci_high,
                        "verdict": str(ratio.verdict)}  # fmt: skip
    out["types"] = _type_ratios(scope, incidents, population.residents, phi)
    return out


def _type_ratios(scope: Scope, incidents: dict[str, Any], residents_there: int, phi: float) -> list[dict[str, Any]]:
    """Each type with a row of its own against the comparison area's rate of the type (intervals for
    all the types together): Brå's "deviating from comparable areas"."""
    from lofte.incidents.picture import picture

    assert scope.comparison is not None
    there = picture(scope.comparison, Filters(scope.start, scope.end), only="situation").situation
    counts = dict(there.types) if there else {}
    rows = [r for r in incidents["rows"] if r["type"] is not None and r["per_1000"] is not None]
    out = []
    for row in rows:
        ratio = pure.compare_rates(
            row["per_1000"]["count"], row["per_1000"]["residents"], counts.get(row["type"], 0), residents_there,
            dispersion=max(phi, incidents["dispersion"]), comparisons=len(rows),
        )  # fmt: skip
        out.append({"type": row["type"], "ratio": ratio.ratio, "ci_low": ratio.ci_low, "ci_high": ratio.ci_high,
                    "verdict": str(ratio.verdict)})  # fmt: skip
    return out


def _harm(incidents: dict[str, Any]) -> dict[str, Any] | None:
    """The year's harm by type (count times the type's weight), for the types whose count is shown."""
    table = harm_index.table()
    if not table.weights:
        return None
    rows = []
    for row in incidents["rows"]:
        count = row["years"][-1]["value"] if row["years"] else None
        if row["type"] in table.weights and count is not None:
            rows.append({"type": row["type"], "harm": count * table.weights[row["type"]]})
    rows.sort(key=lambda r: -r["harm"])
    return {"unit": table.unit, "source": table.source, "dated": table.dated.isoformat() if table.dated else None,
            "rows": rows}  # fmt: skip


def _observations(scope: Scope) -> dict[str, Any]:
    """The partners' observations by category, the year against the year before (weekly counts,
    intervals simultaneous over the categories)."""
    before = date(scope.year - 1, 1, 1)
    rows = list(
        Observation.objects.filter(area__in=scope.areas, occurred_on__gte=before, occurred_on__lte=scope.end)
        .annotate(main=MAIN_CATEGORY)
        .values_list("main", "occurred_on")
    )
    codes = sorted({code for code, _ in rows})
    length_now = (scope.end - scope.start).days + 1
    length_then = (scope.start - before).days
    out = []
    for code in codes:
        now = [(d - scope.start).days for c, d in rows if c == code and d >= scope.start]
        then = [(d - before).days for c, d in rows if c == code and d < scope.start]
        change = compare_periods(
            weekly_counts(then, length=length_then), weekly_counts(now, length=length_now), comparisons=len(codes)
        )
        shown_now, shown_then = scope.shown.counts([len(now), len(then)])
        both = shown_now is not None and shown_then is not None
        out.append({"category": code, "count": shown_now, "before": shown_then,
                    "change": {"ratio": change.ratio, "ci_low": change.ci_low, "ci_high": change.ci_high,
                               "verdict": str(change.verdict)} if both else None})  # fmt: skip
    out.sort(key=lambda r: (-(r["count"] or 0), r["category"]))
    return {"rows": out, "first": min((d for _, d in rows), default=None) and str(min(d for _, d in rows))}


def _survey(scope: Scope) -> dict[str, Any] | None:
    """The published safety survey of the area (or a part) with an answered wave closed by the year's
    end: each indicator at the latest such wave with its interval, and the change since the baseline
    when that wave is a later one. Later waves are the next report's."""
    published = survey_policy.visible(AnonymousUser(), "results").filter(area__in=scope.areas)
    answered = (
        Wave.objects.filter(survey__in=published, closes_on__lte=scope.end, opens_on__lte=timezone.localdate())
        .annotate(answers=Count("responses"))
        .filter(answers__gt=0)
        .select_related("survey")
        .order_by("closes_on", "pk")
    )
    latest = answered.last()
    if latest is None:
        return None
    survey = latest.survey
    base = answered.filter(survey=survey, kind=Wave.Kind.BASELINE).first()
    compared = compare_waves(survey, waves=(base or latest, latest))
    rows = []
    for row in compared.rows:
        if row.domain != "all" or row.follow is None:
            continue
        follow = row.follow
        entry: dict[str, Any] = {
            "code": row.code, "question": row.text, "index": row.is_index, "n": follow.n,
            "share": None if follow.suppressed else _float(follow.estimate),
            "ci_low": _float(follow.ci_low), "ci_high": _float(follow.ci_high),
        }  # fmt: skip
        if base is not None and base != latest and row.comparison is not None and not follow.suppressed:
            c = row.comparison
            entry |= {"change": float(c.diff), "change_low": float(c.ci_low), "change_high": float(c.ci_high),
                      "verdict": str(row.verdict)}  # fmt: skip
        rows.append(entry)
    return {
        "name": survey.name, "follow": latest.label, "rows": rows, "notes": compared.notes,
        "base": base.label if base is not None and base != latest else None,
    }  # fmt: skip


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)


def _dialogues(scope: Scope) -> dict[str, Any]:
    """The published statements of the dialogues of the report's year and the two before (or written
    then), by theme: statements, not people, are counted."""
    first = scope.year - TREND_YEARS + 1
    held = Q(dialogue__held_on__year__gte=first, dialogue__held_on__year__lte=scope.year)
    written = Q(dialogue__isnull=True, created_at__year__gte=first, created_at__year__lte=scope.year)
    statements = Statement.objects.filter(area__in=scope.areas, status=Statement.Status.PUBLISHED).filter(
        held | written
    )
    total = statements.count()
    themes = (
        Theme.objects.filter(statements__in=statements)
        .annotate(n=Count("statements", distinct=True))
        .order_by("-n", "name")
        .values_list("name", "name_en", "n")
    )
    return {"statements": total, "first": first, "last": scope.year,
            "themes": [{"theme": n, "theme_en": en, "count": c} for n, en, c in themes]}  # fmt: skip


def _opinions(scope: Scope) -> list[dict[str, Any]]:
    """Each opinion exercise of the area: how many took part, the opinion groups found, and the
    statements every group agrees with (pol.is's group-informed consensus)."""
    from lofte.dialogues.models import OpinionExercise, OpinionStatement
    from lofte.dialogues.opinions import groups

    out = []
    for exercise in OpinionExercise.objects.filter(area__in=scope.areas).order_by("pk"):
        found = groups(exercise)
        texts = dict(OpinionStatement.objects.filter(exercise=exercise).values_list("pk", "text"))
        voters = exercise.statements.values("votes__voter").exclude(votes__voter=None).distinct().count()
        out.append({
            "title": exercise.title, "voters": voters, "groups": found.k if found else None,
            "consensus": [texts.get(pk, "") for pk in found.consensus] if found else [],
        })  # fmt: skip
    return out


def _when_where(
    scope: Scope, frame: pd.DataFrame, this_year: pd.DataFrame, began: date | None, ended: date | None
) -> dict[str, Any]:
    import pandas as pd

    located = this_year.dropna(subset=["x", "y"])
    layers = hotspot_layers(scope.area, located["x"].to_numpy(float), located["y"].to_numpy(float))
    half = layers.concentration.share_of_places_for_50 if layers.concentration is not None else None
    at_places = this_year["place_id"].dropna().astype(int).value_counts()
    names: dict[Any, str] = dict(Place.objects.filter(pk__in=at_places.index.tolist()).values_list("pk", "name"))
    places, held = [], 0
    counts = scope.shown.counts(at_places.tolist())
    for (pk, n), shown in zip(at_places.items(), counts, strict=True):
        if shown is None or held >= len(this_year) / 2:
            break
        held += int(n)
        places.append({"place": names.get(pk, "?"), "count": shown, "share": held / len(this_year)})
    # The wheel over the last three years of records, each event where its time is known well enough.
    wheel_start = max(date(scope.year - TREND_YEARS + 1, 1, 1), began or scope.start)
    wheel_end = min(scope.end, ended or scope.end)
    local = frame["occurred_from"].dt.tz_convert(LOCAL)
    day = local.dt.tz_localize(None).dt.normalize()
    keep = ((day >= pd.Timestamp(wheel_start)) & (day <= pd.Timestamp(wheel_end))).to_numpy()
    ends = pd.to_datetime(frame["occurred_to"], utc=True, format="mixed")
    span = ends - frame["occurred_from"]
    known_day = (ends.isna() | (span <= pd.Timedelta(days=1))).to_numpy() & keep
    known_hour = (ends.isna() | (span <= pd.Timedelta(hours=1))).to_numpy() & keep
    # A month-only record (police.uk) runs from the month's first day to its last: its month is known.
    known_month = (ends.isna() | (span <= pd.Timedelta(days=31))).to_numpy() & keep
    days = np.arange(np.datetime64(wheel_start), np.datetime64(wheel_end) + 1)
    day_months = days.astype("datetime64[M]").astype(int) % 12
    day_weekdays = (days.astype(int) + 3) % 7  # 1970-01-01 was a Thursday
    out: dict[str, Any] = {"hot_cells": layers.hot, "cell_metres": layers.cell, "half_in_cells": half,
                           "places": places, "wheel": None}  # fmt: skip
    if len(days) == 0 or wheel_end < wheel_start:
        return out
    per_day = np.bincount(
        (day[known_day].to_numpy().astype("datetime64[D]") - days[0]).astype(int), minlength=len(days)
    )
    phi = float(per_day.var(ddof=1) / per_day.mean()) if per_day.mean() > 0 and len(per_day) > 1 else 1.0
    months = local.dt.month.to_numpy()[known_month] - 1
    month_exposure = np.bincount(day_months, minlength=12).astype(float)
    month_cycle = (
        wheel.cycle(np.bincount(months, minlength=12)[month_exposure > 0], exposure=month_exposure[month_exposure > 0],
                    dispersion=max(phi, _monthly_phi(frame, known_month)))
        if (month_exposure > 0).sum() >= 2 else None
    )  # fmt: skip
    weekday_cycle = wheel.cycle(
        np.bincount(local.dt.day_of_week.to_numpy()[known_day], minlength=7),
        exposure=np.bincount(day_weekdays, minlength=7).astype(float), dispersion=phi,
    )  # fmt: skip
    hour_cycle = wheel.cycle(np.bincount(local.dt.hour.to_numpy()[known_hour], minlength=24), dispersion=phi)
    out["wheel"] = {
        "start": wheel_start.isoformat(), "end": wheel_end.isoformat(),
        "months_of_year": [int(m) for m in np.nonzero(month_exposure > 0)[0]],
        "known": {"month": int(known_month.sum()), "day": int(known_day.sum()), "hour": int(known_hour.sum())},
        "month": None if month_cycle is None else _cycle(month_cycle, scope),
        "weekday": _cycle(weekday_cycle, scope),
        "hour": _cycle(hour_cycle, scope),
    }  # fmt: skip
    return out


def _monthly_phi(frame: pd.DataFrame, known: np.ndarray) -> float:
    """The dispersion of the monthly counts around their season-and-trend fit (at least 1)."""
    months = frame["month"].to_numpy()[known]
    if not len(months):
        return 1.0
    counts = pure.monthly_counts(months, first=int(months.min()), last=int(months.max()))
    found = pure.poisson_trend(counts, month_of_year=(np.arange(months.min(), months.max() + 1) % 12) + 1)
    return float(found.dispersion or 1.0)


def _cycle(found: wheel.Cycle, scope: Scope) -> dict[str, Any]:
    """A cycle as published: each category's count hidden when small (its ratio and interval with it)."""
    counts = scope.shown.counts(found.counts)
    hidden = [c is None for c in counts]
    return {
        "counts": counts,
        "ratio": [None if h else r for h, r in zip(hidden, found.ratio, strict=True)],
        "ci_low": [None if h else r for h, r in zip(hidden, found.ci_low, strict=True)],
        "ci_high": [None if h else r for h, r in zip(hidden, found.ci_high, strict=True)],
        "p_value": found.p_value,
        "shown": found.shown,
        "above": [i for i in found.above if not hidden[i]],
        "below": [i for i in found.below if not hidden[i]],
        "dispersion": found.dispersion,
    }


def _priorities(incidents: dict[str, Any], mapping: dict[str, Any]) -> dict[str, Any]:
    """Brå's priorities that data can answer: the most common types, those increasing beyond the
    season, those deviating from the comparison, the most harmful."""
    named = [
        r for r in incidents["rows"] if r["type"] is not None and r["years"] and r["years"][-1]["value"] is not None
    ]
    common = sorted(named, key=lambda r: -r["years"][-1]["value"])[:5]
    increasing = [r["type"] for r in named if r["trend"] and r["trend"]["verdict"] == str(Change.INCREASE)]
    deviating = []
    comparison = mapping["comparison"]
    if comparison and comparison.get("ratio") and comparison["ratio"]["verdict"] == str(Change.INCREASE):
        deviating.append({"what": "all", "against": comparison["area"], "ratio": comparison["ratio"]["ratio"]})
    for row in (comparison or {}).get("types") or []:
        if row["verdict"] == str(Change.INCREASE):
            deviating.append({"what": row["type"], "against": comparison["area"], "ratio": row["ratio"]})
    harm = mapping["harm"]
    return {
        "most_common": [{"type": r["type"], "count": r["years"][-1]["value"]} for r in common],
        "increasing": increasing,
        "deviating": deviating,
        "most_harmful": harm["rows"][:5] if harm else None,
    }


def _causes(scope: Scope) -> list[dict[str, Any]]:
    """The public promises of the area and its parts with their problem and cause tree."""
    promises = promise_policy.anonymous("view", Promise.objects.filter(area__in=scope.areas)).order_by("-period_start")
    out = []
    for promise in promises.prefetch_related("causes"):
        causes = list(promise.causes.all())
        out.append({
            "promise": promise.title, "slug": promise.slug, "problem": promise.problem,
            "causes": [{"id": c.pk, "parent": c.parent_id, "text": c.text, "text_en": c.text_en} for c in causes],
        })  # fmt: skip
    return out


def _sources(scope: Scope, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Every source the sections read, with how many records and which days."""
    out = []
    for source, rows in frame.groupby("source"):
        local = rows["occurred_from"].dt.tz_convert(LOCAL)
        out.append({"kind": "incidents", "name": str(source), "records": len(rows),
                    "first": local.min().date().isoformat(), "last": local.max().date().isoformat()})  # fmt: skip
    observed = Observation.objects.filter(area__in=scope.areas, occurred_on__year=scope.year)
    if observed.exists():
        out.append({"kind": "observations", "name": "observations", "records": observed.count()})
    for area in scope.areas:
        population = residents(area, scope.year)
        if population:
            out.append({"kind": "population", "name": population.source, "area": area.name, "year": population.year})
    table = harm_index.table()
    if table.weights:
        out.append({"kind": "harm", "name": table.source})
    return out


def compare_references(
    report: SituationReport, figures: dict[str, Any], references: Iterable[Any]
) -> list[dict[str, Any]]:
    """Each reference value beside the report's own figure, higher or lower only where the report's
    interval excludes the reference (a reference is taken as known exactly)."""
    incidents = figures["mapping"]["incidents"]
    survey = figures["voices"]["survey"]
    out = []
    for ref in references:
        ours = None
        if ref.kind == "incidents_per_1000":
            if not ref.incident_type:
                ours = incidents["per_1000"]
            else:
                row = next((r for r in incidents["rows"] if r["type"] == ref.incident_type), None)
                ours = row["per_1000"] if row else None
            ours = ours and {"value": ours["per_1000"], "ci_low": ours["ci_low"], "ci_high": ours["ci_high"]}
        elif ref.kind == "survey_share" and survey:
            row = next((r for r in survey["rows"] if r["code"] == ref.survey_item), None)
            if row and row["share"] is not None:
                ours = {"value": row["share"] * 100, "ci_low": row["ci_low"] * 100, "ci_high": row["ci_high"] * 100}
        verdict = None
        if ours is not None:
            verdict = str(Change.INCREASE if ours["ci_low"] > ref.value else
                          Change.DECREASE if ours["ci_high"] < ref.value else Change.NONE)  # fmt: skip
        out.append({"label": ref.label, "kind": ref.kind, "value": ref.value, "year": ref.year, "source": ref.source,
                    "url": ref.url, "ours": ours, "verdict": verdict})  # fmt: skip
    return out
