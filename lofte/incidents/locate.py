"""Project incident points to the metric CRS and find the area and place each lies in."""

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import shape

from lofte.ingest.common import EXACT, SNAPPED
from lofte.places.geometry import metric_crs, place_shape_metric
from lofte.places.models import Area, Place

# Centroids of a municipality or county say nothing about where in an area an incident was.
PLACEABLE = (EXACT, SNAPPED)


class Locator:
    """Built once per import: the areas and places in memory, smallest area first."""

    def __init__(self):
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

    def locate(self, lon, lat, accuracy):
        """For arrays of lon/lat (NaN where unlocated) and accuracies, return x, y, area ids, place ids.

        Ids are 0 where nothing matched.
        """
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
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
