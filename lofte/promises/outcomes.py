"""Did the promise help? Its outcome incidents in the area, the ring around it and its control areas,
before and during the promise, evaluated with `lofte.analysis.evaluation`.

The comparison period before is as long as the promise's period (up to today) and ends the day
before it started. Incidents count as `incidents.inside` says for the area and the control areas;
the ring (`buffer_m` metres around the area, outside it) is tested point by point. With fewer
than LOFTE_SMALL_COUNT_THRESHOLD incidents in any cell, nothing is evaluated or published: small
counts are neither disclosed nor a basis for a verdict.
"""

import warnings
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

import numpy as np
import pandas as pd
import shapely
from django.conf import settings
from django.utils import timezone
from pyproj import Transformer
from shapely.geometry import shape

from lofte.analysis.evaluation import did, event_study, harm_wdd, its, synthetic_control, wdd
from lofte.core.kept import kept
from lofte.incidents import harm as harm_index
from lofte.incidents.inside import AreaIncidents
from lofte.incidents.situation import Filters, in_period
from lofte.ingest.areas import reproject
from lofte.ingest.common import COUNTED
from lofte.places.geometry import metric_crs, to_metric


@dataclass(frozen=True)
class Counts:
    before: int
    after: int


@dataclass(frozen=True)
class OutcomeComparison:
    types: list[str]
    before: tuple[date, date]
    after: tuple[date, date]
    target: Counts | None
    buffer: Counts | None
    control: Counts | None
    wdd: dict | None
    did: dict | None
    note: str  # why nothing was evaluated, when it was not
    months: list[str] = field(default_factory=list)  # "YYYY-MM", before and during the promise
    target_monthly: list[int] = field(default_factory=list)  # empty when a month is a small count
    control_monthly: list[int] = field(default_factory=list)
    its: dict | None = None  # the area's own series: level and slope change at the start
    event_study: dict | None = None  # quarter by quarter against the control areas: earlier differences?
    synthetic: dict | None = None  # against a weighted mix of the control and donor areas
    synthetic_monthly: list[float] = field(default_factory=list)  # the mix, month by month (as shown)
    hot_spots: list[dict] = field(default_factory=list)  # before and during: Gi* classes of the grid's cells
    harm: dict | None = None  # WDD weighted by the crime harm index, when one is loaded
    reason: str = ""  # why nothing was evaluated: "not_started", "no_comparison" or "too_few" (for pages)

    def to_dict(self):
        return asdict(self)


def _window(promise, today):
    end = min(today, promise.period_end)
    days = (end - promise.period_start).days + 1
    return (promise.period_start - timedelta(days=days), promise.period_start - timedelta(days=1)), (
        promise.period_start,
        end,
    )


def _rows(types, before, after):
    """The incidents of `types` from the first day of `before` to the last of `after`."""
    return in_period(Filters(start=before[0], end=after[1], types=tuple(types)))


class Split(NamedTuple):
    counts: Counts  # before and during
    monthly: np.ndarray  # per calendar month over both windows
    first: int  # the first month's index (year * 12 + month - 1)
    by_type: dict  # {type: (before, after)}
    during: np.ndarray  # per incident: in the promise's window


def _split(frame, before, after):
    """How many of the incidents in `frame` (occurred_from in UTC, type) fall in each window, per
    calendar month (local time) over both, and per type."""
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


def _in_area(area, types, before, after, *, hot_spots=False):
    """The area's incidents of `types` before and during, and per month: one read. With `hot_spots`,
    also the hot and cold spots of each window (Gi* on a grid of the area)."""
    columns = ["occurred_from", "type", "x", "y"] if hot_spots else ["occurred_from", "type"]
    frame = AreaIncidents.of(area).frame(_rows(types, before, after), columns)
    found = _split(frame, before, after)
    if not hot_spots:
        return found
    from lofte.analysis.grids import auto_cell_size, make_grid

    during = found.during
    polygon = to_metric(shape(area.polygon))
    xmin, ymin, xmax, ymax = polygon.bounds
    grid = make_grid(polygon, cell=max(50.0, auto_cell_size(xmax - xmin, ymax - ymin)))
    return found, [_hot_spots(grid, frame[~during]), _hot_spots(grid, frame[during])]


def _hot_spots(grid, frame):
    """The grid's hot and cold spot cells (Gi*, FDR-adjusted) of the incidents in `frame`:
    {"cell", "x0", "y0", "cells": [[column, row, class], ...]} in the metric CRS; classes only, no counts."""
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
    return {"cell": grid.cell, "x0": grid.x0, "y0": grid.y0, "cells": cells}


def _in_ring(area, buffer_m, types, before, after):
    """Incidents within `buffer_m` metres of the area's outline, outside it, before and during."""
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


def compare(promise, today=None):
    """The promise's outcome incidents before and during it, in the area, its ring and its control
    areas, with WDD (displacement counted against the promise) and a Poisson difference-in-differences."""
    today = today or timezone.localdate()
    types = list(promise.outcome_incident_types or [])
    before, after = _window(promise, today)
    controls = list(promise.control_areas.all())
    empty = OutcomeComparison(types, before, after, None, None, None, None, None, "")
    if today < promise.period_start:
        return OutcomeComparison(**{**asdict(empty), "note": "The promise has not started.", "reason": "not_started"})
    if not types or not controls:
        note = "Choose the incident types and control areas."
        return OutcomeComparison(**{**asdict(empty), "note": note, "reason": "no_comparison"})
    # One read per area gives both windows' counts and the monthly series for the DiD.
    (first_series, hot_spots) = _in_area(promise.area, types, before, after, hot_spots=True)
    series = [first_series, *(_in_area(a, types, before, after) for a in controls)]
    target = series[0].counts
    ring, ring_by_type = _in_ring(promise.area, promise.buffer_m, types, before, after)
    control = Counts(sum(s.counts.before for s in series[1:]), sum(s.counts.after for s in series[1:]))
    threshold = settings.LOFTE_SMALL_COUNT_THRESHOLD
    if min(target.before, target.after, control.before, control.after) < threshold:
        note = f"Too few incidents to evaluate (fewer than {threshold} in a period): no verdict, and no counts shown."
        return OutcomeComparison(**{**asdict(empty), "note": note, "reason": "too_few"})
    # The ring's control is the control areas, scaled to the ring's own size before the promise.
    scale = ring.before / control.before if control.before else 0
    weighted = wdd(
        (target.before, target.after),
        (control.before, control.after),
        buffer=(ring.before, ring.after) if ring.before >= threshold else None,
        buffer_control=(control.before * scale, control.after * scale) if ring.before >= threshold else None,
    )
    harm = _harm(series, ring_by_type if ring.before >= threshold else None, scale)
    # Difference-in-differences on monthly counts of the area and each control area.
    first = series[0].first
    start_month = promise.period_start.year * 12 + promise.period_start.month - 1
    months = len(series[0].monthly)
    y = np.concatenate([split.monthly for split in series])
    treated = np.concatenate([np.full(months, 1 if k == 0 else 0) for k in range(len(series))])
    post = np.tile((np.arange(months) + first >= start_month).astype(int), len(series))
    units = np.repeat(np.arange(len(series)), months)
    try:
        difference = did(y, treated, post, unit=units, model="poisson")
    except ValueError:
        difference = None
    target_monthly = series[0].monthly
    start_index = start_month - first
    try:
        # Seasonality needs two years before the start to be told apart from the trend and the step.
        month_of_year = [(first + k) % 12 + 1 for k in range(months)] if start_index >= 24 else None
        series_result = its(target_monthly, start=start_index, month_of_year=month_of_year).to_dict()
    except ValueError:  # too few months on either side, or no variation
        series_result = None
    control_monthly = np.sum([split.monthly for split in series[1:]], axis=0)
    quarters = _event_study(series, first, start_month)
    donors = controls + [a for a in promise.donor_areas.exclude(pk=promise.area_id) if a not in controls]
    donor_series = [split.monthly for split in series[1:]]
    donor_series += [_in_area(a, types, before, after).monthly for a in donors[len(controls) :]]
    synthetic, twin = _synthetic(target_monthly, donor_series, [a.name for a in donors], start_index)
    names = [f"{m // 12}-{m % 12 + 1:02d}" for m in range(first, first + months)]
    # Monthly counts are published only when none is small (a chart is a table too).
    shown = all(v == 0 or v >= threshold for v in [*target_monthly, *control_monthly])
    return OutcomeComparison(
        types,
        before,
        after,
        target,
        ring if ring.before >= threshold and ring.after >= threshold else None,
        control,
        weighted.to_dict(),
        None if difference is None else difference.to_dict(),
        "",
        names,
        [int(v) for v in target_monthly] if shown else [],
        [int(v) for v in control_monthly] if shown else [],
        series_result,
        quarters,
        synthetic,
        [round(float(v), 1) for v in twin] if shown and synthetic else [],
        hot_spots,
        harm,
    )


def _harm(series, ring_by_type, scale):
    """WDD weighted by the harm table's weights (None without a table), with its source."""
    found = harm_index.table()
    if not found.weights:
        return None
    control: dict[str, tuple[float, float]] = {}
    for split in series[1:]:
        for kind, (b, a) in split.by_type.items():
            control[kind] = (control.get(kind, (0, 0))[0] + b, control.get(kind, (0, 0))[1] + a)
    ring = {"buffer": ring_by_type, "buffer_control": {k: (b * scale, a * scale) for k, (b, a) in control.items()}}
    result = harm_wdd(series[0].by_type, control, found.weights, unit=found.unit, **(ring if ring_by_type else {}))
    return result.to_dict() | {"source": found.source, "dated": found.dated.isoformat(), "unit": found.unit}


def _event_study(series, first, start_month):
    """Quarter by quarter (the quarter before the start the reference), the area against the control
    areas: did they move apart before the promise? None when there are too few quarters."""
    months = len(series[0].monthly)
    quarter = (np.arange(months) + first - start_month) // 3
    shown = np.unique(quarter)
    y = np.concatenate([[split.monthly[quarter == q].sum() for q in shown] for split in series])
    treated = np.repeat([1] + [0] * (len(series) - 1), len(shown))
    try:
        return event_study(y, treated, np.tile(shown, len(series)), start=0).to_dict()
    except ValueError:
        return None


def _synthetic(target_monthly, donor_series, names, start_index):
    """The synthetic control from the donors' monthly counts, and its twin month by month; (None, [])
    with fewer than two donors or three months before the start."""
    try:
        result = synthetic_control(target_monthly, np.array(donor_series), start=start_index, names=names)
    except ValueError:
        return None, []
    weights = np.array([result.weights.get(n, 0.0) for n in names])
    return result.to_dict(), (weights @ np.array(donor_series, dtype=float)).tolist()


def verdict(promise, today=None):
    """The difference-in-differences verdict of `promise`'s outcome incidents ("decrease", "increase",
    "no measurable change"), or "" when nothing is compared."""
    comparison = cached_compare(promise, today) if promise.outcome_incident_types else None
    return str(comparison.did["verdict"]) if comparison and comparison.did else ""


def cached_compare(promise, today=None):
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
    return kept("outcomes", inputs, lambda: compare(promise, today), 24 * 3600)
