"""Property-based tests: any bytes and mutated real rows give records or rejects, never a crash."""

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lofte.ingest.common import IncidentRecord, Reject, UnreadableFile
from lofte.ingest.generic import read_csv, read_geojson_points
from lofte.ingest.observations import ObservationRecord, read_observations
from lofte.ingest.policeuk import read_policeuk
from lofte.ingest.polisen import read_polisen

from .shared_data import shared_file

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\r\n"
)
MAPPING = {"columns": {"id": "id", "time": "time", "type": "type", "lon": "lon", "lat": "lat"}}


def consume(items):
    """Everything a reader yields, or None when it refuses the whole file."""
    try:
        out = list(items)
    except UnreadableFile:
        return None
    assert all(isinstance(item, (IncidentRecord, Reject)) for item in out)
    for item in out:
        if isinstance(item, Reject):
            assert item.field and item.reason and item.position >= 1
    return out


def data_rows(text):
    """An independent count of the non-blank rows after the header, as Python's csv module sees them."""
    reader = csv.reader(io.StringIO(text, newline=""))
    count = 0
    try:
        next(reader)
    except (StopIteration, csv.Error):
        return 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return count
        except csv.Error:
            count += 1
            continue
        if any(cell.strip() for cell in row):
            count += 1


def data_lines(text):
    """The lines after the header that hold anything."""
    return sum(1 for line in text.split("\n")[1:] if line.strip())


@FUZZ
@given(data=st.binary(max_size=400))
def test_policeuk_survives_arbitrary_bytes(tmp_path, data):
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    consume(read_policeuk(path))


@FUZZ
@given(data=st.binary(max_size=400))
def test_polisen_survives_arbitrary_bytes(tmp_path, data):
    path = tmp_path / "x.json"
    path.write_bytes(data)
    consume(read_polisen(path))


@FUZZ
@given(data=st.binary(max_size=400))
def test_generic_readers_survive_arbitrary_bytes(tmp_path, data):
    path = tmp_path / "x"
    path.write_bytes(data)
    consume(read_csv(path, mapping=MAPPING))
    consume(read_geojson_points(path, mapping=MAPPING))


def real_policeuk_rows():
    lines = shared_file("policeuk", "2024-10-city-of-london-street.csv").read_text().splitlines()[1:]
    return lines


cell = st.one_of(
    st.just(""),
    st.text(max_size=12),
    st.sampled_from(
        [
            "-0.1",
            "51.5",
            "2024-13",
            "nan",
            "1e999",
            "2016-05-02",
            "gathering",
            "315000",
            "Anti-social behaviour",
            '"',
            ",",
            "\n",
        ]
    ),
)


@FUZZ
@given(
    picks=st.lists(st.integers(0, 900), min_size=1, max_size=8),
    mutations=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 11), cell), max_size=10),
)
def test_policeuk_mutated_real_rows_end_as_records_or_rejects(tmp_path, picks, mutations):
    lines = real_policeuk_rows()
    rows = [next(csv.reader([lines[i % len(lines)]])) for i in picks]
    for row_index, column, value in mutations:
        if row_index < len(rows):
            rows[row_index][column] = value
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    text = HEADER + buffer.getvalue()
    path = tmp_path / "mutated.csv"
    path.write_text(text, newline="")
    out = consume(read_policeuk(path))
    assert out is not None
    # police.uk values never hold a line break, so a row spanning lines is damage that costs its
    # first line, and the lines it spans are read again: no row is lost, no line counts twice.
    assert data_rows(text) <= len(out) <= data_lines(text)


@FUZZ
@given(
    picks=st.lists(st.integers(0, 499), min_size=1, max_size=6),
    mutations=st.lists(
        st.tuples(
            st.integers(0, 5),
            st.sampled_from(["id", "datetime", "name", "type", "url", "location", "summary"]),
            st.one_of(
                st.none(),
                st.integers(),
                st.text(max_size=20),
                st.just("2025-06-07 7:32:06 +02:00"),
                st.just("31 december 23.50, Rån, Malmö"),
                st.just({"gps": "x,y"}),
            ),
        ),
        max_size=10,
    ),
    as_lines=st.booleans(),
)
def test_polisen_mutated_real_events_end_as_records_or_rejects(tmp_path, picks, mutations, as_lines):
    events = json.loads(shared_file("polisen", "events-2025-06.json").read_text())
    chosen = [dict(events[i]) for i in picks]
    for index, key, value in mutations:
        if index < len(chosen):
            chosen[index][key] = value
    path = tmp_path / "events.json"
    text = "\n".join(json.dumps(e) for e in chosen) if as_lines else json.dumps(chosen)
    path.write_text("\ufeff" + text, encoding="utf-8")
    out = consume(read_polisen(path))
    assert out is not None and len(out) == len(chosen)


@FUZZ
@given(data=st.binary(max_size=400))
def test_an_uploaded_outline_is_read_or_refused_in_words(tmp_path, data):
    from lofte.ingest.areas import read_outline

    path = tmp_path / "outline.geojson"
    path.write_bytes(data)
    try:
        outline = read_outline(path)
    except UnreadableFile as refusal:
        assert str(refusal).startswith("outline.geojson: ")
    else:
        assert outline["type"] in ("Polygon", "MultiPolygon")


OBSERVATIONS = {"columns": {"id": "id", "date": "day", "category": "what", "x": "x", "y": "y", "crs": "EPSG:3006",
                            "place": "place", "count": "n", "description": "text"}}  # fmt: skip


@FUZZ
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=9), max_size=6), delimiter=st.sampled_from([",", ";"]))
def test_the_observation_reader_reads_or_names_every_row(tmp_path, rows, delimiter):
    path = tmp_path / "observations.csv"
    lines = [delimiter.join(["id", "day", "what", "x", "y", "place", "n", "text"])]
    lines += [delimiter.join(row) for row in rows]
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        out = list(read_observations(path, mapping=OBSERVATIONS))
    except UnreadableFile:
        return
    for item in out:
        assert isinstance(item, (ObservationRecord, Reject))
        if isinstance(item, Reject):
            assert item.field and item.reason and item.position >= 2
