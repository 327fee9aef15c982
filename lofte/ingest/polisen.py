"""polisen.se events (`/api/events`): an API response (a JSON list) or an archive (JSON lines).

Traps handled (DESIGN.md section 6): hours without a leading zero in `datetime`; the event
time only in `name`, without a year, which is inferred from the publication time (also
across New Year); relative and absolute URLs; `gps` as a "lat,lng" string of a municipality
or county centre, never the incident's spot; a BOM in old dumps; summaries and notices that
are not incidents.
"""

import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .common import (
    COUNTY_CENTROID,
    CRIME,
    INCIDENT,
    MUNICIPALITY_CENTROID,
    NONE,
    NOTICE,
    SUMMARY,
    IncidentRecord,
    Reject,
    UnreadableFile,
    fingerprint,
)

BASE_URL = "https://polisen.se"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        ],
        start=1,
    )
}
NAME_TIME = re.compile(r"^\s*(\d{1,2})\s+([a-zåäö]+)(?:\s+(\d{1,2})[.:](\d{2}))?", re.IGNORECASE)

# Event types that are not crimes but real events (accidents, fires, people missing, ...).
NON_CRIME_EVENTS = {
    "arbetsplatsolycka",
    "brand",
    "brand automatlarm",
    "djur",
    "drunkning",
    "försvunnen person",
    "fylleri/lob",
    "larm inbrott",
    "larm överfall",
    "naturkatastrof",
    "olycka",
    "räddningsinsats",
    "sjukdom/olycksfall",
    "trafikolycka",
    "trafikolycka, personskada",
    "trafikolycka, singel",
    "trafikolycka, smitning från",
    "trafikolycka, vilt",
    "trafikhinder",
    "farligt föremål, misstänkt",
    "efterlyst person",
    "anträffad död",
    "anträffat gods",
    "fjällräddning",
    "fylleri",
    "övrigt",  # "other" events are real events of unknown kind: counted, never as crime
}
NOTICES = {
    "nyhet",
    "information",
    "presstalesperson",
    "trafikkontroll",
    "inre utlänningskontroll",
    "kontroll person/fordon",
    "polisinsats/kommendering",
    "uppdatering",
}


def nature_of(event_type: str) -> str:
    """Crime, a non-crime incident, a summary or a notice: only the first two are ever counted."""
    key = event_type.strip().casefold()
    if key.startswith("sammanfattning"):
        return SUMMARY
    if key in NOTICES:
        return NOTICE
    if key in NON_CRIME_EVENTS:
        return INCIDENT
    return CRIME


def parse_published(text: str) -> datetime:
    """'2025-06-07 7:32:06 +02:00' (hour not zero-padded) to an aware datetime."""
    return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S %z")


def event_time(name: str, published: datetime) -> tuple[datetime, datetime]:
    """The event's own time from its `name`, the year taken from the publication time.

    Returns (start, end): equal for a time of day, a whole local day when `name` has
    only a date. The year is the one that puts the event closest before publication
    (events are published after they happen, give or take a day of updates).
    """
    match = NAME_TIME.match(name or "")
    if not match:
        raise ValueError(f"no 'day month [hh.mm]' at the start of {name!r}")
    day, month_name, hour, minute = match.groups()
    month = MONTHS.get(month_name.casefold())
    if month is None:
        raise ValueError(f"unknown month {month_name!r}")
    local_published = published.astimezone(STOCKHOLM)
    candidates = []
    for year in (local_published.year - 1, local_published.year, local_published.year + 1):
        try:
            start = datetime(year, month, int(day), int(hour or 0), int(minute or 0), tzinfo=STOCKHOLM)
        except ValueError:
            continue  # 29 februari in a year that has none, hour 25, ...
        candidates.append(start)
    if not candidates:
        raise ValueError(f"{name!r} is not a real date")
    not_after = [c for c in candidates if c <= published + timedelta(days=1)]
    start = min(not_after or candidates, key=lambda c: abs(published - c))
    end = start if hour is not None else start + timedelta(days=1) - timedelta(microseconds=1)
    return start, end


def _location(location: dict[str, Any] | None) -> tuple[str, float | None, float | None, str]:
    name = str((location or {}).get("name") or "").strip()
    gps = str((location or {}).get("gps") or "").strip()
    try:
        lat_text, lon_text = gps.split(",")
        lat, lon = float(lat_text), float(lon_text)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError
    except ValueError:
        return name, None, None, NONE
    accuracy = COUNTY_CENTROID if name.casefold().endswith(" län") else MUNICIPALITY_CENTROID
    return name, lon, lat, accuracy


def record_of(event: object, position: int, source: str = "polisen") -> IncidentRecord | Reject:
    """One event object to an IncidentRecord, or a Reject naming the field."""

    def reject(field: str, reason: str) -> Reject:
        return Reject(source, position, field, reason, unit="record")

    if not isinstance(event, dict):
        return reject("event", "not a JSON object")
    event_id = event.get("id")
    if event_id in (None, "") or isinstance(event_id, (dict, list, bool)):
        return reject("id", "missing")
    try:
        published = parse_published(str(event.get("datetime") or ""))
    except ValueError:
        return reject("datetime", f"not 'YYYY-MM-DD H:MM:SS +HH:MM': {event.get('datetime')!r}")
    event_type = str(event.get("type") or "").strip()
    if not event_type:
        return reject("type", "missing")
    try:
        start, end = event_time(str(event.get("name") or ""), published)
    except ValueError as exc:
        return reject("name", str(exc))
    place, lon, lat, accuracy = _location(event.get("location") if isinstance(event.get("location"), dict) else {})
    url = str(event.get("url") or "").strip()
    if url.startswith("/"):
        url = BASE_URL + url
    return IncidentRecord(
        source=source,
        source_id=str(event_id),
        position=position,
        occurred_from=start,
        occurred_to=end,
        published_at=published,
        type=event_type,
        nature=nature_of(event_type),
        lon=lon,
        lat=lat,
        accuracy=accuracy,
        place_text=place,
        url=url,
        raw={"name": str(event.get("name") or ""), "summary": str(event.get("summary") or "")},
        fingerprint=fingerprint(json.dumps(event, sort_keys=True, ensure_ascii=False, default=str)),
    )


def read_polisen(path: str | Path, *, source: str = "polisen") -> Iterator[IncidentRecord | Reject]:
    """Yield an IncidentRecord or a Reject for every event in `path` (JSON list or JSON lines)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableFile(f"{path}: cannot read as UTF-8 text: {exc}") from exc
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            events = json.loads(stripped, object_hook=_without_lone_surrogates)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise UnreadableFile(f"{path}: not valid JSON: {exc}") from exc
        for position, event in enumerate(events, start=1):
            yield record_of(event, position, source)
        return
    if stripped and not stripped.startswith("{"):
        raise UnreadableFile(f"{path}: neither a JSON list nor JSON lines")
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            event = json.loads(line, object_hook=_without_lone_surrogates)
        except json.JSONDecodeError as exc:
            yield Reject(source, line_number, "line", f"not valid JSON: {exc.msg}")
            continue
        except RecursionError:
            yield Reject(source, line_number, "line", "nested too deeply")
            continue
        record = record_of(event, line_number, source)
        if isinstance(record, Reject):
            record = Reject(source, line_number, record.field, record.reason)
        yield record


def _without_lone_surrogates(event: dict[str, Any]) -> dict[str, Any]:
    """An object's texts with lone surrogates (a JSON escape such as "\\udc80", valid JSON but no
    character) replaced by U+FFFD: no database stores them, and they failed the whole file."""
    return {key: _clean(value) for key, value in event.items()}


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value
