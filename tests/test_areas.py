"""Importing area polygons: reprojection, idempotence, rejects that name the feature and field."""

import json

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, shape

from lofte.ingest.areas import read_areas
from lofte.ingest.common import UnreadableFile
from lofte.places import importer
from lofte.places.models import Area

from .shared_data import shared_file

USO = ("geo", "uso_2025.geojson")


def test_it_reads_the_police_polygons_in_wgs84():
    records, rejects = read_areas(
        shared_file(*USO), name_field="NAMN", code_field="SPECIALOMRADES_ID", category_field="KATEGORI"
    )
    assert (len(records), rejects) == (65, [])
    bisk = next(r for r in records if r.name == "Biskopsgården")
    min_lon, min_lat, max_lon, max_lat = bisk.bbox
    assert 11.88 < min_lon < max_lon < 11.91 and 57.70 < min_lat < max_lat < 57.75
    # The shared README: areas match Shape_Area; reprojection must keep the area (about 2.64 km²).
    from lofte.places.geometry import to_metric  # noqa: PLC0415 (needs settings)

    assert to_metric(shape(bisk.geometry)).area == pytest.approx(2_643_650, rel=0.001)
    assert shape(bisk.geometry).covers(Point(11.8911, 57.7278))


@pytest.mark.django_db
def test_it_imports_idempotently_and_maps_categories():
    path = shared_file(*USO)
    first = importer.run(path, name_field="NAMN", code_field="SPECIALOMRADES_ID", category_field="KATEGORI")
    assert (first.created, first.updated, first.unchanged) == (65, 0, 0)
    second = importer.run(path, name_field="NAMN", code_field="SPECIALOMRADES_ID", category_field="KATEGORI")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 65)
    assert Area.objects.filter(category="sarskilt_utsatt").count() == 19
    assert Area.objects.filter(category="utsatt").count() == 46


@pytest.mark.django_db
def test_it_rejects_duplicate_codes_within_a_file():
    # OMRADESKOD is the local police area's code, shared by several areas: a bad choice of key.
    result = importer.run(shared_file(*USO), name_field="NAMN", code_field="OMRADESKOD")
    assert result.created < 65
    assert all("duplicate code" in r.reason for r in result.rejects)
    assert result.created + len(result.rejects) == 65


def write(tmp_path, collection):
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def feature(name, geometry):
    return {"type": "Feature", "properties": {"NAMN": name}, "geometry": geometry}


SQUARE = {"type": "Polygon", "coordinates": [[[11.0, 57.0], [11.1, 57.0], [11.1, 57.1], [11.0, 57.0]]]}


def test_it_names_the_feature_and_field_of_each_reject(tmp_path):
    path = write(
        tmp_path,
        {
            "type": "FeatureCollection",
            "features": [
                feature("Good", SQUARE),
                feature("", SQUARE),
                feature("Point", {"type": "Point", "coordinates": [11, 57]}),
                feature("Broken", {"type": "Polygon", "coordinates": "nonsense"}),
                feature(
                    "Metres",
                    {
                        "type": "Polygon",
                        "coordinates": [[[319000, 6400000], [320000, 6400000], [320000, 6401000], [319000, 6400000]]],
                    },
                ),
            ],
        },
    )
    records, rejects = read_areas(path, name_field="NAMN")
    assert [r.name for r in records] == ["Good"]
    assert [(r.position, r.field) for r in rejects] == [(2, "NAMN"), (3, "geometry"), (4, "geometry"), (5, "geometry")]
    assert "areas.geojson: feature 5: geometry: coordinates are not longitude/latitude" in str(rejects[-1])


def test_it_refuses_a_file_that_is_not_geojson(tmp_path):
    path = tmp_path / "x.geojson"
    path.write_text("not json")
    with pytest.raises(UnreadableFile, match="x.geojson"):
        read_areas(path, name_field="NAMN")


@pytest.mark.django_db
def test_the_command_reports_a_summary_and_fails_on_an_unreadable_file(tmp_path, capsys):
    path = write(tmp_path, {"type": "FeatureCollection", "features": [feature("Good", SQUARE)]})
    call_command("import-areas", str(path), "--name-field", "NAMN")
    assert "created 1, updated 0, unchanged 0, rejected 0" in capsys.readouterr().out
    (tmp_path / "bad.geojson").write_text("{")
    with pytest.raises(CommandError, match="bad.geojson"):
        call_command("import-areas", str(tmp_path / "bad.geojson"), "--name-field", "NAMN")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_it_never_crashes_on_arbitrary_bytes(tmp_path, data):
    path = tmp_path / "fuzz.geojson"
    path.write_bytes(data)
    try:
        records, rejects = read_areas(path, name_field="NAMN")
    except UnreadableFile:
        return
    assert isinstance(records, list) and isinstance(rejects, list)


geometry_values = st.recursive(
    st.none() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    features=st.lists(
        st.fixed_dictionaries(
            {
                "type": st.just("Feature"),
                "properties": st.dictionaries(st.sampled_from(["NAMN", "x"]), geometry_values, max_size=2),
                "geometry": st.one_of(
                    geometry_values,
                    st.fixed_dictionaries(
                        {"type": st.sampled_from(["Polygon", "MultiPolygon", "Point"]), "coordinates": geometry_values}
                    ),
                ),
            }
        ),
        max_size=4,
    )
)
def test_every_feature_ends_as_a_record_or_a_reject(tmp_path, features):
    path = write(tmp_path, {"type": "FeatureCollection", "features": features})
    records, rejects = read_areas(path, name_field="NAMN")
    assert len(records) + len(rejects) == len(features)
