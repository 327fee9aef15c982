"""Did the promise help? Its outcome incidents in the area, the ring around it and its control areas,
before and during the promise, evaluated with `lofte.analysis.evaluation`.

The comparison period before is as long as the promise's period (up to today) and ends the day
before it started. Incidents count as `incidents.inside` says for the area and the control areas;
the ring (`buffer_m` metres around the area, outside it) is tested point by point. With fewer
than LOFTE_SMALL_COUNT_THRESHOLD incidents in any cell, nothing is evaluated or published: small
counts are neither disclosed nor a basis for a verdict.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import shapely
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop
from pyproj import Transformer
from shapely.geometry import shape

from lofte.analysis.evaluation import (
    DidResult,
    EventStudyResult,
    HarmWddResult,
    ItsResult,
    SyntheticControlResult,
    WddResult,
    did,
    event_study,
    harm_wdd,
    its,
    monthly_dispersion,
    synthetic_control,
    wdd,
)
from lofte.core.kept import kept
from lofte.incidents import harm as harm_index
from lofte.incidents.inside import AreaIncidents
from lofte.incidents.models import Incident
from lofte.incidents.situation import Filters, in_period
from lofte.ingest.areas import reproject
from lofte.ingest.common import COUNTED
from lofte.places.geometry import metric_crs, to_metric
from lofte.places.models import Area
from lofte.promises.models import Promise

if TYPE_CHECKING:
    import pandas as pd
    from pandas import DataFrame


@dataclass(frozen=True)
class Counts:
    before: int
    after: int


@dataclass(frozen=True)
class HotSpotCells:
    """The hot and cold spot cells of one period on a grid of the area, in the metric CRS (metres):
    classes only, no counts (Gi*, FDR-adjusted; +1..+3 hot, -1..-3 cold)."""

    cell: float  # the side of a square, metres
    x0: float
    y0: float
    cells: list[list[int]]  # [column, row, class]


@dataclass(frozen=True, kw_only=True)  # its fields follow the parent's defaulted ones
class HarmOutcome(HarmWddResult):
    """The harm-weighted WDD with where its weights come from."""

    source: str
    dated: str  # ISO date of the weights
    unit: str


@dataclass(frozen=True)
class OutcomeComparison:
    """Everything the outcome section shows, typed: each method's result is the pure core's frozen
    dataclass (None when it could not be computed); `to_dict()` is what the API and open data publish."""

    types: list[str]
    before: tuple[date, date]
    after: tuple[date, date]
    target: Counts | None = None
    buffer: Counts | None = None
    control: Counts | None = None
    wdd: WddResult | None = None
    did: DidResult | None = None
    note: str = ""  # why nothing was evaluated, when it was not (English; pages use `reason`)
    months: list[str] = field(default_factory=list)  # "YYYY-MM", before and during the promise
    target_monthly: list[int] = field(default_factory=list)  # empty when a month is a small count
    control_monthly: list[int] = field(default_factory=list)
    its: ItsResult | None = None  # the area's own series: level and slope change at the start
    event_study: EventStudyResult | None = None  # quarter by quarter against the control areas
    synthetic: SyntheticControlResult | None = None  # against a weighted mix of control and donor areas
    synthetic_monthly: list[float] = field(default_factory=list)  # the mix, month by month (as shown)
    hot_spots: list[HotSpotCells] = field(default_factory=list)  # before and during
    harm: HarmOutcome | None = None  # WDD weighted by the crime harm index, when one is loaded
    reason: str = ""  # why nothing was evaluated: "not_started", "no_comparison" or "too_few" (for pages)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# Why nothing was evaluated, by `reason`: in English in `note` (the API), translated on the pages
# (`sentences.note`); %(n)s is the small-count threshold.
NOTES = {
    "not_started": gettext_noop("The promise has not started."),
    "no_comparison": gettext_noop("Choose the incident types and control areas to compare with."),
    "too_few": gettext_noop(
        "Too few incidents to evaluate (fewer than %(n)s in a period): no verdict, and no counts shown."
    ),
}


def _window(promise: Promise, today: date) -> tuple[tuple[date, date], tuple[date, date]]:
    end = min(today, promise.period_end)
    days = (end - promise.period_start).days + 1
    return (promise.period_start - timedelta(days=days), promise.period_start - timedelta(days=1)), (
        promise.period_start,
        end,
    )


def _rows(types: Iterable[str], before: tuple[date, date], after: tuple[date, date]) -> QuerySet[Incident]:
    """The incidents of `types` from the first day of `before` to the last of `after`."""
    return in_period(Filters(start=before[0], end=after[1], types=tuple(types)))


class Split(NamedTuple):
    counts: Counts  # before and during
    monthly: np.ndarray  # per calendar month over both windows
    first: int  # the first month's index (year * 12 + month - 1)
    by_type: dict[str, tuple[int, int]]  # {type: (before, after)}
    during: np.ndarray  # per incident: in the promise's window


def _split(frame: DataFrame, before: tuple[date, date], after: tuple[date, date]) -> Split:
    """How many of the incidents in `frame` (occurred_from in UTC, type) fall in each window, per
    calendar month (local time) over both, and per type."""
    import pandas as pd

    local = frame["occurred_from"].dt.tz_convert(timezone.get_current_timezone())
    is_during = (local.dt.date >= after[0]).to_numpy()
    during = int(is_during.sum())
    start, end = before[0], after[1]
    index = (local.dt.year * 12 + local.dt.month - 1).to_numpy()
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    monthly = np.bincount(index - first, minlength=last - first + 1)[: last - first + 1]
    by_type = {}
    for kind, rows in pd.Series(is_during).groupby(frame["type"].to_numpy()):
        by_type[str(kind)] = (int((~rows).sum()), int(rows.sum()))
    return Split(Counts(len(local) - during, during), monthly, first, by_type, is_during)


def _in_area(area: Area, types: list[str], before: Any, after: Any) -> Split:
    """The area's incidents of `types` before and during, and per month: one read."""
    frame = AreaIncidents.of(area).frame(_rows(types, before, after), ["occurred_from", "type"])
    return _split(frame, before, after)


def _in_area_with_hot_spots(area: Area, types: list[str], before: Any, after: Any) -> tuple[Split, list[HotSpotCells]]:
    """As `_in_area`, and the hot and cold spots of each window (Gi* on a grid of the area)."""
    frame = AreaIncidents.of(area).frame(_rows(types, before, after), ["occurred_from", "type", "x", "y"])
    found = _split(frame, before, after)
    from lofte.analysis.grids import auto_cell_size, make_grid

    during = found.during
    polygon = to_metric(shape(area.polygon))
    xmin, ymin, xmax, ymax = polygon.bounds
    grid = make_grid(polygon, cell=max(50.0, auto_cell_size(xmax - xmin, ymax - ymin)))
    return found, [_hot_spots(grid, frame[~during]), _hot_spots(grid, frame[during])]


def _hot_spots(grid: Any, frame: pd.DataFrame) -> HotSpotCells:
    """The grid's hot and cold spot cells (Gi*, FDR-adjusted) of the incidents in `frame`."""
    from lofte.analysis.grids import count_points
    from lofte.analysis.hotspots import gistar_grid

    placed = frame.dropna(subset=["x", "y"])
    cells = []
    if len(placed) and grid.n_cells >= 3:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # points on the outline's edge; a grid with one value
            counts, _ = count_points(grid, placed["x"].to_numpy(float), placed["y"].to_numpy(float))
            classes = gistar_grid(counts, mask=grid.mask).classes
        rows, cols = np.nonzero(np.nan_to_num(classes) != 0)
        cells = [[int(c), int(r), int(classes[r, c])] for r, c in zip(rows, cols)]
    return HotSpotCells(float(grid.cell), float(grid.x0), float(grid.y0), cells)


def _in_ring(
    area: Area, buffer_m: float, types: list[str], before: tuple[date, date], after: tuple[date, date]
) -> tuple[Counts, dict[str, tuple[int, int]]]:
    """Incidents within `buffer_m` metres of the area's outline, outside it, before and during."""
    import pandas as pd

    outline = to_metric(shape(area.polygon))
    ring = outline.buffer(buffer_m).difference(outline)
    back = reproject(ring, Transformer.from_crs(metric_crs(), "EPSG:4326", always_xy=True))
    west, south, east, north = back.bounds
    rows = (
        _rows(types, before, after)
        .filter(nature__in=COUNTED, lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north)
        .exclude(x=None)
        .values_list("occurred_from", "type", "x", "y")
    )
    frame = pd.DataFrame(list(rows), columns=["occurred_from", "type", "x", "y"])
    frame = frame[shapely.contains_xy(ring, frame["x"].to_numpy(float), frame["y"].to_numpy(float))]
    frame = frame.assign(occurred_from=pd.to_datetime(frame["occurred_from"], utc=True))
    found = _split(frame, before, after)
    return found.counts, found.by_type


class Read(NamedTuple):
    """The incidents a comparison reads: the area's, each control area's, the ring's."""

    area: Split
    hot_spots: list[HotSpotCells]
    controls: list[Split]
    ring: Counts
    ring_by_type: dict[str, tuple[int, int]]

    @property
    def control(self) -> Counts:
        return Counts(sum(s.counts.before for s in self.controls), sum(s.counts.after for s in self.controls))


def compare(promise: Any, today: date | None = None) -> OutcomeComparison:
    """The promise's outcome incidents before and during it, in the area, its ring and its control
    areas, evaluated by each method that the data allow (WDD with displacement counted against the
    promise, a Poisson difference-in-differences, the area's own time series, an event study and a
    synthetic control; harm-weighted WDD with a harm table)."""
    today = today or timezone.localdate()
    types = list(promise.outcome_incident_types or [])
    before, after = _window(promise, today)
    controls = list(promise.control_areas.all())
    threshold = settings.LOFTE_SMALL_COUNT_THRESHOLD
    if today < promise.period_start:
        return _nothing(types, before, after, "not_started", threshold)
    if not types or not controls:
        return _nothing(types, before, after, "no_comparison", threshold)
    read = _read(promise, types, before, after, controls)
    target, control = read.area.counts, read.control
    if min(target.before, target.after, control.before, control.after) < threshold:
        return _nothing(types, before, after, "too_few", threshold)
    ring_shown = read.ring.before >= threshold
    # The ring's control is the control areas, scaled to the ring's own size before the promise.
    scale = read.ring.before / control.before if control.before else 0
    first = read.area.first
    start_month = promise.period_start.year * 12 + promise.period_start.month - 1
    target_monthly = read.area.monthly
    control_monthly = np.sum([split.monthly for split in read.controls], axis=0)
    synthetic, twin = _synthetic(promise, types, before, after, controls, read, start_month - first)
    # How much more the areas' months vary than Poisson's: the WDDs' variances allow for it.
    spread = monthly_dispersion([split.monthly for split in (read.area, *read.controls)], start=start_month - first)
    # Monthly counts are published only when none is small (a chart is a table too).
    shown = all(v == 0 or v >= threshold for v in [*target_monthly, *control_monthly])
    return OutcomeComparison(
        types=types,
        before=before,
        after=after,
        target=target,
        buffer=read.ring if ring_shown and read.ring.after >= threshold else None,
        control=control,
        wdd=_wdd(read, scale if ring_shown else None, spread),
        did=_did(read, start_month),
        months=[f"{m // 12}-{m % 12 + 1:02d}" for m in range(first, first + len(target_monthly))],
        target_monthly=[int(v) for v in target_monthly] if shown else [],
        control_monthly=[int(v) for v in control_monthly] if shown else [],
        its=_its(target_monthly, first, start_month - first),
        event_study=_event_study([read.area, *read.controls], first, start_month),
        synthetic=synthetic,
        synthetic_monthly=[round(float(v), 1) for v in twin] if shown and synthetic else [],
        hot_spots=read.hot_spots,
        harm=_harm([read.area, *read.controls], read.ring_by_type if ring_shown else None, scale, spread),
    )


def _nothing(types: list[str], before: Any, after: Any, reason: str, threshold: int) -> OutcomeComparison:
    """A comparison that evaluates nothing, and says why."""
    return OutcomeComparison(types, before, after, note=NOTES[reason] % {"n": threshold}, reason=reason)


def _read(promise: Any, types: list[str], before: Any, after: Any, controls: list[Any]) -> Read:
    """One read per area gives both windows' counts and the monthly series."""
    area, hot_spots = _in_area_with_hot_spots(promise.area, types, before, after)
    ring, ring_by_type = _in_ring(promise.area, promise.buffer_m, types, before, after)
    return Read(area, hot_spots, [_in_area(a, types, before, after) for a in controls], ring, ring_by_type)


def _wdd(read: Read, ring_scale: float | None, spread: float) -> WddResult:
    """WDD of the area against the control areas; with `ring_scale` (the ring's size before over the
    control areas'), the ring's change counted against the promise. Its variance allows for the
    areas' months varying more than Poisson's (`spread`: their dispersion around each window's mean)."""
    target, control, ring = read.area.counts, read.control, read.ring
    with_ring = ring_scale is not None
    scale = ring_scale or 0.0
    return wdd(
        (target.before, target.after),
        (control.before, control.after),
        buffer=(ring.before, ring.after) if with_ring else None,
        buffer_control=(control.before * scale, control.after * scale) if with_ring else None,
        dispersion=spread,
    )


def _did(read: Read, start_month: int) -> DidResult | None:
    """Poisson difference-in-differences on monthly counts of the area and each control area."""
    series = [read.area, *read.controls]
    months = len(read.area.monthly)
    y = np.concatenate([split.monthly for split in series])
    treated = np.concatenate([np.full(months, 1 if k == 0 else 0) for k in range(len(series))])
    post = np.tile((np.arange(months) + read.area.first >= start_month).astype(int), len(series))
    units = np.repeat(np.arange(len(series)), months)
    try:
        return did(y, treated, post, unit=units, model="poisson")
    except ValueError:
        return None


def _its(monthly: np.ndarray, first: int, start_index: int) -> ItsResult | None:
    """The area's own monthly series, its level and slope at the start; None with too few months on
    either side or no variation."""
    # Seasonality needs two years before the start to be told apart from the trend and the step.
    month_of_year = [(first + k) % 12 + 1 for k in range(len(monthly))] if start_index >= 24 else None
    try:
        return its(monthly, start=start_index, month_of_year=month_of_year)
    except ValueError:
        return None


def _harm(
    series: list[Split], ring_by_type: dict[str, tuple[int, int]] | None, scale: float, dispersion: float
) -> HarmOutcome | None:
    """WDD weighted by the harm table's weights (None without a table), with its source; its variance
    widened by the areas' monthly `dispersion`, as the WDD's."""
    found = harm_index.table()
    if not found.weights or found.dated is None:  # stored weights always carry their date
        return None
    control: dict[str, tuple[float, float]] = {}
    for split in series[1:]:
        for kind, (b, a) in split.by_type.items():
            control[kind] = (control.get(kind, (0, 0))[0] + b, control.get(kind, (0, 0))[1] + a)
    ring_control = {k: (b * scale, a * scale) for k, (b, a) in control.items()} if ring_by_type else None
    result = harm_wdd(
        series[0].by_type,
        control,
        found.weights,
        unit=found.unit,
        buffer=dict(ring_by_type) if ring_by_type else None,
        buffer_control=ring_control,
        dispersion=dispersion,
    )
    computed = {f.name: getattr(result, f.name) for f in fields(result)}
    return HarmOutcome(**computed, source=found.source, dated=found.dated.isoformat(), unit=found.unit)


def _event_study(series: list[Split], first: int, start_month: int) -> EventStudyResult | None:
    """Quarter by quarter (the quarter before the start the reference), the area against the control
    areas: did they move apart before the promise? None when there are too few quarters."""
    months = len(series[0].monthly)
    quarter = (np.arange(months) + first - start_month) // 3
    # Monthly counts with a quarter's terms: the same estimates as the quarters' sums, and months within
    # a quarter tell how overdispersed the counts are (with quarters alone and one control area the
    # model is saturated).
    y = np.concatenate([split.monthly for split in series])
    treated = np.repeat([1] + [0] * (len(series) - 1), months)
    try:
        return event_study(y, treated, np.tile(quarter, len(series)), start=0)
    except ValueError:
        return None


def _synthetic(
    promise: Any, types: list[str], before: Any, after: Any, controls: list[Any], read: Read, start_index: int
) -> tuple[SyntheticControlResult | None, list[float]]:
    """The synthetic control from the control and donor areas' monthly counts, and its twin month by
    month; (None, []) with fewer than two donors or three months before the start."""
    donors = controls + [a for a in promise.donor_areas.exclude(pk=promise.area_id) if a not in controls]
    donor_series = [split.monthly for split in read.controls]
    donor_series += [_in_area(a, types, before, after).monthly for a in donors[len(controls) :]]
    names = [a.name for a in donors]
    try:
        result = synthetic_control(read.area.monthly, np.array(donor_series), start=start_index, names=names)
    except ValueError:
        return None, []
    weights = np.array([result.weights.get(n, 0.0) for n in names])
    return result, (weights @ np.array(donor_series, dtype=float)).tolist()


def verdict(promise: Promise, today: date | None = None) -> str:
    """The difference-in-differences verdict of `promise`'s outcome incidents ("decrease", "increase",
    "no measurable change"), or "" when nothing is compared."""
    comparison = cached_compare(promise, today) if promise.outcome_incident_types else None
    return str(comparison.did.verdict) if comparison and comparison.did else ""


def cached_compare(promise: Promise, today: date | None = None) -> OutcomeComparison:
    """`compare`, kept in the cache until the promise or the incident data change (a day at most)."""
    from lofte.incidents.picture import data_state

    from .follow_up import state_key

    today = today or timezone.localdate()
    inputs = (
        state_key(promise, today),
        data_state(),
        sorted(promise.control_areas.values_list("pk", flat=True)),
        sorted(promise.donor_areas.values_list("pk", flat=True)),
        promise.buffer_m,
        promise.outcome_incident_types,
        harm_index.state(),
        (settings.LOFTE_SMALL_COUNT_THRESHOLD, settings.TIME_ZONE),
    )
    # "outcomes:2": typed results since the second form; a value kept in the first is not read as one.
    return kept("outcomes:2", inputs, lambda: compare(promise, today), 24 * 3600)
