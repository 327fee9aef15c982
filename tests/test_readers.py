"""The format traps of DESIGN.md section 6, one by one."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lofte.ingest.common import Reject
from lofte.ingest.policeuk import read_policeuk
from lofte.ingest.policeuk_format import month_period
from lofte.ingest.polisen import event_time, nature_of, parse_published, read_polisen, record_of

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def event(**overrides):
    base = {
        "id": 1,
        "datetime": "2025-06-07 7:32:06 +02:00",
        "name": "06 juni 18.50, Trafikbrott, Kungsör",
        "summary": "Bilist misstänks.",
        "url": "/aktuellt/handelser/x/",
        "type": "Trafikbrott",
        "location": {"name": "Kungsör", "gps": "59.422397,16.097786"},
    }
    base.update(overrides)
    return base


def test_it_reads_hours_without_a_leading_zero():
    assert parse_published("2025-06-07 7:32:06 +02:00") == datetime(2025, 6, 7, 5, 32, 6, tzinfo=UTC)


def test_it_takes_the_event_time_from_the_name_and_the_year_from_publication():
    start, end = event_time("06 juni 18.50, Trafikbrott, Kungsör", parse_published("2025-06-07 7:32:06 +02:00"))
    assert start == end == datetime(2025, 6, 6, 18, 50, tzinfo=STOCKHOLM)


def test_it_infers_the_previous_year_across_new_year():
    start, _ = event_time("31 december 23.50, Rån, Malmö", parse_published("2025-01-01 0:20:00 +01:00"))
    assert start == datetime(2024, 12, 31, 23, 50, tzinfo=STOCKHOLM)
    start, _ = event_time("01 januari 00.10, Brand, Malmö", parse_published("2025-01-01 0:20:00 +01:00"))
    assert start.year == 2025


def test_it_reads_a_date_without_time_as_the_whole_day():
    start, end = event_time("06 juni, Sammanfattning vecka, Skåne", parse_published("2025-06-07 7:32:06 +02:00"))
    assert start == datetime(2025, 6, 6, tzinfo=STOCKHOLM)
    assert end - start == timedelta(days=1) - timedelta(microseconds=1)


def test_it_makes_relative_urls_absolute_and_keeps_absolute_ones():
    assert record_of(event(), 1).url == "https://polisen.se/aktuellt/handelser/x/"
    assert record_of(event(url="https://polisen.se/a/"), 1).url == "https://polisen.se/a/"


def test_it_splits_lat_lng_strings_and_marks_centroids():
    record = record_of(event(), 1)
    assert (record.lon, record.lat, record.accuracy) == (16.097786, 59.422397, "municipality_centroid")
    county = record_of(event(location={"name": "Västra Götalands län", "gps": "58.25,13.06"}), 1)
    assert county.accuracy == "county_centroid"
    broken = record_of(event(location={"name": "Kungsör", "gps": "not,gps"}), 1)
    assert (broken.lon, broken.accuracy) == (None, "none")


def test_it_flags_summaries_and_notices_so_they_are_never_counted_as_crime():
    assert nature_of("Sammanfattning natt") == "summary"
    assert nature_of("Sammanfattning kväll och natt") == "summary"
    assert nature_of("Trafikkontroll") == "notice"
    assert nature_of("Trafikolycka") == "incident"
    assert nature_of("Misshandel, grov") == "crime"


def test_it_reads_json_lines_with_a_bom_and_reports_bad_lines(tmp_path):
    path = tmp_path / "archive.jsonl"
    path.write_text(
        "\ufeff" + '{"id": 1, "datetime": "2025-06-07 7:32:06 +02:00", "name": "06 juni 18.50, Rån, Kungsör", '
        '"type": "Rån", "location": {"name": "Kungsör", "gps": "59.4,16.1"}}\n'
        "{broken\n"
        '{"id": 2, "datetime": "yesterday", "name": "x", "type": "Rån"}\n',
        encoding="utf-8",
    )
    out = list(read_polisen(path))
    assert out[0].source_id == "1"
    assert (out[1].position, out[1].field) == (2, "line")
    assert isinstance(out[2], Reject) and (out[2].position, out[2].field) == (3, "datetime")


def test_it_gives_policeuk_months_as_local_periods():
    start, end = month_period("2024-10")
    assert start == datetime(2024, 9, 30, 23, 0, tzinfo=UTC)
    assert end == datetime(2024, 10, 31, 23, 59, 59, 999999, tzinfo=ZoneInfo("Europe/London"))


def test_it_keeps_repeated_crime_ids_and_identical_asb_rows_as_separate_records(tmp_path):
    header = (
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
        "Crime type,Last outcome category,Context\r\n"
    )
    asb = ",2024-09,City,City,-0.1,51.5,On or near X,E1,L1,Anti-social behaviour,,\r\n"
    crime = "abc,2024-09,City,City,-0.1,51.5,On or near X,E1,L1,Robbery,Under investigation,\r\n"
    path = tmp_path / "street.csv"
    path.write_text(header + asb + asb + crime + crime.replace("On or near X", "On or near Y"))
    ids = [r.source_id for r in read_policeuk(path)]
    assert len(ids) == len(set(ids)) == 4
    assert ids[2:] == ["2024-09|abc#1", "2024-09|abc#2"]
    assert list(read_policeuk(path)) == list(read_policeuk(path))


@pytest.mark.parametrize(
    "text, field",
    [
        (",2024-09,,,-0.1,,On or near X,,,Robbery,,\r\n", "Longitude"),
        (",2024-09,,,200,51.5,On or near X,,,Robbery,,\r\n", "Longitude"),
        (",2024-09,,,-0.1,51.5,On or near X,,,,,\r\n", "Crime type"),
        (",24-9-1,,,-0.1,51.5,On or near X,,,Robbery,,\r\n", "Month"),
    ],
)
def test_it_rejects_bad_policeuk_rows_by_field(tmp_path, text, field):
    path = tmp_path / "street.csv"
    path.write_text(
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
        "Crime type,Last outcome category,Context\r\n" + text
    )
    (reject,) = list(read_policeuk(path))
    assert (reject.position, reject.field) == (2, field)
