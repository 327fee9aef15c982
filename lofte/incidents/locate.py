"""Project incident points to the metric CRS and find the area and place each lies in."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from django.db import transaction
from numpy.typing import ArrayLike
from pyproj import Transformer
from shapely.geometry import shape

from lofte.ingest.common import EXACT, SNAPPED
from lofte.places.geometry import metric_crs, place_shape_metric
from lofte.places.models import Area, Place

from .models import Incident

# Centroids of a municipality or county say nothing about where in an area an incident was.
PLACEABLE = (EXACT, SNAPPED)


class Locator:
    """Built once per import: the areas and places in memory, smallest area first."""

    def __init__(self) -> None:
        self.transformer = Transformer.from_crs("EPSG:4326", metric_crs(), always_xy=True)
        areas = []
        for area in Area.objects.all():
            polygon = shape(area.polygon)
            shapely.prepare(polygon)
            areas.append((polygon.area, area.pk, polygon, (area.min_lon, area.min_lat, area.max_lon, area.max_lat)))
        self.areas = sorted(areas, key=lambda a: a[0])
        self.places = []
        for place in Place.objects.all():
            footprint = place_shape_metric(place)
            shapely.prepare(footprint)
            self.places.append((place.pk, footprint, footprint.bounds))

    def locate(self, lon: ArrayLike, lat: ArrayLike, accuracy: ArrayLike) -> tuple[np.ndarray, ...]:
        """For arrays of lon/lat (NaN where unlocated) and accuracies, return x, y, area ids, place ids.

        Ids are 0 where nothing matched.
        """
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        x, y = self.transformer.transform(lon, lat)
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        placeable = np.isin(np.asarray(accuracy), PLACEABLE) & np.isfinite(lon) & np.isfinite(lat)
        area_ids = np.zeros(len(lon), dtype=np.int64)
        for _, pk, polygon, (x0, y0, x1, y1) in self.areas:
            todo = placeable & (area_ids == 0) & (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
            if todo.any():
                index = np.flatnonzero(todo)
                inside = shapely.contains_xy(polygon, lon[index], lat[index])
                area_ids[index[inside]] = pk
        place_ids = np.zeros(len(lon), dtype=np.int64)
        for pk, footprint, (x0, y0, x1, y1) in self.places:
            todo = placeable & (place_ids == 0) & (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
            if todo.any():
                index = np.flatnonzero(todo)
                inside = shapely.contains_xy(footprint, x[index], y[index])
                place_ids[index[inside]] = pk
        return x, y, area_ids, place_ids


def relocate(*, bounds: tuple[float, float, float, float] | None = None, chunk: int = 50_000) -> int:
    """Find the area and place of stored incidents again (after an area or place was added, moved or
    removed); only incidents inside `bounds` (min_lon, min_lat, max_lon, max_lat) when given.

    Returns how many incidents changed area or place. Runs in one transaction: a crash leaves the
    keys as they were.
    """
    import pandas as pd

    locator = Locator()
    rows = Incident.objects.filter(accuracy__in=PLACEABLE, lon__isnull=False, lat__isnull=False)
    if bounds is not None:
        min_lon, min_lat, max_lon, max_lat = bounds
        rows = rows.filter(lon__gte=min_lon, lon__lte=max_lon, lat__gte=min_lat, lat__lte=max_lat)
    columns = ["pk", "lon", "lat", "accuracy", "area_id", "place_id"]
    changed, last = 0, 0
    with transaction.atomic():
        while True:
            page = rows.filter(pk__gt=last).order_by("pk").values_list(*columns)[:chunk]
            found = pd.DataFrame(list(page), columns=columns)
            if not len(found):
                return changed
            _, _, area_ids, place_ids = locator.locate(found["lon"], found["lat"], found["accuracy"].to_numpy())
            found["new_area"], found["new_place"] = area_ids, place_ids
            old = found[["area_id", "place_id"]].fillna(0).astype("int64").to_numpy()
            moved = found[(old != found[["new_area", "new_place"]].to_numpy()).any(axis=1)]
            Incident.objects.bulk_update(
                [
                    Incident(pk=pk, area_id=area or None, place_id=place or None)
                    for pk, area, place in zip(
                        moved["pk"].tolist(), moved["new_area"].tolist(), moved["new_place"].tolist()
                    )
                ],
                ["area", "place"],
                batch_size=1000,
            )
            changed += len(moved)
            last = int(found["pk"].iloc[-1])


def bounds_of(*outlines: dict[str, Any] | None) -> tuple[float, float, float, float] | None:
    """The bounding box (min_lon, min_lat, max_lon, max_lat) around GeoJSON outlines (None skipped)."""
    boxes = [shape(outline).bounds for outline in outlines if outline]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
