"""A generic CSV with a column mapping, and GeoJSON points: municipal reports and the like.

The mapping (a TOML file, or a dict) names the columns:

    source = "sdf-vandalism"        # optional, the command's --source wins
    delimiter = ";"                 # optional; `;`, a tab or `,` is found from the header line
    encoding = "utf-8"              # optional; a BOM is always accepted
    timezone = "Europe/Stockholm"   # for times without an offset
    time_format = "%Y-%m-%d %H:%M"  # optional; ISO 8601 is read without it
    nature = "crime"                # crime | incident (default) | summary | notice

    [columns]
    id = "Ärendenummer"             # required: a stable id of the report
    time = "Tidpunkt"               # a time; or `date` for a whole day
    type = "Typ"
    x = "X"                         # x/y with `crs`, or lon/lat in WGS84
    y = "Y"
    crs = "EPSG:3006"
    place = "Adress"                # optional free text
"""

import csv
import tomllib
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from .common import (
    EXACT,
    INCIDENT,
    NATURES,
    NONE,
    IncidentRecord,
    Reject,
    UnreadableFile,
    csv_rows,
    delimiter_of,
    fingerprint,
    parse_lonlat,
    read_feature_collection,
)

Getter = Callable[[str], str]  # a row's cell by column name


def _cell(row: list[str], index: dict[str, int], name: str) -> str:
    return row[index[name]].strip() if index[name] < len(row) else ""


def _property(values: dict[str, str], name: str) -> str:
    return values.get(name, "").strip()


def load_mapping(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UnreadableFile(f"{path}: cannot read the mapping: {exc}") from exc


class _Mapping:
    def __init__(self, mapping: dict[str, Any], origin: str) -> None:
        columns = mapping.get("columns") or {}
        if "id" not in columns or "type" not in columns:
            raise UnreadableFile(f"{origin}: [columns] needs at least id and type")
        if ("time" in columns) == ("date" in columns):
            raise UnreadableFile(f"{origin}: [columns] needs exactly one of time and date")
        has_xy, has_lonlat = "x" in columns and "y" in columns, "lon" in columns and "lat" in columns
        if has_xy and "crs" not in columns:
            raise UnreadableFile(f'{origin}: [columns] x and y need a crs, e.g. crs = "EPSG:3006"')
        self.columns: dict[str, str] = columns
        self.nature = mapping.get("nature", INCIDENT)
        if self.nature not in NATURES:
            raise UnreadableFile(f"{origin}: nature must be one of {NATURES}")
        try:
            self.tz = ZoneInfo(str(mapping.get("timezone", "Europe/Stockholm")))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise UnreadableFile(f"{origin}: timezone: not a time zone such as Europe/Stockholm ({exc})") from exc
        self.time_format = mapping.get("time_format")
        self.transformer: Transformer | None = None
        if has_xy:
            try:
                crs = CRS.from_user_input(columns["crs"])
            except CRSError as exc:
                raise UnreadableFile(f"{origin}: [columns] crs: not a coordinate system such as EPSG:3006") from exc
            self.transformer = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        self.has_location = has_xy or has_lonlat

    def when(self, text: str) -> tuple[datetime, datetime]:
        text = text.strip()
        if "date" in self.columns:
            day = datetime.strptime(text, self.time_format) if self.time_format else datetime.fromisoformat(text)
            start = datetime(day.year, day.month, day.day, tzinfo=self.tz)
            return start, start + timedelta(days=1) - timedelta(microseconds=1)
        moment = datetime.strptime(text, self.time_format) if self.time_format else datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.tz)
        return moment, moment

    def where(self, get: Getter) -> tuple[float, float] | tuple[None, None]:
        c = self.columns
        if self.transformer is not None:
            x_text, y_text = get(c["x"]), get(c["y"])
            if not x_text and not y_text:
                return None, None
            x, y = float(x_text.replace(",", ".")), float(y_text.replace(",", "."))
            lon, lat = self.transformer.transform(x, y)
            return parse_lonlat(repr(lon), repr(lat))
        if "lon" in c:
            return parse_lonlat(get(c["lon"]).replace(",", "."), get(c["lat"]).replace(",", "."))
        return None, None


def _record(m: _Mapping, source: str, position: int, get: Getter, text: str) -> IncidentRecord | Reject:
    """An IncidentRecord or a Reject from one row, read through `get(column)`."""
    c = m.columns
    source_id = get(c["id"])
    if not source_id:
        return Reject(source, position, c["id"], "missing")
    time_column = c["time"] if "time" in c else c["date"]  # exactly one of them, checked above
    try:
        start, end = m.when(get(time_column))
    except ValueError as exc:
        return Reject(source, position, time_column, f"not a time: {exc}")
    event_type = get(c["type"])
    if not event_type:
        return Reject(source, position, c["type"], "missing")
    try:
        lon, lat = m.where(get)
    except ValueError as exc:
        return Reject(source, position, c.get("x") or c.get("lon") or "", f"not a coordinate: {exc}")
    return IncidentRecord(
        source=source,
        source_id=source_id,
        position=position,
        occurred_from=start,
        occurred_to=end,
        published_at=None,
        type=event_type,
        nature=m.nature,
        lon=lon,
        lat=lat,
        accuracy=EXACT if lon is not None else NONE,
        place_text=get(c["place"]) if "place" in c else "",
        fingerprint=fingerprint(text),
    )


def read_csv(
    path: str | Path, *, mapping: dict[str, Any], source: str | None = None
) -> Iterator[IncidentRecord | Reject]:
    """Yield an IncidentRecord or a Reject for every row of a CSV file read through `mapping`."""
    path = Path(path)
    m = _Mapping(mapping, "mapping")
    source = source or mapping.get("source") or path.stem
    encoding = mapping.get("encoding", "utf-8")
    try:
        handle = path.open(encoding="utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding, newline="")
    except (OSError, LookupError) as exc:
        raise UnreadableFile(f"{path}: cannot open: {exc}") from exc
    with handle:
        try:
            delimiter = mapping.get("delimiter") or delimiter_of(handle.readline())
            handle.seek(0)
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"{path}: no header row ({exc})") from exc
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = [name.strip() for name in next(reader)]
        except (StopIteration, UnicodeDecodeError, csv.Error) as exc:
            raise UnreadableFile(f"{path}: no header row ({exc or 'empty file'})") from exc
        wanted = [v for k, v in m.columns.items() if k != "crs"]
        missing = [name for name in wanted if name not in header]
        if missing:
            raise UnreadableFile(f"{path}: line 1: missing columns {', '.join(missing)}")
        index = {name: i for i, name in enumerate(header)}
        for row in csv_rows(reader, source):
            if isinstance(row, Reject):
                yield row
                continue
            yield _record(
                m,
                source,
                reader.line_num,
                partial(_cell, row, index),
                "\x1f".join(row),
            )


def read_geojson_points(
    path: str | Path, *, mapping: dict[str, Any], source: str | None = None
) -> Iterator[IncidentRecord | Reject]:
    """Yield a record or a reject for every feature of a GeoJSON FeatureCollection of points.

    `mapping["columns"]` names the properties for id, time (or date) and type; the
    point itself is the location (WGS84, or the file's legacy `crs` member).
    """
    import json

    from .areas import file_crs

    path = Path(path)
    source = source or mapping.get("source") or path.stem
    collection = read_feature_collection(path)
    columns = {k: v for k, v in (mapping.get("columns") or {}).items() if k in ("id", "time", "date", "type", "place")}
    crs = file_crs(collection)
    columns.update({"x": "\x00x", "y": "\x00y", "crs": crs} if crs else {"lon": "\x00x", "lat": "\x00y"})
    m = _Mapping({**mapping, "columns": columns}, "mapping")
    for position, feature in enumerate(collection.get("features") or [], start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            yield Reject(source, position, "properties", "missing", unit="feature")
            continue
        values = {k: "" if v is None else str(v) for k, v in props.items()}
        if isinstance(geometry, dict) and geometry.get("type") == "Point":
            coords = geometry.get("coordinates") or []
            if isinstance(coords, list) and len(coords) >= 2:
                values["\x00x"], values["\x00y"] = str(coords[0]), str(coords[1])
        elif geometry is not None:
            yield Reject(source, position, "geometry", "expected a Point", unit="feature")
            continue
        record = _record(
            m,
            source,
            position,
            partial(_property, values),
            json.dumps(feature, sort_keys=True, default=str),
        )
        if isinstance(record, Reject):
            record = Reject(source, position, record.field.replace("\x00x", "geometry"), record.reason, unit="feature")
        yield record
