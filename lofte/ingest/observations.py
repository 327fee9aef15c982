"""Observations exported from another system (an EST reporting app, a spreadsheet), as CSV with a
column mapping: years of reports moved into Löfte.

The mapping (a TOML file, or a dict):

    source = "embrace"              # optional, the command's --source wins
    delimiter = ";"                 # optional; `;`, a tab or `,` is found from the header line
    timezone = "Europe/Stockholm"   # for times without an offset

    [columns]
    id = "Id"                       # required: a stable id of the report in that system
    date = "Datum"                  # a day; or `time` for a time (ISO 8601)
    category = "Kategori"           # required: a Löfte category code, or a word [categories] maps
    lon = "Lon"                     # lon/lat in WGS84, or x/y with `crs`; or `place`
    lat = "Lat"
    place = "Plats"                 # optional: the name of a place of the area
    count = "Antal"                 # optional (default 1)
    description = "Beskrivning"     # optional

    [categories]                    # optional: the file's words -> Löfte's category codes
    "Klotter" = "graffiti"
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from .common import Reject, UnreadableFile, csv_rows, delimiter_of, fingerprint, parse_lonlat


@dataclass(frozen=True, slots=True)
class ObservationRecord:
    """One observation as read: `category` is still the file's word (or a code); `at` is None for a
    day without a time; `lon`/`lat` None when the row names a place instead."""

    source: str
    source_id: str
    position: int
    day: date
    at: datetime | None
    category: str
    lon: float | None
    lat: float | None
    place: str
    count: int
    description: str
    fingerprint: str


class _Mapping:
    def __init__(self, mapping: dict[str, Any]) -> None:
        columns = mapping.get("columns") or {}
        for needed in ("id", "category"):
            if needed not in columns:
                raise UnreadableFile(f"mapping: [columns] needs {needed}")
        if ("time" in columns) == ("date" in columns):
            raise UnreadableFile("mapping: [columns] needs exactly one of time and date")
        if not ({"lon", "lat"} <= set(columns) or {"x", "y", "crs"} <= set(columns) or "place" in columns):
            raise UnreadableFile("mapping: [columns] needs lon and lat, x, y and crs, or place")
        self.columns: dict[str, str] = columns
        self.categories: dict[str, str] = {str(k).strip().casefold(): str(v) for k, v in
                                           (mapping.get("categories") or {}).items()}  # fmt: skip
        try:
            self.tz = ZoneInfo(str(mapping.get("timezone", "Europe/Stockholm")))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise UnreadableFile(f"mapping: timezone: not a time zone such as Europe/Stockholm ({exc})") from exc
        self.transformer: Transformer | None = None
        if "crs" in columns:
            try:
                crs = CRS.from_user_input(columns["crs"])
            except CRSError as exc:
                raise UnreadableFile("mapping: [columns] crs: not a coordinate system such as EPSG:3006") from exc
            self.transformer = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)

    def record(self, source: str, line: int, cell: dict[str, str], text: str) -> ObservationRecord | Reject:
        c = self.columns
        source_id = cell[c["id"]]
        if not source_id:
            return Reject(source, line, c["id"], "missing")
        when_column = c.get("time") or c["date"]
        try:
            day, at = self._when(cell[when_column])
        except ValueError as exc:
            return Reject(source, line, when_column, f"not a {'time' if 'time' in c else 'day'}: {exc}")
        word = cell[c["category"]]
        if not word:
            return Reject(source, line, c["category"], "missing")
        try:
            lon, lat = self._where(cell)
        except ValueError as exc:
            return Reject(source, line, c.get("lon") or c.get("x") or "", f"not a coordinate: {exc}")
        place = cell[c["place"]] if "place" in c else ""
        if lon is None and not place:
            return Reject(source, line, c.get("place") or c.get("lon") or c.get("x") or "", "no place or point")
        count_text = cell[c["count"]] if "count" in c else ""
        try:
            count = int(count_text) if count_text else 1
        except ValueError:
            return Reject(source, line, c["count"], f"not a whole number: {count_text!r}")
        return ObservationRecord(
            source=source, source_id=source_id, position=line, day=day, at=at,
            category=self.categories.get(word.casefold(), word), lon=lon, lat=lat, place=place, count=count,
            description=cell[c["description"]] if "description" in c else "", fingerprint=fingerprint(text),
        )  # fmt: skip

    def _when(self, text: str) -> tuple[date, datetime | None]:
        if "date" in self.columns:
            return date.fromisoformat(text), None
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.tz)
        return moment.astimezone(self.tz).date(), moment

    def _where(self, cell: dict[str, str]) -> tuple[float, float] | tuple[None, None]:
        c = self.columns
        if self.transformer is not None:
            x_text, y_text = cell[c["x"]], cell[c["y"]]
            if not x_text and not y_text:
                return None, None
            lon, lat = self.transformer.transform(float(x_text.replace(",", ".")), float(y_text.replace(",", ".")))
            return parse_lonlat(repr(lon), repr(lat))
        if "lon" in c:
            return parse_lonlat(cell[c["lon"]].replace(",", "."), cell[c["lat"]].replace(",", "."))
        return None, None


def read_observations(
    path: str | Path, *, mapping: dict[str, Any], source: str | None = None
) -> Iterator[ObservationRecord | Reject]:
    """Yield an ObservationRecord or a Reject (naming the line and the column) for every row."""
    path = Path(path)
    m = _Mapping(mapping)
    source = source or mapping.get("source") or path.stem
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise UnreadableFile(f"{path.name}: cannot open: {exc}") from exc
    with handle:
        try:
            delimiter = mapping.get("delimiter") or delimiter_of(handle.readline())
            handle.seek(0)
            reader = csv.reader(handle, delimiter=delimiter)
            header = [name.strip() for name in next(reader)]
        except (StopIteration, UnicodeDecodeError, csv.Error) as exc:
            raise UnreadableFile(f"{path.name}: no header row ({exc or 'empty file'})") from exc
        missing = [name for key, name in m.columns.items() if key != "crs" and name not in header]
        if missing:
            raise UnreadableFile(f"{path.name}: line 1: missing columns {', '.join(missing)}")
        for row in csv_rows(reader, source):
            if isinstance(row, Reject):
                yield row
                continue
            cells = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
            yield m.record(source, reader.line_num, cells, "\x1f".join(row))
