"""A new promise from the staff pages: an area of one's organisations or an uploaded outline in any
coordinate system, with errors that name the field and nothing half-saved."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from lofte.places.models import Area
from lofte.promises.models import Promise

from .base import BaseTestCase

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


class NewPromiseTests(BaseTestCase):
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

    def test_the_other_parties_share_a_new_area(self):
        data = FIELDS | {"organisation": self.municipality.pk, "area_name": "Hjalmar", "area_code": "hjalmar"}
        answer = self.post(self.coordinator, data | {"area_file": outline(), "partners": [self.police.pk]})
        self.assertEqual(answer.status_code, 302, answer.content)
        area = Area.objects.get(code="hjalmar")
        self.assertEqual(set(area.organisations.all()), {self.municipality, self.police})
        self.assertEqual(set(Promise.objects.get(slug="hjalmar-2018").parties.all()), {self.municipality, self.police})
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
