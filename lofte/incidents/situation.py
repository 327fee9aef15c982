"""The situation picture of an area: the one boundary from incident rows to `analysis.situation`."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from django.conf import settings
from django.utils import timezone
from pyproj import Transformer
from shapely.geometry import shape

from lofte.analysis import situation as pure
from lofte.analysis.suppression import protect_counts
from lofte.places.geometry import metric_crs
from lofte.places.models import Place

from .inside import AreaIncidents
from .models import Incident

LOCAL = ZoneInfo(settings.TIME_ZONE)
GRID_CELL_M = 250


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    types: tuple = ()


@dataclass
class Situation:
    area: object
    filters: Filters
    total: int
    types: list  # [(type, count)] most common first
    months: list  # ["2024-09", ...]
    table: list  # [(type, [count per month])] for the most common types
    other_types: list | None  # [count per month] of the types not in `table`, None when there are none
    monthly_total: list
    trend: pure.Trend
    top_places: list  # [(place name, count)]
    frame: pd.DataFrame = field(repr=False)


# Each function takes `inside`, the area's AreaIncidents, when the caller has it already: a page asks
# all four about one area, and finding the areas around it once is enough.


def latest_day(area, *, inside=None):
    """The local date of the area's latest incident (today when it has none)."""
    latest = (inside or AreaIncidents.of(area)).latest()
    return timezone.localtime(latest).date() if latest else timezone.localdate()


def default_start(end):
    """The first day of the twelve calendar months that end with `end`'s month."""
    return date(end.year, 1, 1) if end.month == 12 else date(end.year - 1, end.month + 1, 1)


def types_in(area, *, inside=None):
    return (inside or AreaIncidents.of(area)).types()


def incidents_in(area, filters, *, inside=None):
    """The incidents of the area (see `inside`) in the period, as a DataFrame."""
    start = datetime.combine(filters.start, time.min, tzinfo=LOCAL)
    end = datetime.combine(filters.end + timedelta(days=1), time.min, tzinfo=LOCAL)
    rows = Incident.objects.filter(occurred_from__gte=start, occurred_from__lt=end)
    if filters.types:
        rows = rows.filter(type__in=filters.types)
    columns = [
        "id",
        "source",
        "source_id",
        "occurred_from",
        "type",
        "nature",
        "lon",
        "lat",
        "x",
        "y",
        "place_id",
        "place_text",
        "accuracy",
    ]
    return (inside or AreaIncidents.of(area)).frame(rows, columns)


def situation(area, filters, *, top=8, inside=None):
    frame = incidents_in(area, filters, inside=inside)
    first = pure.month_index(filters.start.year, filters.start.month)
    last = pure.month_index(filters.end.year, filters.end.month)
    months = [f"{m // 12}-{m % 12 + 1:02d}" for m in range(first, last + 1)]
    if len(frame):
        local = pd.to_datetime(frame["occurred_from"], utc=True).dt.tz_convert(LOCAL)
        frame["month"] = pure.month_index(local.dt.year.to_numpy(), local.dt.month.to_numpy())
    else:
        frame["month"] = pd.Series(dtype="int64")
    counts = frame["type"].value_counts()
    types = [(name, int(n)) for name, n in counts.items()]
    table = []
    for name, _ in types[:top]:
        months_of_type = frame.loc[frame["type"] == name, "month"].to_numpy()
        table.append((name, pure.monthly_counts(months_of_type, first=first, last=last).astype(int).tolist()))
    monthly_total = pure.monthly_counts(frame["month"].to_numpy(), first=first, last=last).astype(int)
    other_types = None
    if len(types) > top:
        other_types = (monthly_total - np.sum([row for _, row in table], axis=0)).tolist()
    place_counts = frame["place_id"].dropna().astype(int).value_counts().head(top)
    names = dict(Place.objects.filter(pk__in=place_counts.index.tolist()).values_list("pk", "name"))
    return Situation(
        area=area,
        filters=filters,
        total=len(frame),
        types=types,
        months=months,
        table=table,
        other_types=other_types,
        monthly_total=monthly_total.tolist(),
        trend=pure.poisson_trend(monthly_total),
        top_places=[(names.get(pk, "?"), int(n)) for pk, n in place_counts.items()],
        frame=frame,
    )


def square_features(x0, y0, cell, properties):
    """GeoJSON features of squares with lower-left corners (x0, y0) in the metric CRS, in WGS84."""
    back = Transformer.from_crs(metric_crs(), "EPSG:4326", always_xy=True)
    features = []
    for x, y, props in zip(x0, y0, properties):
        lon, lat = back.transform([x, x + cell, x + cell, x, x], [y, y, y + cell, y + cell, y])
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[round(a, 6), round(b, 6)] for a, b in zip(lon, lat)]],
                },
            }
        )
    return features


def grid_geojson(frame, *, threshold, cell=GRID_CELL_M):
    """Counts in square cells (metres) as GeoJSON polygons in WGS84; small counts suppressed."""
    located = frame.dropna(subset=["x", "y"])
    ix, iy, n = pure.grid_counts(located["x"], located["y"], cell=cell, origin=(0.0, 0.0))
    shown = protect_counts(n, threshold=threshold)
    properties = [{"count": None if np.isnan(v) else int(v), "suppressed": bool(np.isnan(v))} for v in shown.tolist()]
    return {"type": "FeatureCollection", "features": square_features(ix * cell, iy * cell, cell, properties)}


def points_geojson(frame, *, limit=20000):
    """Incident points for analysts, at most `limit` of them (the newest)."""
    rows = frame.sort_values("occurred_from", ascending=False).head(limit)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"type": t, "source": s},
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
            }
            for t, s, lon, lat in zip(rows["type"], rows["source"], rows["lon"], rows["lat"])
        ],
    }


@dataclass(frozen=True)
class HotSpotLayers:
    cell: float
    bandwidth: float | None
    cells: dict  # GeoJSON of the study-area cells with n, kde (per km²) and gi_class
    concentration: object  # analysis.concentration.Concentration over the cells, or None
    hot: int
    cold: int


def hotspot_layers(area, frame, *, threshold, analyst, cell=None, bandwidth=None):
    """Counts, density and Gi* classes on a grid clipped to the area, and the concentration over its cells.

    Counts below `threshold` are left out of the cells for people who are not analysts.
    """
    from lofte.analysis.concentration import concentration
    from lofte.analysis.grids import auto_cell_size, count_points, make_grid
    from lofte.analysis.hotspots import gistar_grid
    from lofte.analysis.kde import default_bandwidth, kde_grid
    from lofte.places.geometry import to_metric

    polygon = to_metric(shape(area.polygon))
    xmin, ymin, xmax, ymax = polygon.bounds
    # Cells under 50 m split the few incidents of a neighbourhood into noise.
    cell = cell or max(50.0, auto_cell_size(xmax - xmin, ymax - ymin))
    grid = make_grid(polygon, cell=cell)
    located = frame.dropna(subset=["x", "y"])
    if len(located) == 0:
        return HotSpotLayers(cell, None, {"type": "FeatureCollection", "features": []}, None, 0, 0)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # points on the outline's edge: already filtered by the polygon
        counts, _ = count_points(grid, located["x"].to_numpy(float), located["y"].to_numpy(float))
    if bandwidth is None and len(located) >= 2 and located["x"].nunique() > 1:
        bandwidth = float(default_bandwidth(located["x"], located["y"]))
    density = kde_grid(counts, cell=cell, bandwidth=max(bandwidth or cell, cell), mask=grid.mask) if bandwidth else None
    gi = gistar_grid(counts, mask=grid.mask) if grid.n_cells >= 3 else None
    rows, cols = np.nonzero(grid.mask)
    shown = counts[rows, cols] if analyst else protect_counts(counts[rows, cols], threshold=threshold)
    properties = [
        {
            "n": None if value != value else int(value),
            "kde": None if density is None else round(float(density.values[r, c]) * 1e6, 3),
            "gi_class": 0 if gi is None else int(gi.classes[r, c]),
        }
        for value, r, c in zip(shown.tolist(), rows.tolist(), cols.tolist())
    ]
    features = square_features(grid.x0 + cols * cell, grid.y0 + rows * cell, cell, properties)
    return HotSpotLayers(
        cell=cell,
        bandwidth=bandwidth,
        cells={"type": "FeatureCollection", "features": features},
        concentration=concentration(counts[rows, cols]) if counts.sum() > 0 else None,
        hot=0 if gi is None else int((gi.classes > 0).sum()),
        cold=0 if gi is None else int((gi.classes < 0).sum()),
    )
