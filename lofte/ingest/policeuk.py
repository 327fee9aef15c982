"""data.police.uk street-level crime CSV.

Each row is one published record and counts (DESIGN.md section 6): a Crime ID can appear
on several rows of one month, and anti-social behaviour rows have no id and can be exact
copies of each other. The identity of a row is therefore the month, the Crime ID (or, for
rows without one, the row's content) and its occurrence number among rows that share
them: re-importing a file finds the same identities, and an outcome that changes in a
later release updates its row instead of adding one.
"""

import csv
import hashlib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from .common import CRIME, INCIDENT, NONE, SNAPPED, IncidentRecord, Reject, UnreadableFile, parse_lonlat

REQUIRED = ("Crime ID", "Month", "Longitude", "Latitude", "Crime type")
LONDON = ZoneInfo("Europe/London")
ASB = "anti-social behaviour"
RAW = ("Reported by", "Falls within", "LSOA code", "LSOA name", "Last outcome category", "Context")


def month_period(text, tz=LONDON):
    """'2024-09' to the first and last instant of that month in local time."""
    year, month = (int(part) for part in text.strip().split("-"))
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz) - timedelta(microseconds=1)
    return start, end


def read_policeuk(path, *, source="policeuk"):
    """Yield an IncidentRecord or a Reject (with its line number) for every data row."""
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise UnreadableFile(f"{path}: cannot open: {exc}") from exc
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except (StopIteration, UnicodeDecodeError, csv.Error) as exc:
            raise UnreadableFile(f"{path}: no police.uk header row ({exc or 'empty file'})") from exc
        index = {name.strip(): i for i, name in enumerate(header)}
        missing = [name for name in REQUIRED if name not in index]
        if missing:
            raise UnreadableFile(f"{path}: line 1: missing columns {', '.join(missing)}")
        yield from _rows(reader, index, source, len(header))


def _rows(reader, index, source, width):
    # Hot loop (a large force publishes millions of rows): plain indexes, no helpers per cell.
    occurrences = {}
    periods = {}
    natures = {}
    i_id, i_month, i_lon, i_lat = index["Crime ID"], index["Month"], index["Longitude"], index["Latitude"]
    i_type, i_location = index["Crime type"], index.get("Location")
    raw_columns = [(name, index[name]) for name in RAW if name in index]
    blake2b = hashlib.blake2b
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except (UnicodeDecodeError, csv.Error) as exc:
            yield Reject(source, reader.line_num, "line", f"unreadable: {exc}")
            continue
        line = reader.line_num
        if len(row) < width:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            row = row + [""] * (width - len(row))
        month = row[i_month].strip()
        period = periods.get(month)
        if period is None:
            try:
                period = periods[month] = month_period(month)
            except (ValueError, TypeError):
                yield Reject(source, line, "Month", f"not YYYY-MM: {month!r}")
                continue
        crime_type = row[i_type].strip()
        if not crime_type:
            yield Reject(source, line, "Crime type", "missing")
            continue
        lon_text, lat_text = row[i_lon], row[i_lat]
        if lon_text or lat_text:
            try:
                lon, lat = parse_lonlat(lon_text, lat_text)
            except ValueError as exc:
                yield Reject(source, line, "Longitude", str(exc))
                continue
        else:
            lon = lat = None
        crime_id = row[i_id].strip()
        digest = blake2b("\x1f".join(row).encode(), digest_size=12).hexdigest()
        key = f"{month}|{crime_id}" if crime_id else f"{month}|-{digest[:20]}"
        occurrence = occurrences.get(key, 0) + 1
        occurrences[key] = occurrence
        nature = natures.get(crime_type)
        if nature is None:
            nature = natures[crime_type] = INCIDENT if crime_type.casefold() == ASB else CRIME
        raw = {name: row[i].strip() for name, i in raw_columns if row[i]}
        yield IncidentRecord(
            source=source, source_id=f"{key}#{occurrence}", position=line,
            occurred_from=period[0], occurred_to=period[1], published_at=None, type=crime_type,
            nature=nature,
            lon=lon, lat=lat, accuracy=SNAPPED if lon is not None else NONE,
            place_text=row[i_location].strip() if i_location is not None else "", raw=raw,
            fingerprint=digest,
        )
