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
