"""Importing real incident files: counts checked against an independent reading of the same files."""

import csv
import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from lofte.incidents import importer
from lofte.incidents.models import ImportRun, Incident
from lofte.ingest.common import UnreadableFile
from lofte.places.models import Area, Place

from .shared_data import shared_file

pytestmark = pytest.mark.django_db
POLICEUK = [
    "2024-09-city-of-london-street.csv",
    "2024-10-city-of-london-street.csv",
    "2024-11-city-of-london-street.csv",
]


def independent_policeuk_counts(path):
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        "rows": len(rows),
        "unlocated": sum(1 for r in rows if not r["Longitude"]),
        "without_id": sum(1 for r in rows if not r["Crime ID"]),
        "asb": sum(1 for r in rows if r["Crime type"] == "Anti-social behaviour"),
    }


def test_it_imports_every_policeuk_row_once_and_nothing_on_reimport(tmp_path):
    for name in POLICEUK:
        path = shared_file("policeuk", name)
        expected = independent_policeuk_counts(path)
        run = importer.run(path, format="policeuk", rejects_path=tmp_path / "rejects.csv")
        assert (run.imported, run.unchanged, run.updated, run.rejected) == (expected["rows"], 0, 0, 0)
        month = name[:7]
        stored = Incident.objects.filter(source="policeuk", source_id__startswith=month + "|")
        assert stored.count() == expected["rows"]
        assert stored.filter(lon__isnull=True, accuracy="none").count() == expected["unlocated"]
        assert stored.filter(source_id__startswith=f"{month}|-").count() == expected["without_id"]
        assert stored.filter(type="Anti-social behaviour", nature="incident").count() == expected["asb"]
    total = Incident.objects.count()
    assert total == 747 + 901 + 821
    for name in POLICEUK:
        again = importer.run(shared_file("policeuk", name), format="policeuk")
        assert (again.imported, again.updated, again.rejected) == (0, 0, 0)
        assert again.unchanged == independent_policeuk_counts(shared_file("policeuk", name))["rows"]
    assert Incident.objects.count() == total
    assert not (tmp_path / "rejects.csv").exists()


def test_it_updates_a_changed_outcome_instead_of_adding_a_row(tmp_path):
    source = shared_file("policeuk", POLICEUK[0])
    importer.run(source, format="policeuk")
    lines = source.read_text().splitlines(keepends=True)
    changed = lines[1].replace("Unable to prosecute suspect", "Offender sent to prison")
    assert changed != lines[1]
    path = tmp_path / "changed.csv"
    path.write_text("".join([lines[0], changed] + lines[2:]))
    run = importer.run(path, format="policeuk")
    assert (run.imported, run.updated, run.unchanged) == (0, 1, 746)
    assert Incident.objects.filter(raw__icontains="Offender sent to prison").count() == 1
    assert Incident.objects.count() == 747


def test_it_imports_polisen_events_with_summaries_flagged(tmp_path):
    path = shared_file("polisen", "events-2025-06.json")
    events = json.loads(path.read_text())
    summaries = sum(1 for e in events if e["type"].startswith("Sammanfattning"))
    counties = sum(1 for e in events if e["location"]["name"].endswith(" län"))
    run = importer.run(path, format="polisen")
    assert (run.imported, run.rejected) == (len(events), 0) == (500, 0)
    assert Incident.objects.filter(nature="summary").count() == summaries == 89
    assert Incident.objects.filter(accuracy="county_centroid").count() == counties == 131
    # Centroids never place an incident in an area, however large.
    assert not Incident.objects.filter(area__isnull=False).exists()
    event = Incident.objects.get(source_id="588172")
    assert event.occurred_from == datetime(2025, 6, 6, 16, 50, tzinfo=UTC)
    assert event.published_at == datetime(2025, 6, 7, 5, 32, 6, tzinfo=UTC)
    assert event.url.startswith("https://polisen.se/aktuellt/handelser/2025/juni/6/")
    again = importer.run(path, format="polisen")
    assert (again.imported, again.unchanged, again.updated) == (0, 500, 0)


def test_it_assigns_snapped_points_to_areas_and_places():
    square = [[-0.1, 51.51], [-0.08, 51.51], [-0.08, 51.52], [-0.1, 51.52], [-0.1, 51.51]]
    area = Area.objects.create(name="City core", code="core", polygon={"type": "Polygon", "coordinates": [square]})
    place = Place.objects.create(area=area, name="Bank junction", lon=-0.0886, lat=51.5133, radius_m=150)
    importer.run(shared_file("policeuk", POLICEUK[0]), format="policeuk")
    inside = Incident.objects.filter(area=area)
    with open(shared_file("policeuk", POLICEUK[0]), newline="") as handle:
        expected = sum(
            1
            for r in csv.DictReader(handle)
            if r["Longitude"] and -0.1 <= float(r["Longitude"]) <= -0.08 and 51.51 <= float(r["Latitude"]) <= 51.52
        )
    assert inside.count() == expected > 0
    near = Incident.objects.filter(place=place)
    assert near.exists()
    for incident in near:
        assert abs(incident.lon - place.lon) < 0.003 and abs(incident.lat - place.lat) < 0.002
    assert Incident.objects.filter(x__isnull=False).count() == 747 - 72


def test_it_writes_rejects_naming_line_and_field_and_keeps_the_rest(tmp_path):
    lines = shared_file("policeuk", POLICEUK[0]).read_text().splitlines(keepends=True)
    bad = lines[:4]
    bad[2] = bad[2].replace("2024-09", "September", 1)
    bad[3] = bad[3].replace("-0.", "west", 1)
    path = tmp_path / "bad.csv"
    path.write_text("".join(bad))
    run = importer.run(path, format="policeuk")
    assert (run.imported, run.rejected) == (1, 2)
    with open(tmp_path / "bad.csv.rejects.csv", newline="") as handle:
        rejects = list(csv.DictReader(handle))
    assert [(r["position"], r["field"]) for r in rejects] == [("3", "Month"), ("4", "Longitude")]


def test_it_stores_nothing_when_the_rejects_cannot_be_written(tmp_path):
    lines = shared_file("policeuk", POLICEUK[0]).read_text().splitlines(keepends=True)[:4]
    lines[2] = lines[2].replace("2024-09", "September", 1)
    path = tmp_path / "bad.csv"
    path.write_text("".join(lines))
    nowhere = tmp_path / "no-such-folder" / "rejects.csv"
    with pytest.raises(UnreadableFile, match="cannot write the rejects"):
        importer.run(path, format="policeuk", rejects_path=nowhere)
    assert not Incident.objects.exists()
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED
    assert call_command_error(path, nowhere).startswith(str(nowhere))


def call_command_error(path, rejects):
    with pytest.raises(CommandError) as raised:
        call_command("import-incidents", str(path), "--format", "policeuk", "--rejects", str(rejects))
    return str(raised.value)


@pytest.mark.parametrize("table", ["empty", "holding other rows"])
def test_it_keeps_the_last_copy_of_an_id_that_appears_twice_in_a_file(tmp_path, table):
    if table != "empty":
        importer.run(shared_file("policeuk", POLICEUK[0]), format="policeuk")
    (tmp_path / "map.toml").write_text(
        'source = "sdf"\nnature = "crime"\n[columns]\nid = "id"\ndate = "date"\ntype = "type"\n'
    )
    (tmp_path / "reports.csv").write_text(
        "id,date,type\nA1,2016-05-02,Graffiti\nA2,2016-05-02,Graffiti\nA1,2016-05-02,Vandalism\n"
    )
    run = importer.run(tmp_path / "reports.csv", format="csv", mapping=tmp_path / "map.toml")
    assert (run.imported, run.superseded, run.rejected) == (2, 1, 0)
    assert Incident.objects.get(source="sdf", source_id="A1").type == "Vandalism"
    # The unique index is back after a load into the empty table, and it holds.
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.create(
            source="sdf", source_id="A1", type="x", nature="crime", accuracy="none", content_hash="x"
        )


def test_a_failed_run_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    path = shared_file("policeuk", POLICEUK[0])
    from lofte.incidents import store

    write = store.write

    def crash(*args):
        write(*args)  # the rows are written, then the disk fills up
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "write", crash)
    with pytest.raises(RuntimeError):
        importer.run(path, format="policeuk")
    assert Incident.objects.count() == 0
    assert ImportRun.objects.get().status == "failed"
    # The indexes dropped for the bulk load came back with the rollback.
    from django.db import connection

    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Incident._meta.db_table)
    assert {"incident_source_id", "incident_lat_lon", "incident_area_time"} <= set(indexes)
    monkeypatch.undo()
    run = importer.run(path, format="policeuk")
    assert run.imported == 747


def test_an_interrupted_run_is_marked_and_completed_by_the_next(tmp_path):
    path = shared_file("policeuk", POLICEUK[0])
    stale = ImportRun.objects.create(
        source="policeuk", format="policeuk", file_name=str(path), file_sha256=importer.file_sha256(path)
    )
    run = importer.run(path, format="policeuk")
    stale.refresh_from_db()
    assert stale.status == "interrupted"
    assert (run.status, run.imported) == ("complete", 747)


def test_the_command_prints_the_summary_and_fails_only_on_unreadable_files(tmp_path, capsys):
    call_command("import-incidents", str(shared_file("policeuk", POLICEUK[0])), "--format", "policeuk", verbosity=0)
    assert "imported 747, unchanged 0, updated 0, rejected 0" in capsys.readouterr().out
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(CommandError, match="empty.csv"):
        call_command("import-incidents", str(tmp_path / "empty.csv"), "--format", "policeuk", verbosity=0)


def test_the_dev_subset_imports_only_the_first_records():
    run = importer.run(shared_file("policeuk", POLICEUK[0]), format="policeuk", limit=100)
    assert run.imported == 100


def test_it_imports_a_mapped_municipal_csv_in_sweref(tmp_path):
    (tmp_path / "map.toml").write_text(
        'source = "sdf-skadegorelse"\nnature = "crime"\n[columns]\nid = "Ärende"\ndate = "Datum"\n'
        'type = "Typ"\nx = "X"\ny = "Y"\ncrs = "EPSG:3006"\nplace = "Adress"\n',
        encoding="utf-8",
    )
    (tmp_path / "rapporter.csv").write_text(
        "\ufeffÄrende,Datum,Typ,X,Y,Adress\n"
        "A1,2016-05-02,Klotter,315100,6403600,Vårväderstorget\n"
        "A2,2016-05-03,Skadegörelse,,,\n"
        "A3,inte ett datum,Klotter,315100,6403600,\n",
        encoding="utf-8",
    )
    run = importer.run(tmp_path / "rapporter.csv", format="csv", mapping=tmp_path / "map.toml")
    assert (run.imported, run.rejected) == (2, 1)
    graffiti = Incident.objects.get(source="sdf-skadegorelse", source_id="A1")
    assert 11.8 < graffiti.lon < 12.0 and 57.6 < graffiti.lat < 57.8
    assert graffiti.x == pytest.approx(315100, abs=0.01)
    assert Incident.objects.get(source_id="A2").accuracy == "none"


@pytest.mark.parametrize("delimiter", [";", "\t", ","])
def test_it_finds_the_delimiter_a_spreadsheet_wrote_without_being_told(tmp_path, delimiter):
    """A `;`-separated file (what Swedish spreadsheets write) failed unless the mapping named the
    delimiter (issue 24); with a byte-order mark and decimal commas as Excel writes them."""
    (tmp_path / "map.toml").write_text(
        '[columns]\nid = "Ärende"\ndate = "Datum"\ntype = "Typ"\nlon = "Lon"\nlat = "Lat"\n', encoding="utf-8"
    )
    rows = [["Ärende", "Datum", "Typ", "Lon", "Lat"], ["A1", "2016-05-02", "Klotter, stort", "11,885", "57,725"]]
    lines = [delimiter.join(f'"{cell}"' if "," in cell else cell for cell in row) for row in rows]
    (tmp_path / "rapporter.csv").write_text("\ufeff" + "\r\n".join(lines) + "\r\n", encoding="utf-8")
    run = importer.run(tmp_path / "rapporter.csv", format="csv", mapping=tmp_path / "map.toml")
    assert (run.imported, run.rejected) == (1, 0)
    found = Incident.objects.get(source_id="A1")
    assert found.type == "Klotter, stort" and (found.lon, found.lat) == (11.885, 57.725)


def test_the_command_leaves_the_pictures_of_the_areas_it_touched_computed(tmp_path):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lofte.incidents import picture

    square = [[-0.1, 51.51], [-0.08, 51.51], [-0.08, 51.52], [-0.1, 51.52], [-0.1, 51.51]]
    area = Area.objects.create(name="City core", code="core", polygon={"type": "Polygon", "coordinates": [square]})
    cache.clear()
    path = str(shared_file("policeuk", POLICEUK[0]))
    call_command("import-incidents", path, "--format", "policeuk", verbosity=0)
    choices = picture.period_choices(area)
    with CaptureQueriesContext(connection) as queries:
        found = picture.picture(
            area, picture.sit.Filters(picture.sit.default_start(choices.latest_day), choices.latest_day)
        )
    assert found.situation.total > 0
    assert not any("incidents_incident" in q["sql"] for q in queries.captured_queries)
    call_command("import-incidents", str(shared_file("policeuk", POLICEUK[1])), "--format", "policeuk", "--no-warm")
    choices = picture.period_choices(area)
    with CaptureQueriesContext(connection) as queries:
        picture.picture(area, picture.sit.Filters(picture.sit.default_start(choices.latest_day), choices.latest_day))
    assert any("incidents_incident" in q["sql"] for q in queries.captured_queries)  # new data: computed again
