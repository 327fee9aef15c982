"""Read area polygons from a GeoJSON file into WGS84 records (no Django).

The police's vulnerable-area file is in SWEREF 99 TM (EPSG:3006) and says so in a
legacy `crs` member; plain RFC 7946 files are WGS84. Every feature ends as a record
or as a reject that names the feature and the field.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import mapping, shape

from lofte.analysis.types import FloatArray

from . import outline_files
from .common import Reject, UnreadableFile, read_feature_collection

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


# Defaults of the caps on an uploaded outline (the web pages pass their settings).
MAX_OUTLINE_BYTES = 20_000_000
MAX_OUTLINE_VERTICES = 50_000


@dataclass(frozen=True)
class Outline:
    """One area's outline read from a file: its geometry (GeoJSON in WGS84) and the feature's
    attributes, from which `name` and `code` are taken where the file has them."""

    geometry: dict[str, Any]
    properties: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return _first(self.properties, NAME_FIELDS)

    @property
    def code(self) -> str:
        return _first(self.properties, CODE_FIELDS)


# Attributes that name an area and give its code, in the order they are tried: the police's
# vulnerable-area file (NAMN, OMRADESKOD), Lantmäteriet's and SCB's districts (NAMN, KOD; DESO's
# deso), and plain English files.
NAME_FIELDS = ("NAMN", "namn", "Namn", "OMRADESNAMN", "omradesnamn", "name", "Name", "NAME")
CODE_FIELDS = ("OMRADESKOD", "omradeskod", "KOD", "kod", "Kod", "deso", "DESO", "code", "Code", "CODE")


def _first(properties: dict[str, Any], names: tuple[str, ...]) -> str:
    for key in names:
        value = properties.get(key)
        if value is not None and str(value).strip():
            return str(value).strip()
    return ""


def read_outline(
    path: str | Path,
    *,
    crs: str | None = None,
    feature: int = 1,
    name: str | None = None,
    max_bytes: int = MAX_OUTLINE_BYTES,
    max_vertices: int = MAX_OUTLINE_VERTICES,
) -> dict[str, Any]:
    """The outline of one area from a file, as a GeoJSON Polygon or MultiPolygon in WGS84.

    What the file is comes from its bytes, never from its name (`outline_files.kind_of`): GeoJSON (a
    FeatureCollection, a Feature or a geometry) is read here, a GeoPackage or a zipped Shapefile by
    GDAL with its driver fixed. `feature` picks the feature (1-based); `crs` names the coordinates'
    CRS when the file does not (default WGS84, RFC 7946). `name` is the file's name as the user knows
    it (messages never show a server path); `max_bytes` and `max_vertices` cap the file's size and the
    outline's vertices. Raises UnreadableFile naming the file, the feature and the problem.
    """
    return read_outline_feature(
        path, crs=crs, feature=feature, name=name, max_bytes=max_bytes, max_vertices=max_vertices
    ).geometry


def read_outline_feature(
    path: str | Path,
    *,
    crs: str | None = None,
    feature: int = 1,
    name: str | None = None,
    max_bytes: int = MAX_OUTLINE_BYTES,
    max_vertices: int = MAX_OUTLINE_VERTICES,
) -> Outline:
    """As `read_outline`, with the feature's attributes (`Outline.name` and `Outline.code` where the
    file has them)."""
    path = Path(path)
    name = name or path.name
    size = path.stat().st_size
    if size > max_bytes:
        raise UnreadableFile(f"{name}: {size / 1e6:.1f} MB; an outline file may be at most {max_bytes / 1e6:.0f} MB")
    kind = outline_files.kind_of(path, name=name)
    if kind == outline_files.GEOJSON:
        geometry, named_crs, properties = _read_geojson_outline(path, feature, name=name)
    else:
        wkb, named_crs, properties = outline_files.read_gdal_feature(
            path, kind, feature, name=name, max_bytes=max_bytes
        )
        try:
            geometry = shapely.from_wkb(wkb)
        except Exception as exc:  # shapely's GEOSException for a broken WKB
            raise UnreadableFile(f"{name}: feature {feature}: geometry: unreadable ({exc})") from exc
    if geometry.geom_type not in ("Polygon", "MultiPolygon") or geometry.is_empty:
        raise UnreadableFile(f"{name}: feature {feature}: geometry: expected a Polygon, got {geometry.geom_type}")
    vertices = int(shapely.get_num_coordinates(geometry))
    if vertices > max_vertices:
        raise UnreadableFile(
            f"{name}: feature {feature}: geometry: {vertices} vertices; at most {max_vertices} (simplify the outline)"
        )
    try:
        source_crs = CRS.from_user_input(crs or named_crs or WGS84)
    except Exception as exc:  # pyproj's CRSError, or a type error for nonsense
        raise UnreadableFile(f"{name}: crs: unknown coordinate system {crs or named_crs!r}") from exc
    if not (source_crs.is_geographic or source_crs.is_projected):
        raise UnreadableFile(f"{name}: crs: {source_crs.name} is neither geographic nor projected")
    if not source_crs.equals(CRS.from_user_input(WGS84)):
        geometry = reproject(geometry, Transformer.from_crs(source_crs, WGS84, always_xy=True))
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise UnreadableFile(f"{name}: crs: the coordinates are not longitude/latitude; name the file's CRS")
    if not geometry.is_valid:
        raise UnreadableFile(f"{name}: feature {feature}: geometry: {shapely.is_valid_reason(geometry)}")
    return Outline(dict(mapping(geometry)), {k: v for k, v in properties.items() if _is_plain(v)})


def _read_geojson_outline(path: Path, feature: int, *, name: str) -> tuple[Any, str | None, dict[str, Any]]:
    data = _read_json(path, name=name)
    features = data.get("features") if data.get("type") == "FeatureCollection" else [data]
    if not isinstance(features, list) or not features:
        raise UnreadableFile(f"{name}: no features")
    if not 1 <= feature <= len(features):
        raise UnreadableFile(f"{name}: feature {feature}: the file has {len(features)} features")
    chosen = features[feature - 1]
    is_feature = isinstance(chosen, dict) and chosen.get("type") == "Feature"
    geometry_json = chosen.get("geometry") if is_feature else chosen
    properties = chosen.get("properties") if is_feature else None
    if problem := _open_ring(geometry_json):
        raise UnreadableFile(f"{name}: feature {feature}: geometry: {problem}")
    try:
        return shape(geometry_json), file_crs(data), properties if isinstance(properties, dict) else {}
    except Exception as exc:  # shapely raises several types for bad input
        raise UnreadableFile(f"{name}: feature {feature}: geometry: not a valid GeoJSON geometry ({exc})") from exc


def _open_ring(geometry: Any) -> str | None:
    """Which ring does not close (GeoJSON rings end where they start; shapely would close them quietly)."""
    if not isinstance(geometry, dict):
        return None
    polygons = {"Polygon": [geometry.get("coordinates")], "MultiPolygon": geometry.get("coordinates")}.get(
        str(geometry.get("type")), []
    )
    for p, rings in enumerate(polygons if isinstance(polygons, list) else [], start=1):
        for r, ring in enumerate(rings if isinstance(rings, list) else [], start=1):
            if isinstance(ring, list) and len(ring) >= 2 and ring[0] != ring[-1]:
                return f"ring {r} of polygon {p} does not close (its first and last positions differ)"
    return None


def _read_json(path: Path, *, name: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise UnreadableFile(f"{name}: not GeoJSON ({exc})") from exc
    if not isinstance(data, dict):
        raise UnreadableFile(f"{name}: not a GeoJSON object")
    return data
