"""A new promise from the staff pages: an area of one's organisations or an uploaded outline in any
coordinate system, with errors that name the field and nothing half-saved."""

import json

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from shapely.geometry import shape

from lofte.ingest.areas import read_outline_feature
from lofte.places.models import Area
from lofte.promises.models import Promise

from .base import BaseTestCase, square

FIELDS = {
    "slug": "hjalmar-2018",
    "title": "Tryggare Hjalmar",
    "problem": "Otrygghet vid hållplatsen",
    "period_start": "2018-01-01",
    "period_end": "2018-12-31",
}
# A square of about 1 km in SWEREF 99 TM (EPSG:3006) on Hisingen, as the police's files give them.
SWEREF_SQUARE = [[[313000, 6400000], [314000, 6400000], [314000, 6401000], [313000, 6401000], [313000, 6400000]]]


def outline(coordinates=SWEREF_SQUARE, crs="urn:ogc:def:crs:EPSG::3006"):
    collection = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": crs}},
        "features": [
            {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": coordinates}}
        ],
    }
    return SimpleUploadedFile("omrade.geojson", json.dumps(collection).encode(), content_type="application/geo+json")


class HeldCityTestCase(BaseTestCase):
    """The municipality holds the whole city, as a real one holds its territory: new areas inside it."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.city = Area.objects.create(name="Göteborg", code="goteborg", polygon=square(11.6, 57.6, 0.5))
        cls.municipality.areas.add(cls.city)


class NewPromiseTests(HeldCityTestCase):
    def post(self, user, data):
        self.client.force_login(user)
        return self.client.post("/en/personal/loften/nytt/", data)

    def test_an_owner_drafts_a_promise_for_an_area_of_theirs(self):
        answer = self.post(self.owner, FIELDS | {"area": self.area.pk, "organisation": self.police.pk})
        self.assertRedirects(answer, "/en/personal/loften/hjalmar-2018/", fetch_redirect_response=False)
        promise = Promise.objects.get(slug="hjalmar-2018")
        self.assertEqual(
            (promise.status, promise.area, list(promise.parties.all())), ("draft", self.area, [self.police])
        )

    def test_a_new_area_comes_from_an_outline_in_sweref(self):
        data = FIELDS | {"organisation": self.municipality.pk, "area_name": "Hjalmar", "area_code": "hjalmar"}
        answer = self.post(self.coordinator, data | {"area_file": outline()})
        self.assertEqual(answer.status_code, 302, answer.content)
        area = Area.objects.get(code="hjalmar")
        self.assertTrue(11.8 < area.min_lon < area.max_lon < 12.0 and 57.6 < area.min_lat < area.max_lat < 57.8)
        self.assertEqual(list(area.organisations.all()), [self.municipality])
        self.assertEqual(Promise.objects.get(slug="hjalmar-2018").area, area)

    def test_a_new_area_takes_its_name_and_code_from_the_police_file(self):
        """The police's vulnerable-area file names each area (NAMN) and gives its code (OMRADESKOD)."""
        police_file = json.loads(outline().read())
        police_file["features"][0]["properties"] = {"NAMN": "Hisings Backa", "OMRADESKOD": "561540", "ORT": "Göteborg"}
        upload = SimpleUploadedFile("uso.geojson", json.dumps(police_file).encode())
        answer = self.post(self.coordinator, FIELDS | {"organisation": self.municipality.pk, "area_file": upload})
        self.assertEqual(answer.status_code, 302, answer.content)
        self.assertEqual(Promise.objects.get(slug="hjalmar-2018").area.name, "Hisings Backa")
        self.assertTrue(Area.objects.filter(code="561540", name="Hisings Backa").exists())
        nameless = self.post(self.coordinator, FIELDS | {"slug": "x", "organisation": self.municipality.pk,
                                                          "area_file": outline([[[313000, 6402000], [314000, 6402000],
                                                          [314000, 6403000], [313000, 6402000]]])})  # fmt: skip
        self.assertIn("names no area", " ".join(nameless.context["form"].errors["area_name"]))

    def test_an_area_uploaded_again_is_refused_with_a_pointer_to_the_one_to_choose(self):
        """A coordinator made "Hisings Backa" twice, each with its own public page (issue 24)."""
        data = FIELDS | {"organisation": self.municipality.pk, "area_name": "Hjalmar", "area_code": "hjalmar"}
        self.assertEqual(self.post(self.coordinator, data | {"area_file": outline()}).status_code, 302)
        moved = [[[x + 3, y - 2] for x, y in SWEREF_SQUARE[0]]]  # a vertex a few metres off: the same ground
        again = data | {"slug": "hjalmar-2", "area_name": "Hjalmar igen", "area_code": "hjalmar-2"}
        answer = self.post(self.coordinator, again | {"area_file": outline(moved)})
        self.assertEqual(answer.status_code, 400)
        self.assertIn("already exists: Hjalmar (hjalmar)", " ".join(answer.context["form"].errors["area_file"]))
        self.assertEqual(Area.objects.filter(name__startswith="Hjalmar").count(), 1)
        # Another organisation's area is not named: its code is refused in words that point nowhere.
        other = again | {"area_code": self.other_area.code}
        words = " ".join(
            self.post(self.coordinator, other | {"area_file": outline()}).context["form"].errors["area_code"]
        )
        self.assertIn("for another organisation", words)
        self.assertNotIn(self.other_area.name, words)

    def test_the_other_parties_are_invited_and_share_a_new_area_once_they_accept(self):
        data = FIELDS | {"organisation": self.municipality.pk, "area_name": "Hjalmar", "area_code": "hjalmar"}
        answer = self.post(self.coordinator, data | {"area_file": outline(), "partners": [self.police.pk]})
        self.assertEqual(answer.status_code, 302, answer.content)
        area = Area.objects.get(code="hjalmar")
        promise = Promise.objects.get(slug="hjalmar-2018")
        # Nothing of the police's is shared until its owner accepts.
        self.assertEqual((list(area.organisations.all()), list(promise.parties.all())), ([self.municipality],) * 2)
        invitation = promise.invitations.get()
        self.client.force_login(self.owner)
        self.assertContains(self.client.get("/en/personal/"), "LPO Hisingen is invited to be a party to")
        self.client.post(f"/en/personal/inbjudningar/{invitation.pk}/", {"answer": "accept"})
        self.assertEqual(set(area.organisations.all()), {self.municipality, self.police})
        self.assertEqual(set(promise.parties.all()), {self.municipality, self.police})
        mine = {"slug": "x", "area": self.area.pk, "organisation": self.municipality.pk}
        other = self.post(self.coordinator, FIELDS | mine | {"partners": [self.other_police.pk]})
        self.assertIn("partners", other.context["form"].errors)  # shares no area with the municipality

    def test_bad_outlines_and_fields_are_named_and_nothing_is_saved(self):
        base = FIELDS | {"organisation": self.municipality.pk, "area_name": "Hjalmar", "area_code": "hjalmar"}
        open_ring = [SWEREF_SQUARE[0][:-1]]
        bow_tie = [[[313000, 6400000], [314000, 6401000], [314000, 6400000], [313000, 6401000], [313000, 6400000]]]
        cases = [
            (base | {"area_file": outline(open_ring)}, "area_file", "geometry"),
            (base | {"area_file": outline(bow_tie)}, "area_file", "Self-intersection"),
            (base | {"area_file": outline(crs="EPSG:5773")}, "area_file", "neither geographic nor projected"),
            (base | {"area_file": outline(crs="EPSG:4326")}, "area_file", "not longitude/latitude"),
            (base | {"area_file": outline(), "area_code": "bisk"}, "area_code", "already exists"),
            (base | {"area_file": outline(), "slug": self.promise.slug}, "slug", "already exists"),
            (FIELDS | {"organisation": self.municipality.pk}, "area", "Choose an area"),
        ]
        for data, field, words in cases:
            answer = self.post(self.coordinator, data)
            self.assertEqual(answer.status_code, 400, (field, words))
            errors = answer.context["form"].errors
            self.assertIn(field, errors, (field, errors))
            self.assertIn(words, " ".join(errors[field]), (field, errors))
        self.assertFalse(Area.objects.filter(code="hjalmar").exists())
        self.assertFalse(Promise.objects.filter(slug="hjalmar-2018").exists())

    def test_only_owners_plan_and_only_for_their_organisations(self):
        self.client.force_login(self.officer)
        self.assertEqual(self.client.get("/en/personal/loften/nytt/").status_code, 403)
        answer = self.post(self.owner, FIELDS | {"area": self.other_area.pk, "organisation": self.other_police.pk})
        self.assertEqual(answer.status_code, 400)
        self.assertEqual(set(answer.context["form"].errors), {"area", "organisation"})
        self.client.force_login(self.owner)
        self.assertContains(self.client.get("/en/personal/"), "/en/personal/loften/nytt/")


def gdal_file(tmp, driver, name):
    """The SWEREF square written by GDAL (pyogrio) as a GeoPackage or a zipped Shapefile."""
    import zipfile

    import numpy as np
    import shapely
    from pyogrio import raw
    from shapely.geometry import Polygon

    square = np.array([shapely.to_wkb(Polygon(SWEREF_SQUARE[0]))], dtype=object)
    fields = [np.array(["Hjalmar"], dtype=object)]
    if driver == "GPKG":
        raw.write(tmp / name, square, fields, ["namn"], geometry_type="Polygon", crs="EPSG:3006", driver="GPKG")
        return SimpleUploadedFile(name, (tmp / name).read_bytes())
    raw.write(
        tmp / "omrade.shp", square, fields, ["namn"], geometry_type="Polygon", crs="EPSG:3006", driver="ESRI Shapefile"
    )
    with zipfile.ZipFile(tmp / name, "w") as archive:
        for extension in ("shp", "shx", "dbf", "prj"):
            archive.write(tmp / f"omrade.{extension}", f"omrade.{extension}")
    return SimpleUploadedFile(name, (tmp / name).read_bytes())


class GdalOutlineTests(HeldCityTestCase):
    def test_a_geopackage_or_a_zipped_shapefile_gives_the_same_area(self):
        import tempfile
        from pathlib import Path

        tmp = Path(tempfile.mkdtemp())
        self.client.force_login(self.coordinator)
        files = [
            gdal_file(tmp, driver, name) for driver, name in [("GPKG", "omrade.gpkg"), ("ESRI Shapefile", "omrade.zip")]
        ]
        outlines = []
        for upload in files:
            (tmp / f"copy-{upload.name}").write_bytes(upload.read())
            upload.seek(0)
            outlines.append(read_outline_feature(tmp / f"copy-{upload.name}", name=upload.name))
        self.assertEqual([o.properties for o in outlines], [{"namn": "Hjalmar"}] * 2)
        self.assertAlmostEqual(shape(outlines[0].geometry).bounds[0], shape(outlines[1].geometry).bounds[0], places=9)
        # The name and the code come from the file's attributes when the fields are left empty.
        data = FIELDS | {"slug": "h0", "organisation": self.municipality.pk}
        answer = self.client.post("/en/personal/loften/nytt/", data | {"area_file": files[0]})
        self.assertEqual(answer.status_code, 302, answer.content[:2000])
        first = Area.objects.get(code="hjalmar")
        self.assertEqual(first.name, "Hjalmar")
        self.assertTrue(11.8 < first.min_lon < 12.0)
        # The same outline again, as a Shapefile under another code, is the same area: refused, named.
        data = FIELDS | {"slug": "h1", "organisation": self.municipality.pk, "area_name": "H", "area_code": "h1"}
        answer = self.client.post("/en/personal/loften/nytt/", data | {"area_file": files[1]})
        self.assertIn("Hjalmar (hjalmar)", " ".join(answer.context["form"].errors["area_file"]))
        self.assertFalse(Area.objects.filter(code="h1").exists())
        broken = SimpleUploadedFile("trasig.gpkg", b"not a geopackage")
        data = FIELDS | {"slug": "h2", "organisation": self.municipality.pk, "area_name": "H", "area_code": "h2"}
        answer = self.client.post("/en/personal/loften/nytt/", data | {"area_file": broken})
        self.assertIn("trasig.gpkg: not a GeoJSON, GeoPackage", " ".join(answer.context["form"].errors["area_file"]))


class OutlineReachTests(BaseTestCase):
    """A drawn outline never opens incidents outside the areas its organisation holds (issue 21)."""

    def post(self, user, coordinates, code="stad"):
        self.client.force_login(user)
        data = FIELDS | {"slug": code, "organisation": self.municipality.pk, "area_name": "Stad", "area_code": code}
        return self.client.post("/en/personal/loften/nytt/", data | {"area_file": outline(coordinates, "EPSG:4326")})

    def test_it_refuses_an_outline_over_another_organisations_area(self):
        city = [[[11.5, 57.5], [12.5, 57.5], [12.5, 58.0], [11.5, 58.0], [11.5, 57.5]]]  # covers Hjällbo too
        answer = self.post(self.coordinator, city)
        self.assertEqual(answer.status_code, 400)
        self.assertIn("lies outside your organisation's areas", " ".join(answer.context["form"].errors["area_file"]))
        self.assertFalse(Area.objects.filter(code="stad").exists())

    def test_it_cuts_a_sliver_off_and_a_superuser_draws_anything(self):
        # Biskopsgården is the square 11.88-11.89, 57.72-57.73: this one reaches 0.5 % past its east side.
        sliver = [[[11.881, 57.721], [11.89005, 57.721], [11.89005, 57.729], [11.881, 57.729], [11.881, 57.721]]]
        self.assertEqual(self.post(self.coordinator, sliver).status_code, 302)
        self.assertLessEqual(Area.objects.get(code="stad").max_lon, 11.89 + 1e-12)
        admin = User.objects.create_superuser("root", password="password")
        city = [[[11.5, 57.5], [12.5, 57.5], [12.5, 58.0], [11.5, 58.0], [11.5, 57.5]]]
        self.assertEqual(self.post(admin, city, code="stad2").status_code, 302)
        self.assertEqual(Area.objects.get(code="stad2").max_lon, 12.5)

    def test_it_keeps_the_outline_out_of_an_owners_reach_in_the_admin(self):
        self.client.force_login(self.owner)
        page = self.client.get(f"/admin/places/area/{self.area.pk}/change/")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn('name="polygon"', page.content.decode())
