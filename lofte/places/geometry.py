"""Geometry helpers for areas and places: GeoJSON in WGS84 in, metres where needed."""

from functools import lru_cache
from typing import Any

from django.conf import settings
from pyproj import Transformer
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from lofte.ingest.areas import reproject

WGS84 = "EPSG:4326"


def metric_crs() -> str:
    return getattr(settings, "LOFTE_METRIC_CRS", "EPSG:3006")


@lru_cache(maxsize=8)
def _to_metric(crs: str) -> Transformer:
    return Transformer.from_crs(WGS84, crs, always_xy=True)


def to_metric(geometry: BaseGeometry) -> BaseGeometry:
    """Project a WGS84 shapely geometry to the metric CRS (metres)."""
    return reproject(geometry, _to_metric(metric_crs()))


def geometry_of(geojson: dict[str, Any]) -> BaseGeometry:
    return shape(geojson)


def bbox_of(geojson: dict[str, Any]) -> tuple[float, float, float, float]:
    return shape(geojson).bounds


def place_shape_metric(place: Any) -> BaseGeometry:
    """A place's footprint in metres: its polygon, or its point buffered by its radius."""
    if place.polygon:
        return to_metric(shape(place.polygon))
    return to_metric(Point(place.lon, place.lat)).buffer(place.radius_m, quad_segs=16)


def contains_lonlat(geojson: dict[str, Any], lon: float, lat: float) -> bool:
    return shape(geojson).covers(Point(lon, lat))


# Two outlines whose symmetric difference is at most this share of their union are one area drawn
# twice (another export of the same file, a vertex moved, a sliver cut off by the held areas).
SAME_OUTLINE_SHARE = 0.02


def same_outline(a: dict[str, Any], b: dict[str, Any], *, share: float = SAME_OUTLINE_SHARE) -> bool:
    """Whether GeoJSON outlines `a` and `b` cover the same ground, within `share` of their union."""
    first, second = shape(a), shape(b)
    union = first.union(second).area
    return union == 0 or first.symmetric_difference(second).area <= share * union
