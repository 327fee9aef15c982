"""The tertial analysis of an area (EST's fördjupade analys, three times a year): what rose and fell
since the same four months a year before, where and when it happened, and what the actions of the
period did to the places they touched.

- What: every observation category and incident type, weekly counts of the tertial against those of
  the same tertial a year before (`analysis.periods.compare_periods`), with intervals that hold for
  all rows of the page together.
- Where: hot spots (Gi*) of the tertial's incidents and observations together, and the area's places
  with their counts in both periods.
- When: weekday, part of the day and hour of the tertial's events, a pattern named only where the counts
  are more uneven than chance (`analysis.periods.pattern`).
- Actions: each action at a place done during the tertial, its place's events in the weeks before
  and after against the rest of the area (the WDD of the promise report, `analysis.evaluation.wdd`).

Observations count as reports, incidents as on the situation page. Every count is kept in full; the
small-count rule is applied where it is shown (`views_tertial.py`).
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import shapely
from django.utils import timezone

from lofte.analysis import periods
from lofte.analysis.evaluation import WddResult, wdd
from lofte.incidents.maps import HotSpotLayers, hotspot_layers
from lofte.incidents.situation import LOCAL, Filters, incidents_in
from lofte.places.geometry import metric_crs, place_shape_metric
from lofte.places.models import Area

from .models import Action, Observation
from .weekly import MAIN_CATEGORY, OBSERVATION

INCIDENT = "incident"
ACTION_WEEKS = 8  # weeks before and after an action that its place is compared over
PARTS = ("night", "morning", "afternoon", "evening")  # 00-06, 06-12, 12-18, 18-24


class BadPeriod(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    """A tertial: January-April (1), May-August (2) or September-December (3) of a year."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Period":
        try:
            year, number = (int(part) for part in text.strip().split("-"))
        except ValueError:
            raise BadPeriod(f"period: {text!r} is not a tertial such as 2017-1") from None
        if number not in (1, 2, 3) or not 2000 <= year <= 2100:
            raise BadPeriod(f"period: {text!r} is not a tertial such as 2017-1 (1, 2 or 3)")
        return cls(year, number)

    @classmethod
    def last_whole(cls, day: date) -> "Period":
        """The latest tertial that ended before `day`."""
        number = (day.month - 1) // 4  # the tertial before the one `day` lies in (0: last year's third)
        return cls(day.year - 1, 3) if number == 0 else cls(day.year, number)

    @property
    def start(self) -> date:
        return date(self.year, 4 * (self.number - 1) + 1, 1)

    @property
    def end(self) -> date:
        month = 4 * self.number
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def label(self) -> str:
        return f"{self.year}-{self.number}"

    def a_year_before(self) -> "Period":
        return Period(self.year - 1, self.number)


@dataclass(frozen=True)
class ChangeRow:
    kind: str  # OBSERVATION or INCIDENT
    code: str  # the main category's code, or the incident type
    change: periods.PeriodChange


@dataclass(frozen=True)
class PlaceRow:
    name: str
    before: int  # events within the place in the same tertial a year before
    after: int  # and in this one


@dataclass(frozen=True)
class ActionRow:
    action_id: int
    title: str
    place: str
    done_on: date
    weeks: int  # compared before and after (fewer than ACTION_WEEKS where the data end sooner)
    result: WddResult | None  # None: too soon after the action, or nothing to compare
    target: tuple[int, int]  # the place's events (before, after)


@dataclass(frozen=True)
class TertialAnalysis:
    area_code: str
    period: Period
    rows: list[ChangeRow]
    places: list[PlaceRow]
    weekdays: periods.Pattern  # Monday first
    parts: periods.Pattern  # night, morning, afternoon, evening (events with a known part of the day)
    hours: periods.Pattern  # 0-23 (events with a known time)
    hotspots: HotSpotLayers
    actions: list[ActionRow]

    def changed(self) -> list[ChangeRow]:
        return [r for r in self.rows if r.change.verdict in ("increase", "decrease")]


@dataclass(frozen=True)
class Events:
    """The area's events between two days: kind, code, local day, part of the day (or ""), hour (-1
    where only the part of the day, or nothing, is known), metres."""

    kind: np.ndarray
    code: np.ndarray
    day: np.ndarray  # datetime64[D]
    part: np.ndarray
    hour: np.ndarray
    x: np.ndarray  # NaN where unlocated
    y: np.ndarray

    def between(self, start: date, end: date) -> "Events":
        keep = (self.day >= np.datetime64(start)) & (self.day <= np.datetime64(end))
        columns = (self.kind, self.code, self.day, self.part, self.hour, self.x, self.y)
        return Events(*(column[keep] for column in columns))


def events(area: Area, start: date, end: date) -> Events:
    """The area's incidents and observations from `start` to `end` (local days)."""
    import pandas as pd
    from pyproj import Transformer

    frame = incidents_in(
        area, Filters(start=start, end=end), columns=["type", "occurred_from", "occurred_to", "x", "y"]
    )
    local = frame["occurred_from"].dt.tz_convert(LOCAL)
    # The hour, part of the day and weekday only where the time is known to within an hour: police.uk's
    # rows run from the first of their month to its last, and would all be read as midnight on the 1st.
    ends = pd.to_datetime(frame["occurred_to"], utc=True, format="mixed")
    exact = (ends.isna() | ((ends - frame["occurred_from"]) <= pd.Timedelta(hours=1))).to_numpy()
    hours = np.where(exact, local.dt.hour.to_numpy(), -1)
    observed = list(
        Observation.objects.filter(area=area, occurred_on__gte=start, occurred_on__lte=end)
        .annotate(main=MAIN_CATEGORY)
        .values_list("main", "occurred_on", "occurred_at", "part_of_day", "lon", "lat")
    )
    to_metric = Transformer.from_crs("EPSG:4326", metric_crs(), always_xy=True)
    lon = np.array([o[4] for o in observed], dtype=float)
    lat = np.array([o[5] for o in observed], dtype=float)
    ox, oy = to_metric.transform(lon, lat) if len(observed) else (np.array([]), np.array([]))
    observed_hours = [timezone.localtime(at, LOCAL).hour if at else -1 for _, _, at, _, _, _ in observed]
    parts = [_part(h) if h >= 0 else part for h, (_, _, _, part, _, _) in zip(observed_hours, observed, strict=True)]
    return Events(
        kind=np.array([INCIDENT] * len(frame) + [OBSERVATION] * len(observed), dtype=object),
        code=np.array(list(frame["type"]) + [o[0] for o in observed], dtype=object),
        day=np.concatenate(
            [
                local.dt.tz_localize(None).dt.normalize().to_numpy().astype("datetime64[D]"),
                np.array([o[1] for o in observed], dtype="datetime64[D]"),
            ]
        ),  # fmt: skip
        part=np.array([_part(h) if h >= 0 else "" for h in hours] + parts, dtype=object),
        hour=np.array(list(hours) + observed_hours, dtype=int),
        x=np.concatenate([pd.to_numeric(frame["x"]).to_numpy(float), np.asarray(ox, dtype=float)]),
        y=np.concatenate([pd.to_numeric(frame["y"]).to_numpy(float), np.asarray(oy, dtype=float)]),
    )


def _part(hour: int) -> str:
    return PARTS[hour // 6]


def _weekly(found: Events, start: date, end: date, key: tuple[str, str] | None = None) -> np.ndarray:
    """Weekly counts of one kind and code (or of every event) from `start` to `end` (seven-day
    blocks; a last block of fewer days joins the one before)."""
    mine = found.day if key is None else found.day[(found.kind == key[0]) & (found.code == key[1])]
    return periods.weekly_counts((mine - np.datetime64(start)).astype(int), length=(end - start).days + 1)


def analyse(area: Area, period: Period, *, today: date | None = None) -> TertialAnalysis:
    """The tertial analysis of `area` for `period` (see the module's description)."""
    before = period.a_year_before()
    latest = today or timezone.localdate()
    found = events(area, before.start, min(period.end + timedelta(weeks=ACTION_WEEKS), latest))
    now, then = found.between(period.start, period.end), found.between(before.start, before.end)
    keys = sorted({(k, c) for k, c in zip(np.r_[now.kind, then.kind], np.r_[now.code, then.code], strict=True)})
    rows = []
    for key in keys:
        change = periods.compare_periods(
            _weekly(then, before.start, before.end, key), _weekly(now, period.start, period.end, key),
            comparisons=len(keys),
        )  # fmt: skip
        rows.append(ChangeRow(key[0], key[1], change))
    rows.sort(key=lambda r: (r.kind != OBSERVATION, -(r.change.after + r.change.before), r.code))
    located = ~np.isnan(now.x)
    dispersion = periods.weekly_dispersion(_weekly(now, period.start, period.end))
    # Observations always have their day; incidents where their time is known (`hour` 0-23).
    dated = (now.kind == OBSERVATION) | (now.hour >= 0)
    weekdays = np.bincount((now.day[dated].view("int64") + 3) % 7, minlength=7)  # Monday first: 1970-01-01 a Thursday
    known = now.part != ""
    parts = np.array([int(np.sum(now.part[known] == p)) for p in PARTS])
    return TertialAnalysis(
        area_code=area.code,
        period=period,
        rows=rows,
        places=_places(area, now, then),
        weekdays=periods.pattern(weekdays, dispersion=dispersion),
        parts=periods.pattern(parts, dispersion=dispersion),
        hours=periods.pattern(np.bincount(now.hour[now.hour >= 0], minlength=24), dispersion=dispersion),
        hotspots=hotspot_layers(area, now.x[located], now.y[located]),
        actions=_actions(area, period, found, latest),
    )


def _inside(found: Events, footprint: Any) -> np.ndarray:
    located = ~np.isnan(found.x)
    inside = np.zeros(len(found.x), dtype=bool)
    inside[located] = shapely.contains_xy(footprint, found.x[located], found.y[located])
    return inside


def _places(area: Area, now: Events, then: Events) -> list[PlaceRow]:
    rows = []
    for place in area.places.order_by("name"):
        if place.polygon or (place.lon is not None and place.radius_m):
            footprint = place_shape_metric(place)
            rows.append(PlaceRow(place.name, int(_inside(then, footprint).sum()), int(_inside(now, footprint).sum())))
    return rows


def _actions(area: Area, period: Period, found: Events, latest: date) -> list[ActionRow]:
    """Each action at a place done during the tertial: its place's events in the weeks before and
    after it against the rest of the area's (WDD with the area's weekly dispersion)."""
    rows = []
    done = Action.objects.filter(area=area, status=Action.Status.DONE, place__isnull=False,
                                 done_on__gte=period.start, done_on__lte=period.end)  # fmt: skip
    for action in done.select_related("place").order_by("done_on", "pk"):
        assert action.place is not None and action.done_on is not None  # filtered above
        weeks = min(ACTION_WEEKS, max(0, ((latest - action.done_on).days + 1) // 7))
        first = action.done_on - timedelta(weeks=weeks)
        window = found.between(first, action.done_on + timedelta(weeks=weeks, days=-1))
        after = window.day >= np.datetime64(action.done_on)
        inside = _inside(window, place_shape_metric(action.place))
        target = (int((inside & ~after).sum()), int((inside & after).sum()))
        control = (int((~inside & ~after).sum()), int((~inside & after).sum()))
        result = None
        if weeks >= 2 and sum(target) + sum(control) > 0:
            weekly = np.bincount((window.day - np.datetime64(first)).astype(int) // 7, minlength=2 * weeks)
            result = wdd(target, control, dispersion=periods.weekly_dispersion(weekly[:weeks], weekly[weeks:]))
        rows.append(ActionRow(action.pk, action.title, action.place.name, action.done_on, weeks, result, target))
    return rows
