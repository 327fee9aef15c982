"""Map layers of the situation picture: incident points, counts in squares, density and hot spots.

Functions over arrays of metric coordinates (`x`, `y`, metres in the site's metric CRS); the
squares and cells are GeoJSON polygons in WGS84.
"""

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from pyproj import Transformer
from shapely.geometry import shape

from lofte.analysis import situation as pure
from lofte.analysis.concentration import Concentration
from lofte.analysis.suppression import protect_counts
from lofte.places.geometry import metric_crs
from lofte.places.models import Area

GRID_CELL_M = 250


def square_features(
    x0: np.ndarray, y0: np.ndarray, cell: float, properties: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
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


@dataclass(frozen=True)
class Squares:
    """Counts of incidents in squares of `cell` metres from the origin of the metric CRS."""

    ix: np.ndarray
    iy: np.ndarray
    n: np.ndarray
    cell: float = GRID_CELL_M

    @classmethod
    def of(cls, x: np.ndarray, y: np.ndarray, *, cell: float = GRID_CELL_M) -> "Squares":
        return cls(*pure.grid_counts(x, y, cell=cell, origin=(0.0, 0.0)), cell=cell)

    def coarsened(self, limit: int) -> "Squares":
        """The same counts in squares twice as wide, and so on, until there are at most `limit`."""
        squares = self
        while len(squares.n) > limit:
            cells, where = np.unique(np.column_stack([squares.ix // 2, squares.iy // 2]), axis=0, return_inverse=True)
            n = np.bincount(where.ravel(), weights=squares.n, minlength=len(cells)).astype(int)
            squares = Squares(cells[:, 0], cells[:, 1], n, squares.cell * 2)
        return squares

    def geojson(self, *, threshold: int | None = None) -> dict[str, Any]:
        """GeoJSON squares with `count`; with a `threshold`, small counts and those that would give
        them back are hidden (`count` null, `suppressed` true)."""
        shown = self.n.astype(float) if threshold is None else protect_counts(self.n, threshold=threshold)
        properties = [
            {"count": None if np.isnan(v) else int(v), "suppressed": bool(np.isnan(v))} for v in shown.tolist()
        ]
        cell = self.cell
        return {
            "type": "FeatureCollection",
            "features": square_features(self.ix * cell, self.iy * cell, cell, properties),
        }


def points_geojson(rows: Iterable[Any]) -> dict[str, Any]:
    """Incident points from (type, source, lon, lat) rows (analysts only)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"type": t, "source": s},
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
            }
            for t, s, lon, lat in rows
        ],
    }


@dataclass(frozen=True)
class HotSpotLayers:
    """Grid layers of the situation picture. `cells` carries each cell's count `n` in full."""

    cell: float
    bandwidth: float | None
    cells: dict[str, Any]  # GeoJSON of the study-area cells with n, kde (per km²) and gi_class
    concentration: Concentration | None  # over the cells
    hot: int
    cold: int


def hotspot_layers(
    area: Area, x: np.ndarray, y: np.ndarray, *, cell: float | None = None, bandwidth: float | None = None
) -> HotSpotLayers:
    """Counts, density and Gi* classes on a grid clipped to the area, and the concentration over its
    cells. The counts are all there: `Disclosure.cells` hides the small ones."""
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
    if len(x) == 0:
        return HotSpotLayers(cell, None, {"type": "FeatureCollection", "features": []}, None, 0, 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # points on the outline's edge: already filtered by the polygon
        counts, _ = count_points(grid, x, y)
    if bandwidth is None and len(x) >= 2 and np.unique(x).size > 1:
        bandwidth = float(default_bandwidth(x, y))
    density = kde_grid(counts, cell=cell, bandwidth=max(bandwidth or cell, cell), mask=grid.mask) if bandwidth else None
    gi = gistar_grid(counts, mask=grid.mask) if grid.n_cells >= 3 else None
    rows, cols = np.nonzero(grid.mask)
    shown = counts[rows, cols]
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


def places_on_map(area: Area) -> list[dict[str, Any]]:
    """The area's places for the map: a drawn place by its outline, labelled at its centre (it has no
    point of its own: the map failed on it with "reading 'lat'", issue 24)."""
    out = []
    for place in area.places.order_by("name"):
        lon, lat = place.centre()
        if lon is not None and lat is not None:
            out.append({"name": place.name, "lon": lon, "lat": lat, "polygon": place.polygon or None})
    return out
