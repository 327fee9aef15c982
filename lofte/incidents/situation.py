"""The situation picture of an area: the one boundary from incident rows to `analysis.situation`."""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import chain
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from lofte.analysis import situation as pure
from lofte.places.models import Area, Place
from lofte.places.population import residents

from .inside import AreaIncidents
from .models import Incident

if TYPE_CHECKING:
    import pandas as pd
    from pandas import DataFrame

LOCAL = ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    types: tuple[str, ...] = ()


@dataclass
class Situation:
    area: object
    filters: Filters
    total: int
    types: list[tuple[str, int]]  # [(type, count)] most common first
    months: list[str]  # ["2024-09", ...]
    table: list[tuple[str, list[int]]]  # [(type, [count per month])] for the most common types
    other_types: list[int] | None  # [count per month] of the types not in `table`, None when there are none
    monthly_total: list[int]
    trend: pure.Trend
    top_places: list[tuple[str, int]]  # [(place name, count)]


# Each function takes `inside`, the area's AreaIncidents, when the caller has it already: a page asks
# all four about one area, and finding the areas around it once is enough.


def latest_day(area: Area, *, inside: AreaIncidents | None = None) -> date:
    """The local date of the area's latest incident (today when it has none)."""
    latest = (inside or AreaIncidents.of(area)).latest()
    return timezone.localtime(latest).date() if latest else timezone.localdate()


def default_start(end: date) -> date:
    """The first day of the twelve calendar months that end with `end`'s month."""
    return date(end.year, 1, 1) if end.month == 12 else date(end.year - 1, end.month + 1, 1)


def types_in(area: Area, *, inside: AreaIncidents | None = None) -> list[str]:
    return (inside or AreaIncidents.of(area)).types()


SUMMARY_COLUMNS = ["type", "occurred_from", "place_id", "x", "y"]
ROW_COLUMNS = ["source", "source_id", "occurred_from", "type", "nature", "lon", "lat", "accuracy", "place_text"]


def in_period(filters: Filters) -> QuerySet[Incident]:
    """The incidents of the period and types of `filters` (a queryset; the area is not applied)."""
    start = datetime.combine(filters.start, time.min, tzinfo=LOCAL)
    end = datetime.combine(filters.end + timedelta(days=1), time.min, tzinfo=LOCAL)
    rows = Incident.objects.filter(occurred_from__gte=start, occurred_from__lt=end)
    return rows.filter(type__in=filters.types) if filters.types else rows


def incidents_in(
    area: Area, filters: Filters, *, inside: AreaIncidents | None = None, columns: list[str] = SUMMARY_COLUMNS
) -> pd.DataFrame:
    """`columns` of the incidents of the area (see `inside`) in the period, as a DataFrame."""
    return (inside or AreaIncidents.of(area)).frame(in_period(filters), columns)


def points_in(
    area: Area, filters: Filters, box: Sequence[float], *, inside: AreaIncidents | None = None, limit: int
) -> list[tuple[Any, ...]]:
    """(type, source, lon, lat) of at most `limit` of the area's incidents in the period inside
    `box` (min lon, min lat, max lon, max lat)."""
    inside = inside or AreaIncidents.of(area)
    west, south, east, north = box
    rows = in_period(filters).filter(lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north)
    columns = ["type", "source", "lon", "lat"]
    found = list(rows.filter(inside.sure).values_list(*columns)[:limit])
    if len(found) < limit:
        maybe = inside.maybe_frame(rows, columns).head(limit - len(found))
        found += list(maybe.itertuples(index=False, name=None))
    return found


def incident_rows(area: Area, filters: Filters, *, inside: AreaIncidents | None = None) -> Iterator[list[Any]]:
    """The area's incidents in the period as lists of ROW_COLUMNS (times in ISO 8601), oldest first
    within those stored under the area, read in chunks: a city's years of incidents never sit in
    memory at once (the analysts' export)."""
    inside = inside or AreaIncidents.of(area)
    rows = in_period(filters)
    sure = rows.filter(inside.sure).order_by("occurred_from", "pk").values_list(*ROW_COLUMNS)
    maybe = inside.maybe_frame(rows, ROW_COLUMNS).sort_values("occurred_from").itertuples(index=False, name=None)
    for source, source_id, occurred, *rest in chain(sure.iterator(5000), maybe):
        yield [source, source_id, occurred.isoformat(), *rest]


def whole_months(
    monthly: np.ndarray, filters: Filters, *, began: date | None = None, ended: date | None = None
) -> np.ndarray:
    """The counts of the months the period covers whole (issue 22): a trend over a month that began
    mid-month or is not over yet (the default period ends on the latest incident's day) reads the
    missing days as a fall. The area's records count as beginning on `began` and ending on `ended`
    (its earliest and latest incidents): months of the period outside them read as months without
    incidents, and are left out too."""
    start = max(filters.start, began) if began else filters.start
    end = min(filters.end, ended) if ended else filters.end
    first = (start.year - filters.start.year) * 12 + start.month - filters.start.month + (start.day != 1)
    last = (end.year - filters.start.year) * 12 + end.month - filters.start.month
    ends_month = end.day == calendar.monthrange(end.year, end.month)[1]
    return monthly[first : max(first, last + 1 if ends_month else last)]


def situation(area: Area, filters: Filters, *, top: int = 8, inside: AreaIncidents | None = None) -> Situation:
    """The counts of the area's incidents in the period (see `summarise`)."""
    return summarise(area, filters, incidents_in(area, filters, inside=inside), top=top, inside=inside)


def summarise(
    area: Area, filters: Filters, frame: DataFrame, *, top: int = 8, inside: AreaIncidents | None = None
) -> Situation:
    """Counts by type and month, the trend and the top places of `frame`, the area's incidents in
    the period (`incidents_in`); `frame` gains a `month` column. The trend keeps to the months
    between the area's earliest and latest incident (`inside`: the area's AreaIncidents, when the
    caller has it)."""
    import pandas as pd

    first = pure.month_index(filters.start.year, filters.start.month)
    last = pure.month_index(filters.end.year, filters.end.month)
    months = [f"{m // 12}-{m % 12 + 1:02d}" for m in range(first, last + 1)]
    if len(frame):
        local = pd.to_datetime(frame["occurred_from"], utc=True).dt.tz_convert(LOCAL)
        frame["month"] = pure.month_index(local.dt.year.to_numpy(), local.dt.month.to_numpy())
    else:
        frame["month"] = pd.Series(dtype="int64")
    counts = frame["type"].value_counts()
    types = [(str(name), int(n)) for name, n in counts.items()]
    table: list[tuple[str, list[int]]] = []
    for name, _ in types[:top]:
        months_of_type = frame.loc[frame["type"] == name, "month"].to_numpy()
        table.append((name, pure.monthly_counts(months_of_type, first=first, last=last).astype(int).tolist()))
    monthly_total = pure.monthly_counts(frame["month"].to_numpy(), first=first, last=last).astype(int)
    other_types = None
    if len(types) > top:
        other_types = (monthly_total - np.sum([row for _, row in table], axis=0)).tolist()
    earliest, latest = (inside or AreaIncidents.of(area)).span()
    began = timezone.localtime(earliest).date() if earliest else None
    ended = timezone.localtime(latest).date() if latest else None
    place_counts = frame["place_id"].dropna().astype(int).value_counts().head(top)
    names: dict[Any, str] = dict(Place.objects.filter(pk__in=place_counts.index.tolist()).values_list("pk", "name"))
    return Situation(
        area=area,
        filters=filters,
        total=len(frame),
        types=types,
        months=months,
        table=table,
        other_types=other_types,
        monthly_total=monthly_total.tolist(),
        # The months of the year let the trend tell a season from a change: over fewer than two years
        # it refuses (a season of +-25 % read as a trend in 38 % of flat years, issue 22).
        trend=pure.poisson_trend(
            whole_months(monthly_total, filters, began=began, ended=ended),
            month_of_year=whole_months(np.arange(first, last + 1), filters, began=began, ended=ended) % 12 + 1,
        ),
        top_places=[(names.get(pk, "?"), int(n)) for pk, n in place_counts.items()],
    )


def per_thousand(area: Area, result: Situation, total: int | None) -> dict[str, Any] | None:
    """The period's incidents a year per 1 000 of the area's residents, with its interval and the
    population figure it uses (the period's last year's, or the latest before it); None without a
    figure, or when the total is hidden (the rate would give it back)."""
    found = residents(area, result.filters.end.year) if total is not None else None
    if found is None or total is None or not found.residents:
        return None
    years = ((result.filters.end - result.filters.start).days + 1) / 365.25
    rate = pure.rate_per_thousand(
        total, residents=found.residents, years=years, dispersion=result.trend.dispersion or 1
    )
    return {"rate": rate, "year": found.year, "residents": found.residents, "source": found.source}
