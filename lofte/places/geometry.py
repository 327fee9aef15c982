"""Geometry helpers for areas and places: GeoJSON in WGS84 in, metres where needed."""

from functools import lru_cache

from django.conf import settings
from pyproj import Transformer
from shapely.geometry import Point, shape

from lofte.ingest.areas import reproject

WGS84 = "EPSG:4326"


def metric_crs():
    return getattr(settings, "LOFTE_METRIC_CRS", "EPSG:3006")


@lru_cache(maxsize=8)
def _to_metric(crs):
    return Transformer.from_crs(WGS84, crs, always_xy=True)


def to_metric(geometry):
    """Project a WGS84 shapely geometry to the metric CRS (metres)."""
    return reproject(geometry, _to_metric(metric_crs()))


def geometry_of(geojson):
    return shape(geojson)


def bbox_of(geojson):
    return shape(geojson).bounds


def place_shape_metric(place):
    """A place's footprint in metres: its polygon, or its point buffered by its radius."""
    if place.polygon:
        return to_metric(shape(place.polygon))
    return to_metric(Point(place.lon, place.lat)).buffer(place.radius_m, quad_segs=16)


def contains_lonlat(geojson, lon, lat):
    return shape(geojson).covers(Point(lon, lat))
