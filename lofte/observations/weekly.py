"""The weekly picture of an area (EST's veckobild): each observation category and police incident type
of a week against the count the area's own history expects, the one boundary from rows to
`analysis.weekly`.

A week is an ISO week, Monday to Sunday, in local time. An observation counts once whatever its "how
many" (a gathering of thirty is one event); its category is the main one (a subcategory counts under
its category): five series instead of seventeen keep the multiple-testing correction from swallowing
what the picture is for. Every category and incident type with events in the history is judged
together (`unusual_weeks`: Holm over all of them), so in an ordinary week the chance that anything on
the page says "more than usual" is at most 5 %. Incidents whose time is known only to the month (as
police.uk's) are left out: they cannot be put in a week.

The history is what the area has, up to five years (Noufaily's `b` = 5); with less, `b` is the whole
years there are, and with less than a year and three weeks nothing is expected. Observations and
incidents each begin at the area's first record of their kind: weeks before reporting began are not
weeks without events.

The result holds every count in full and is kept in the cache per area, week and state of the data;
the disclosure rule is applied per request (`shown_rows`): others than analysts see no incident
count below the small-count threshold, nor whether such a count was more than usual.
"""

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Count, F
from django.db.models.functions import Coalesce
from django.utils import timezone

from lofte.analysis import weekly as pure
from lofte.core.bounds import EARLIEST, LATEST
from lofte.core.freshness import Fingerprint
from lofte.core.kept import kept
from lofte.incidents import picture as incident_picture
from lofte.incidents.disclosure import Disclosure
from lofte.incidents.inside import AreaIncidents, known_to_the_day
from lofte.incidents.models import Incident
from lofte.incidents.situation import LOCAL
from lofte.places.models import Area

from .models import Action, Category, Observation

CACHE_VERSION = 2  # 2: incidents known only to the month are left out
CACHE_SECONDS = 3600
YEARS = 5  # of history at most (Noufaily's b)
WINDOW = 3  # weeks either side of the same week of earlier years (w)
WEEKS = 52 * YEARS + WINDOW + 1  # the longest series: b years, w weeks and the week itself

OBSERVATION, INCIDENT = "observation", "incident"


class BadWeek(ValueError):
    pass


def parse_week(text: str) -> date:
    """The Monday of ISO week `text` ("2017-W14"); BadWeek when it is not one."""
    try:
        year, number = text.strip().upper().split("-W")
        monday = date.fromisocalendar(int(year), int(number), 1)
    except ValueError as exc:
        raise BadWeek(f"week: {text!r} is not an ISO week such as 2017-W14") from exc
    if not EARLIEST <= monday <= LATEST:  # five years of history before year 1 do not exist
        raise BadWeek(f"week: {text!r} is not between 2000 and 2100")
    return monday


def week_label(monday: date) -> str:
    year, number, _ = monday.isocalendar()
    return f"{year}-W{number:02d}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeekRow:
    kind: str  # OBSERVATION or INCIDENT
    code: str  # the category's code, or the incident type
    result: pure.WeekExpectation


@dataclass(frozen=True)
class WeekPoint:
    """An observation of the week, for the map."""

    lon: float
    lat: float
    category: str  # the main category's code
    day: date


@dataclass(frozen=True)
class WeekPicture:
    area_code: str
    monday: date
    years: dict[str, int]  # years of history used, per kind (0: too short to expect anything)
    rows: list[WeekRow]  # observation categories first (in the list's order), then incident types by count
    points: list[WeekPoint]

    @property
    def label(self) -> str:
        return week_label(self.monday)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def unusual(self) -> list[WeekRow]:
        return [row for row in self.rows if row.result.unusual]


def default_week(area: Area) -> date:
    """The Monday of the latest whole week that has data: the week of the area's latest observation
    or incident, but never the week still going on (its count is not in yet)."""
    last_whole = monday_of(timezone.localdate()) - timedelta(days=7)
    latest = Observation.objects.filter(area=area).order_by("-occurred_on").values_list("occurred_on", flat=True)
    days = [d for d in (latest.first(), _latest_incident_day(area)) if d is not None]
    return min(monday_of(max(days)), last_whole) if days else last_whole


def chosen_week(text: str | None, area: Area) -> date:
    """The Monday of the week asked for (`text`, "2017-W14"), or of the default week; BadWeek for a
    week that is not one or has not begun."""
    if not text:
        return default_week(area)
    monday = parse_week(text)
    if monday > timezone.localdate():
        raise BadWeek(f"week: {text} has not begun")
    return monday


def _latest_incident_day(area: Area) -> date | None:
    """The day of the area's latest incident, from the situation picture's cached choices (an
    aggregate over a city's incidents took 2 s, issue 25); None when the area has none."""
    choices = incident_picture.period_choices(area)
    return choices.latest_day if choices.types else None


def week_picture(area: Area, monday: date) -> WeekPicture:
    """The weekly picture of `area` for the week beginning `monday`, kept in the cache until the
    observations, the incidents, the areas or the places change."""
    inputs = (CACHE_VERSION, area.pk, area.changed_at.isoformat(), monday, observation_state(),
              incident_picture.data_state())  # fmt: skip
    return kept("weekly", inputs, lambda: compute(area, monday), CACHE_SECONDS)


def observation_state() -> list[object]:
    """What the observations' pictures depend on: the observations, the categories and the actions."""
    return [connection.settings_dict["NAME"], _observation_state_query(connection.vendor).read()]


@functools.lru_cache(maxsize=8)
def _observation_state_query(vendor: str) -> Fingerprint:
    parts: list[tuple[Any, str]] = [
        (Observation.objects.all(), "changed_at"),
        (Category.objects.all(), "code"),
        (Action.objects.all(), "changed_at"),
    ]
    return Fingerprint.of(parts)


def compute(area: Area, monday: date) -> WeekPicture:
    """The weekly picture without the cache (`week_picture`)."""
    sunday = monday + timedelta(days=6)
    earliest = monday - timedelta(weeks=WEEKS - 1)
    observed = _observation_series(area, earliest, monday)
    incidents = _incident_series(area, earliest, monday)
    years = {OBSERVATION: _years(observed), INCIDENT: _years(incidents)}
    series = {(OBSERVATION, code): counts for code, counts in observed.items()}
    series |= {(INCIDENT, kind): counts for kind, counts in incidents.items()}
    judged = _judged(series, years)
    order = {code: i for i, code in enumerate(Category.objects.filter(parent=None).values_list("code", flat=True))}
    # Incident types by what is expected of them, not by the week's count: the order must not rank
    # counts that are hidden for being small.
    rows = sorted(
        (WeekRow(kind, code, result) for (kind, code), result in judged.items()),
        key=lambda r: (r.kind != OBSERVATION, order.get(r.code, 0), -(r.result.expected or 0), r.code),
    )
    week_rows = Observation.objects.filter(area=area, occurred_on__gte=monday, occurred_on__lte=sunday)
    located = week_rows.annotate(main=MAIN_CATEGORY).values_list("lon", "lat", "main", "occurred_on")
    points = [WeekPoint(lon, lat, code, day) for lon, lat, code, day in located]
    return WeekPicture(area.code, monday, years, rows, points)


MAIN_CATEGORY = Coalesce(F("category__parent__code"), F("category__code"))  # a subcategory counts under its category


def _weeks_between(first: date, monday: date) -> int:
    return (monday - monday_of(first)).days // 7 + 1


def _observation_series(area: Area, earliest: date, monday: date) -> dict[str, np.ndarray]:
    """Weekly report counts per main category, from the week of the area's first observation (at
    most WEEKS weeks) to the week of `monday`. Every main category has a series, quiet ones too."""
    rows = Observation.objects.filter(area=area, occurred_on__lt=monday + timedelta(days=7))
    first = rows.order_by("occurred_on").values_list("occurred_on", flat=True).first()
    codes = list(Category.objects.filter(parent=None).values_list("code", flat=True))
    if first is None:
        return {}
    start = max(monday_of(first), earliest)
    n = _weeks_between(start, monday)
    counted = (
        rows.filter(occurred_on__gte=start)
        .annotate(main=MAIN_CATEGORY)
        .values_list("main", "occurred_on")
        .annotate(n=Count("pk"))
        .order_by()
    )  # per category and day in the database: 100 000 reports read one by one took 0.4 s
    series = {code: np.zeros(n) for code in codes}
    for code, day, reports in counted:
        series.setdefault(code, np.zeros(n))[(day - start).days // 7] += reports
    return series


def _incident_series(area: Area, earliest: date, monday: date) -> dict[str, np.ndarray]:
    """Weekly incident counts per type with events in the history, from the week of the area's first
    incident known to the day (at most WEEKS weeks) to the week of `monday`."""
    since = datetime.combine(earliest, time.min, tzinfo=LOCAL)
    until = datetime.combine(monday + timedelta(days=7), time.min, tzinfo=LOCAL)
    # Only incidents known to the day: counting police.uk's month-only rows on the 1st made every
    # month's first week "more than usual".
    rows = Incident.objects.filter(occurred_from__gte=since, occurred_from__lt=until).filter(known_to_the_day())
    counts = AreaIncidents.of(area).daily_counts(rows)
    if not len(counts):
        return {}
    import pandas as pd  # not when Django starts (tests/test_architecture.py)

    start = monday_of(counts["day"].min().date())  # the week of the area's first incident, or `earliest`
    n = _weeks_between(start, monday)
    week = ((counts["day"] - pd.Timestamp(start)).dt.days // 7).to_numpy()
    kinds, names = pd.factorize(counts["type"])
    series = np.zeros((len(names), n))
    np.add.at(series, (kinds, week), counts["n"].to_numpy())
    return {str(name): series[i] for i, name in enumerate(names)}


def _years(series: dict[str, np.ndarray]) -> int:
    """Whole years of history before the week (beyond the window), at most YEARS."""
    n = len(next(iter(series.values()))) if series else 0
    return max(0, min(YEARS, (n - 1 - WINDOW) // 52))


Key = tuple[str, str]  # (kind, code)


def _judged(series: dict[Key, np.ndarray], years: dict[str, int]) -> dict[Key, pure.WeekExpectation]:
    """Each series' week with the years of history of its kind, "more than usual" decided over all."""
    found = {key: pure.expected_week(counts, b=max(years[key[0]], 1), w=WINDOW) for key, counts in series.items()}
    return pure.decided_together(found)


def shown_rows(found: WeekPicture, disclosure: Disclosure) -> list[dict[str, Any]]:
    """The rows as `disclosure` lets the user see them: an incident count below the small-count
    threshold is None for others than analysts, and so is whether it was more than usual."""
    out = []
    for row in found.rows:
        r = row.result
        count: int | None = r.count
        unusual: bool | None = r.unusual
        if row.kind == INCIDENT and not disclosure.full:
            count = disclosure.counts([r.count])[0]
            unusual = r.unusual if count is not None else None
        out.append({"kind": row.kind, "code": row.code, "count": count, "expected": r.expected, "low": r.low,
                    "high": r.high, "p_value": r.p_value, "unusual": unusual, "reason": r.reason})  # fmt: skip
    return out


def labels(codes: Iterable[str]) -> dict[str, str]:
    """The categories' names in the page's language, by code."""
    found = Category.objects.filter(code__in=list(codes)).select_related("parent")
    return {c.code: c.local_label() for c in found}
