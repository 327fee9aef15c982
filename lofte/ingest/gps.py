"""GPS pings from a CSV (unit, time, lat, lon) or a GPX file, as arrays, with rejects by line.

CSV files are read in chunks with pandas' C parser and checked column-wise, so ten
million pings stream through in seconds; blank lines are kept as rows so that line
numbers in rejects stay true.
"""

import xml.parsers.expat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lofte.analysis.types import AnyArray, FloatArray, IntArray

from .common import Reject, UnreadableFile, delimiter_of

COLUMNS = {
    "unit": ("unit", "enhet", "call_sign", "anropssignal"),
    "time": ("time", "tid", "timestamp"),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "longitude"),
}


@dataclass(frozen=True)
class Pings:
    unit: AnyArray  # call signs (str)
    t: AnyArray  # seconds since the epoch, UTC (integers)
    lat: FloatArray
    lon: FloatArray
    line: IntArray

    def __len__(self) -> int:
        return len(self.t)


def _header(path: Path, names: Iterable[str]) -> dict[str, str]:
    lower = {n.strip().lower(): n for n in names}
    found = {}
    for key, options in COLUMNS.items():
        for option in options:
            if option in lower:
                found[key] = lower[option]
                break
        else:
            raise UnreadableFile(f"{path}: line 1: no {key} column (one of {', '.join(options)})")
    return found


def _times(text: pd.Series, tz: str) -> pd.Series:
    parsed = pd.to_datetime(text, errors="coerce", utc=False, format="ISO8601")
    if getattr(parsed.dt, "tz", None) is None:
        parsed = parsed.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    return parsed.dt.tz_convert("UTC")


def read_csv_chunks(
    path: str | Path, *, tz: str = "Europe/Stockholm", chunksize: int = 1_000_000, source: str | None = None
) -> Iterator[tuple[Pings, list[Reject]]]:
    """Yield (Pings, [Reject]) per chunk of a CSV with unit, time, lat and lon columns."""
    path = Path(path)
    source = source or str(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            sep = delimiter_of(handle.readline())
        head = pd.read_csv(path, nrows=0, encoding="utf-8-sig", sep=sep)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise UnreadableFile(f"{path}: cannot read as CSV: {exc}") from exc
    cols = _header(path, head.columns)
    reader = pd.read_csv(
        path,
        usecols=list(cols.values()),
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=False,
        chunksize=chunksize,
        encoding="utf-8-sig",
        sep=sep,
        on_bad_lines="skip",
    )
    first_line = 2
    try:
        for chunk in reader:
            lines = np.arange(first_line, first_line + len(chunk))
            first_line += len(chunk)
            unit = chunk[cols["unit"]].str.strip()
            when = _times(chunk[cols["time"]].str.strip(), tz)
            # A decimal comma, as Swedish spreadsheets write in `;`-separated files.
            lat = pd.to_numeric(chunk[cols["lat"]].str.replace(",", ".", regex=False), errors="coerce")
            lon = pd.to_numeric(chunk[cols["lon"]].str.replace(",", ".", regex=False), errors="coerce")
            blank = (unit == "") & (chunk[cols["time"]].str.strip() == "") & lat.isna() & lon.isna()
            problems = [
                (unit == "", cols["unit"], "missing"),
                (when.isna(), cols["time"], "not a time (ISO 8601)"),
                (lat.isna() | (lat.abs() > 90), cols["lat"], "not a latitude"),
                (lon.isna() | (lon.abs() > 180), cols["lon"], "not a longitude"),
            ]
            bad = np.zeros(len(chunk), dtype=bool)
            rejects = []
            for mask, field, reason in problems:
                new = mask.to_numpy() & ~bad & ~blank.to_numpy()
                for line in lines[new]:
                    rejects.append(Reject(source, int(line), field, reason))
                bad |= new
            keep = ~bad & ~blank.to_numpy()
            seconds = ((when[keep] - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)).to_numpy(dtype=np.int64)
            yield (
                Pings(unit.to_numpy()[keep], seconds, lat.to_numpy()[keep], lon.to_numpy()[keep], lines[keep]),
                sorted(rejects, key=lambda r: r.position),
            )
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise UnreadableFile(f"{path}: around line {first_line}: {exc}") from exc


class _GpxTrack:
    """Collects (unit, point) for every <trkpt> while expat reads a GPX file."""

    def __init__(self, parser: Any, *, unit: str | None, default_name: str) -> None:
        self.parser, self.unit, self.default_name = parser, unit, default_name
        self.name: str | None = unit
        self.point: dict[str, Any] | None = None
        self.text = ""
        self.reading: str | None = None
        self.rows: list[tuple[str, dict[str, Any]]] = []
        parser.StartElementHandler, parser.EndElementHandler = self.start, self.end
        parser.CharacterDataHandler = self.characters
        parser.EntityDeclHandler = self.refuse_entities

    def refuse_entities(self, name: str, *args: object) -> None:
        # A GPX file has no use for entities; declared ones can expand a small file into gigabytes.
        raise xml.parsers.expat.ExpatError(f"line {self.parser.CurrentLineNumber}: entity {name!r} declared")

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        tag = tag.split(":")[-1]
        if tag == "trkpt":
            line = self.parser.CurrentLineNumber
            self.point = {"lat": attrs.get("lat"), "lon": attrs.get("lon"), "time": None, "line": line}
        elif tag in ("time", "name"):
            self.text, self.reading = "", tag

    def end(self, tag: str) -> None:
        tag = tag.split(":")[-1]
        if tag == self.reading:
            self.reading = None
            if tag == "name" and self.point is None and self.unit is None:
                self.name = self.text.strip()
            elif tag == "time" and self.point is not None:
                self.point["time"] = self.text.strip()
        elif tag == "trkpt" and self.point is not None:
            self.rows.append((self.name or self.default_name, self.point))
            self.point = None

    def characters(self, data: str) -> None:
        if self.reading:
            self.text += data


def read_gpx(path: str | Path, *, unit: str | None = None, source: str | None = None) -> tuple[Pings, list[Reject]]:
    """Pings of every track point of a GPX file; the unit is the track's <name> (or `unit`)."""
    path = Path(path)
    source = source or str(path)
    rejects = []
    parser = xml.parsers.expat.ParserCreate()
    track = _GpxTrack(parser, unit=unit, default_name=path.stem)
    rows = track.rows
    try:
        with open(path, "rb") as handle:
            parser.ParseFile(handle)
    except (OSError, xml.parsers.expat.ExpatError) as exc:
        raise UnreadableFile(f"{path}: not a readable GPX file: {exc}") from exc
    units, times, lats, lons, lines = [], [], [], [], []
    for name, point in rows:
        try:
            lat, lon = float(point["lat"]), float(point["lon"])
            if abs(lat) > 90 or abs(lon) > 180:
                raise ValueError
        except (TypeError, ValueError):
            rejects.append(Reject(source, point["line"], "trkpt", "no valid lat/lon"))
            continue
        when = pd.to_datetime(point["time"], errors="coerce", utc=True) if point["time"] else pd.NaT
        if when is pd.NaT or pd.isna(when):
            rejects.append(Reject(source, point["line"], "time", "missing or not a time"))
            continue
        units.append(name)
        times.append(int(when.timestamp()))
        lats.append(lat)
        lons.append(lon)
        lines.append(point["line"])
    return Pings(
        np.array(units, dtype=object), np.array(times, dtype=np.int64), np.array(lats), np.array(lons), np.array(lines)
    ), rejects
