"""What every reader returns: normalised incident records and rejects that name line and field."""

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import compress
from pathlib import Path
from typing import Any

# How precisely a record's coordinates locate the incident.
EXACT = "exact"
SNAPPED = "snapped"  # moved to an anonymised snap point (police.uk)
MUNICIPALITY_CENTROID = "municipality_centroid"
COUNTY_CENTROID = "county_centroid"
NONE = "none"
ACCURACIES = (EXACT, SNAPPED, MUNICIPALITY_CENTROID, COUNTY_CENTROID, NONE)

# What a record is: only "crime" and "incident" are ever counted as incidents.
CRIME = "crime"
INCIDENT = "incident"  # an event that is not a crime: an accident, a fire, anti-social behaviour
SUMMARY = "summary"  # a summary of a night or a week, not an event
NOTICE = "notice"  # news, information, police activity such as traffic controls
NATURES = (CRIME, INCIDENT, SUMMARY, NOTICE)
COUNTED = (CRIME, INCIDENT)

# The incident formats Löfte reads (`lofte import-incidents --format`).
FORMATS = ("polisen", "policeuk", "csv", "geojson")


class UnreadableFile(ValueError):
    """The file as a whole cannot be read; nothing in it is imported."""


@dataclass(frozen=True)
class Reject:
    """One input record that could not be used: where it is and which field is wrong."""

    source: str
    position: int
    field: str
    reason: str
    unit: str = "line"

    def __str__(self) -> str:
        return f"{self.source}: {self.unit} {self.position}: {self.field}: {self.reason}"


@dataclass(frozen=True, slots=True)
class IncidentRecord:
    """One incident as Löfte stores it, whatever format it came from.

    Times are timezone-aware. A record known only to a period (police.uk gives the
    month) has `occurred_from` < `occurred_to`; an exact time has both equal.
    `lon`/`lat` are WGS84 degrees, None when the record is unlocated. `fingerprint`
    is a digest of the source's own text for the record: a re-import compares it to
    tell changed records from unchanged ones.
    """

    source: str
    source_id: str
    position: int
    occurred_from: datetime | None
    occurred_to: datetime | None
    published_at: datetime | None
    type: str
    nature: str
    lon: float | None
    lat: float | None
    accuracy: str
    place_text: str = ""
    url: str = ""
    raw: dict[str, Any] = field(default_factory=dict)
    fingerprint: str = ""


@dataclass
class IncidentBatch:
    """Many records of one source as parallel columns (lists named as `COLUMNS`): what fast
    readers yield and what the import writes. `raw_json` is each record's raw fields as JSON.

    `ids_unique` promises that no other record of the same reading has the same source id
    (police.uk numbers repeated rows), so the import need not remember the ids it has met.
    """

    source: str
    columns: dict[str, list[Any]] = field(default_factory=dict)
    ids_unique: bool = False

    COLUMNS = (
        "source_id",
        "position",
        "occurred_from",
        "occurred_to",
        "published_at",
        "type",
        "nature",
        "lon",
        "lat",
        "accuracy",
        "place_text",
        "url",
        "raw_json",
        "fingerprint",
    )

    def __len__(self) -> int:
        return len(self.columns.get("source_id", ()))

    @classmethod
    def from_rows(cls, source: str, rows: Sequence[tuple[Any, ...]], *, ids_unique: bool = False) -> "IncidentBatch":
        """A batch from tuples in `COLUMNS` order (transposed in C)."""
        values = list(zip(*rows)) if rows else [()] * len(cls.COLUMNS)
        return cls(source, {name: list(column) for name, column in zip(cls.COLUMNS, values, strict=True)}, ids_unique)

    @classmethod
    def of(cls, records: Sequence[IncidentRecord]) -> "IncidentBatch":
        """A batch from IncidentRecords of one source."""
        import orjson

        return cls.from_rows(
            records[0].source if records else "",
            [
                (
                    r.source_id,
                    r.position,
                    r.occurred_from,
                    r.occurred_to,
                    r.published_at,
                    r.type,
                    r.nature,
                    r.lon,
                    r.lat,
                    r.accuracy,
                    r.place_text,
                    r.url,
                    orjson.dumps(r.raw).decode(),
                    r.fingerprint,
                )
                for r in records
            ],
        )

    def head(self, n: int) -> "IncidentBatch":
        """The first `n` records."""
        return IncidentBatch(self.source, {name: values[:n] for name, values in self.columns.items()}, self.ids_unique)

    def subset(self, mask: Iterable[bool]) -> "IncidentBatch":
        """The records where the boolean sequence `mask` is true."""
        return IncidentBatch(
            self.source, {name: list(compress(values, mask)) for name, values in self.columns.items()}, self.ids_unique
        )

    def records(self) -> Iterator[IncidentRecord]:
        """The batch as IncidentRecords (for callers that want one record at a time)."""
        import orjson

        for values in zip(*(self.columns[name] for name in self.COLUMNS), strict=True):
            fields = dict(zip(self.COLUMNS, values, strict=True))
            fields["raw"] = orjson.loads(fields.pop("raw_json"))
            yield IncidentRecord(source=self.source, **fields)


def read_feature_collection(path: Path) -> dict[str, Any]:
    """A GeoJSON FeatureCollection from `path`, or UnreadableFile saying why not."""
    try:
        collection = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise UnreadableFile(f"{path}: cannot read GeoJSON: {exc}") from exc
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise UnreadableFile(f"{path}: not a GeoJSON FeatureCollection")
    return collection


def delimiter_of(header: str) -> str:
    """The delimiter of a CSV file from its header line: `;` (what Swedish spreadsheets write), a tab
    or `,`, whichever the line holds most of outside quotes (`,` when it holds none of them)."""
    outside, quoted = [], False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            outside.append(char)
    counts = {d: outside.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def fingerprint(text: str | bytes) -> str:
    """A short digest of a record's source text (bytes or str)."""
    if isinstance(text, str):
        text = text.encode()
    return hashlib.blake2b(text, digest_size=12).hexdigest()


def parse_lonlat(lon_text: str, lat_text: str) -> tuple[float, float] | tuple[None, None]:
    """(lon, lat) floats from two strings, (None, None) when both are empty.

    Raises ValueError naming the problem for text that is not a number or lies
    outside WGS84's range.
    """
    lon_text, lat_text = (lon_text or "").strip(), (lat_text or "").strip()
    if not lon_text and not lat_text:
        return None, None
    lon, lat = float(lon_text), float(lat_text)
    if not (-180 <= lon <= 180 and -90 <= lat <= 90) or lon != lon or lat != lat:
        raise ValueError(f"({lon_text}, {lat_text}) is not a WGS84 longitude/latitude")
    return lon, lat


def csv_rows(reader: Any, source: str) -> Iterator[list[str] | Reject]:
    """The rows of a `csv.reader` after its header that hold anything, and a Reject for each that cannot
    be read; `reader.line_num` is the row's line while it is handled."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except (UnicodeDecodeError, csv.Error) as exc:
            yield Reject(source, reader.line_num, "line", f"unreadable: {exc}")
            continue
        if any(cell.strip() for cell in row):
            yield row
