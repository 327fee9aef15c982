"""Read area polygons from a GeoJSON file into WGS84 records (no Django).

The police's vulnerable-area file is in SWEREF 99 TM (EPSG:3006) and says so in a
legacy `crs` member; plain RFC 7946 files are WGS84. Every feature ends as a record
or as a reject that names the feature and the field.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import mapping, shape

from lofte.analysis.types import FloatArray

from .common import Reject, read_feature_collection

WGS84 = "EPSG:4326"


@dataclass(frozen=True)
class AreaRecord:
    feature: int  # 1-based position in the file
    name: str
    code: str
    category: str
    geometry: dict[str, Any]  # GeoJSON Polygon or MultiPolygon, WGS84 lon/lat
    bbox: tuple[float, float, float, float]  # (min_lon, min_lat, max_lon, max_lat)
    properties: dict[str, Any] = field(default_factory=dict)


def file_crs(collection: dict[str, Any]) -> str | None:
    """The CRS named in a GeoJSON file's legacy `crs` member, or None."""
    crs = collection.get("crs")
    if isinstance(crs, dict):
        name = (crs.get("properties") or {}).get("name")
        if name:
            return str(name)
    return None


def read_areas(
    path: str | Path,
    *,
    name_field: str,
    code_field: str | None = None,
    category_field: str | None = None,
    crs: str | None = None,
) -> tuple[list[AreaRecord], list[Reject]]:
    """Read a GeoJSON FeatureCollection of polygons.

    Parameters
    ----------
    path : str or Path
    name_field : str
        Property holding the area's name (required on every feature).
    code_field, category_field : str, optional
        Properties holding a code and a category; the code defaults to the name.
    crs : str, optional
        CRS of the coordinates, for example "EPSG:3006". Defaults to the file's
        `crs` member, else WGS84 (RFC 7946).

    Returns
    -------
    (list[AreaRecord], list[Reject])
    """
    path = Path(path)
    collection = read_feature_collection(path)
    source_crs = CRS.from_user_input(crs or file_crs(collection) or WGS84)
    transformer = None
    if not source_crs.equals(CRS.from_user_input(WGS84)):
        transformer = Transformer.from_crs(source_crs, WGS84, always_xy=True)

    records, rejects = [], []
    for position, feature in enumerate(collection.get("features") or [], start=1):

        def reject(field_name: str, reason: str, position: int = position) -> None:
            rejects.append(Reject(str(path), position, field_name, reason, unit="feature"))

        if not isinstance(feature, dict):
            reject("feature", "not a GeoJSON object")
            continue
        props = feature.get("properties") or {}
        name = str(props.get(name_field) or "").strip()
        if not name:
            reject(name_field, "missing or empty")
            continue
        try:
            geometry = shape(feature.get("geometry"))
        except Exception as exc:  # shapely raises several types for bad input
            reject("geometry", f"not a valid GeoJSON geometry ({exc})")
            continue
        if geometry.geom_type not in ("Polygon", "MultiPolygon") or geometry.is_empty:
            reject("geometry", f"expected a Polygon or MultiPolygon, got {geometry.geom_type}")
            continue
        if transformer is not None:
            geometry = reproject(geometry, transformer)
        min_lon, min_lat, max_lon, max_lat = geometry.bounds
        if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
            reject("geometry", "coordinates are not longitude/latitude; pass the right --crs")
            continue
        if not geometry.is_valid:
            geometry = shapely.make_valid(geometry)
        code = str(props.get(code_field) or "").strip() if code_field else ""
        category = str(props.get(category_field) or "").strip() if category_field else ""
        records.append(
            AreaRecord(
                feature=position,
                name=name,
                code=code or name,
                category=category,
                geometry=mapping(geometry),
                bbox=(min_lon, min_lat, max_lon, max_lat),
                properties={k: v for k, v in props.items() if _is_plain(v)},
            )
        )
    return records, rejects


def reproject(geometry: Any, transformer: Any) -> Any:
    """A shapely geometry with every coordinate passed through a pyproj Transformer."""

    def apply(xy: FloatArray) -> FloatArray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, apply)


def _is_plain(value: object) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))
