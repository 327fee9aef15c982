"""Hostile or broken files give a clear error naming the file and field, never a hang or a traceback."""

import pytest
from django.core.exceptions import ValidationError

from lofte.ingest.common import UnreadableFile
from lofte.ingest.generic import read_csv
from lofte.ingest.gps import read_gpx
from lofte.ingest.polisen import read_polisen
from lofte.places.models import validate_polygon

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE gpx [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
  <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<gpx><trk><name>&e;</name><trkseg>
<trkpt lat="57.7" lon="11.9"><time>2016-05-01T18:00:00Z</time></trkpt>
</trkseg></trk></gpx>
"""


def test_a_gpx_file_with_entities_is_refused_at_once(tmp_path):
    path = tmp_path / "laughs.gpx"
    path.write_text(BILLION_LAUGHS)
    with pytest.raises(UnreadableFile, match="laughs.gpx.*entity 'a' declared"):  # refused before any expansion
        read_gpx(path)


def test_deeply_nested_json_is_a_clear_error(tmp_path):
    listing = tmp_path / "events.json"
    listing.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(UnreadableFile, match="events.json: not valid JSON"):
        list(read_polisen(listing))
    lines = tmp_path / "events.jsonl"
    lines.write_text('{"id": 1}\n' + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "\n")
    rejects = [r for r in read_polisen(lines) if getattr(r, "field", None) == "line"]
    assert [(r.position, r.reason) for r in rejects] == [(2, "nested too deeply")]


@pytest.mark.parametrize(
    ("columns", "timezone", "message"),
    [
        ({"crs": "EPSG:999999"}, "Europe/Stockholm", r"mapping: \[columns\] crs: not a coordinate system"),
        ({"crs": "EPSG:3006"}, "Mars/Olympus", "mapping: timezone: not a time zone"),
        ({"crs": "EPSG:3006"}, "../../etc/passwd", "mapping: timezone: not a time zone"),
    ],
)
def test_a_mapping_with_a_bad_crs_or_time_zone_names_the_field(tmp_path, columns, timezone, message):
    path = tmp_path / "rapporter.csv"
    path.write_text("Ärende,Datum,Typ,X,Y\n1,2016-05-01,Klotter,319000,6400000\n")
    mapping = {"timezone": timezone, "columns": {"id": "Ärende", "date": "Datum", "type": "Typ", "x": "X", "y": "Y"}}
    mapping["columns"].update(columns)
    with pytest.raises(UnreadableFile, match=message):
        list(read_csv(path, mapping=mapping))


def test_a_self_intersecting_outline_is_refused():
    bow_tie = {
        "type": "Polygon",
        "coordinates": [[[11.8, 57.7], [11.9, 57.8], [11.9, 57.7], [11.8, 57.8], [11.8, 57.7]]],
    }
    with pytest.raises(ValidationError, match="Self-intersection"):
        validate_polygon(bow_tie)
