"""What every reader returns: normalised incident records and rejects that name line and field."""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

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

    def __str__(self):
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
    raw: dict = field(default_factory=dict)
    fingerprint: str = ""


def fingerprint(text):
    """A short digest of a record's source text (bytes or str)."""
    if isinstance(text, str):
        text = text.encode()
    return hashlib.blake2b(text, digest_size=12).hexdigest()


def parse_lonlat(lon_text, lat_text):
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
