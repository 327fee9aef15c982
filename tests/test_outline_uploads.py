"""An uploaded outline is recognised by its bytes and read only by the reader of its kind: a file that
asks GDAL to read another file, fetch a URL or open a database is refused before GDAL sees it."""

import http.server
import json
import math
import shutil
import sqlite3
import threading
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lofte.ingest.areas import read_outline
from lofte.ingest.common import UnreadableFile
from lofte.places.models import Area

from .test_new_promise import FIELDS, SWEREF_SQUARE, HeldCityTestCase, gdal_file, outline

SECRET_POLYGON = "POLYGON ((11.881 57.721, 11.889 57.721, 11.889 57.729, 11.881 57.721))"


def vrt(source, layer):
    return (
        f'<OGRVRTDataSource><OGRVRTLayer name="{layer}"><SrcDataSource>{source}</SrcDataSource>'
        f"<SrcLayer>{layer}</SrcLayer></OGRVRTLayer></OGRVRTDataSource>"
    ).encode()


@pytest.fixture
def secret(tmp_path):
    """A server file an attacker would like to read: a CSV whose WKT column GDAL takes as geometry."""
    path = tmp_path / "secret.csv"
    path.write_text(f'id,WKT\n1,"{SECRET_POLYGON}"\n')
    return path


@pytest.mark.parametrize("name", ["omrade.gpkg", "omrade.zip", "omrade.shp", "omrade.geojson", "omrade"])
def test_it_refuses_a_vrt_that_reads_a_server_file_whatever_its_name(tmp_path, secret, name):
    upload = tmp_path / name
    upload.write_bytes(vrt(f"CSV:{secret}", "secret"))
    with pytest.raises(UnreadableFile, match=f"{name}: not a GeoJSON, GeoPackage or zipped Shapefile"):
        read_outline(upload, name=name)


def test_it_never_fetches_the_url_of_a_vsicurl_vrt(tmp_path):
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"/vsicurl/http://127.0.0.1:{server.server_port}/outline.geojson"
        upload = tmp_path / "omrade.gpkg"
        upload.write_bytes(b"\n  " + vrt(url, "outline"))
        with pytest.raises(UnreadableFile, match="not a GeoJSON, GeoPackage or zipped Shapefile"):
            read_outline(upload, name="omrade.gpkg")
    finally:
        server.shutdown()
    assert requests == []


def test_it_refuses_a_sqlite_database_that_is_not_a_geopackage(tmp_path):
    database = tmp_path / "db.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE cases_note (id INTEGER, text TEXT)")
    upload = tmp_path / "omrade.gpkg"
    shutil.copy(database, upload)
    with pytest.raises(UnreadableFile, match="omrade.gpkg: a SQLite file but not a GeoPackage"):
        read_outline(upload, name="omrade.gpkg")


def test_it_reads_only_the_shapefile_of_a_zip_and_checks_its_magic(tmp_path, secret):
    gdal_file(tmp_path, "ESRI Shapefile", "good.zip")
    parts = {ext: (tmp_path / f"omrade.{ext}").read_bytes() for ext in ("shp", "shx", "dbf", "prj")}
    # A VRT beside a good Shapefile is never unpacked: the outline is the Shapefile's.
    with zipfile.ZipFile(tmp_path / "extra.zip", "w") as archive:
        for ext, data in parts.items():
            archive.writestr(f"omrade.{ext}", data)
        archive.writestr("omrade.vrt", vrt(f"CSV:{secret}", "secret"))
    got = read_outline(tmp_path / "extra.zip", name="extra.zip")
    assert 11.8 < got["coordinates"][0][0][0] < 12.0
    # A VRT in the .shp's place fails the Shapefile's file code.
    with zipfile.ZipFile(tmp_path / "fake.zip", "w") as archive:
        archive.writestr("omrade.shp", vrt(f"CSV:{secret}", "secret"))
        archive.writestr("omrade.shx", parts["shx"])
        archive.writestr("omrade.dbf", parts["dbf"])
    with pytest.raises(UnreadableFile, match=r"fake.zip: omrade.shp: not an ESRI Shapefile"):
        read_outline(tmp_path / "fake.zip", name="fake.zip")
    # Paths inside the archive are never used: a member that climbs out is just a wrong name.
    with zipfile.ZipFile(tmp_path / "climb.zip", "w") as archive:
        archive.writestr("../../omrade.shp", parts["shp"])
    with pytest.raises(UnreadableFile, match="climb.zip: .*omrade.shx is missing"):
        read_outline(tmp_path / "climb.zip", name="climb.zip")


def test_it_caps_the_size_and_the_vertices_and_names_the_file_not_the_server_path(tmp_path):
    circle = [[[313000 + 500 * math.cos(k / 1000), 6400000 + 500 * math.sin(k / 1000)]
               for k in range(6283)]]  # fmt: skip
    circle[0].append(circle[0][0])
    path = tmp_path / "lofte-upload-x1y2"
    path.write_bytes(outline(circle).read())
    with pytest.raises(UnreadableFile, match=r"^omrade.geojson: feature 1: geometry: 6284 vertices; at most 1000") as e:
        read_outline(path, name="omrade.geojson", max_vertices=1000)
    assert str(tmp_path) not in str(e.value)
    with pytest.raises(UnreadableFile, match=r"^omrade.geojson: .* MB; an outline file may be at most"):
        read_outline(path, name="omrade.geojson", max_bytes=1000)
    path.write_text(json.dumps({"type": "Polygon", "coordinates": 5}))
    with pytest.raises(UnreadableFile, match=r"^omrade.geojson: feature 1: geometry: not a valid GeoJSON geometry"):
        read_outline(path, name="omrade.geojson")


class UploadPageTests(HeldCityTestCase):
    def post(self, upload, **extra):
        self.client.force_login(self.coordinator)
        data = FIELDS | {"organisation": self.municipality.pk, "area_name": "H", "area_code": "h"} | extra
        return self.client.post("/en/personal/loften/nytt/", data | {"area_file": upload})

    def test_it_names_the_uploaded_file_and_stores_nothing_for_a_vrt(self):
        payload = vrt("CSV:/etc/passwd", "passwd")
        answer = self.post(SimpleUploadedFile("omrade.gpkg", payload))
        self.assertEqual(answer.status_code, 400)
        error = " ".join(answer.context["form"].errors["area_file"])
        self.assertIn("omrade.gpkg: not a GeoJSON, GeoPackage or zipped Shapefile", error)
        self.assertNotIn("/tmp", error)
        self.assertFalse(Area.objects.filter(code="h").exists())

    def test_it_refuses_a_geometry_that_is_not_one_by_field(self):
        answer = self.post(SimpleUploadedFile("o.geojson", b'{"type":"Polygon","coordinates":5}'))
        self.assertEqual(answer.status_code, 400)
        self.assertIn("not a valid GeoJSON geometry", " ".join(answer.context["form"].errors["area_file"]))

    def test_it_refuses_a_file_over_the_size_cap(self):
        with self.settings(LOFTE_MAX_OUTLINE_BYTES=100):
            answer = self.post(SimpleUploadedFile("o.geojson", outline(SWEREF_SQUARE).read()))
        self.assertEqual(answer.status_code, 400)
        self.assertIn("o.geojson: an outline file may be at most", " ".join(answer.context["form"].errors["area_file"]))
