"""Places on the map: owners and analysts of the area's organisations add hot spots, and officers
of those organisations can log visits there at once."""

from lofte.places.models import Place

from .base import BaseTestCase


class PlacesPageTests(BaseTestCase):
    def url(self):
        return f"/en/personal/loften/{self.draft.slug}/platser/"

    def test_an_owner_adds_a_hot_spot_and_an_officer_logs_a_visit_there(self):
        self.client.force_login(self.coordinator)
        page = self.client.get(self.url())
        self.assertContains(page, 'data-place="Vårväderstorget"')
        self.assertEqual(page.context["map_data"]["places"][0]["radius"], 75)
        answer = self.client.post(
            self.url(), {"name": "Hjalmar Brantingsplatsen", "lon": "11.884", "lat": "57.722", "radius_m": "60"}
        )
        self.assertEqual(answer.status_code, 302)
        place = Place.objects.get(name="Hjalmar Brantingsplatsen")
        self.assertEqual((place.area, place.created_by), (self.area, self.coordinator))
        self.client.force_login(self.officer)
        self.assertContains(self.client.get("/en/patrull/"), "Hjalmar Brantingsplatsen")
        self.assertEqual(self.client.post("/en/patrull/start/", {"place": place.pk}).status_code, 302)

    def test_a_place_outside_the_area_or_without_a_radius_is_named(self):
        self.client.force_login(self.owner)
        outside = self.client.post(self.url(), {"name": "Långt bort", "lon": "12.5", "lat": "57.7", "radius_m": "60"})
        self.assertEqual(outside.status_code, 400)
        self.assertIn("The place lies outside its area.", str(outside.context["form"].errors))
        twice = self.client.post(
            self.url(), {"name": "Vårväderstorget", "lon": "11.884", "lat": "57.722", "radius_m": "60"}
        )
        self.assertEqual(twice.status_code, 400)
        self.assertEqual(Place.objects.filter(area=self.area).count(), 1)

    def test_officers_see_the_places_but_do_not_add_them(self):
        self.client.force_login(self.officer)
        self.assertEqual(self.client.get(self.url()).status_code, 200)
        answer = self.client.post(self.url(), {"name": "X", "lon": "11.884", "lat": "57.722", "radius_m": "60"})
        self.assertEqual(answer.status_code, 403)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_a_place_can_be_an_outline_drawn_on_the_map(self):
        import json

        self.client.force_login(self.owner)
        square = {"type": "Polygon", "coordinates": [[[11.884, 57.722], [11.886, 57.722], [11.886, 57.723],
                                                      [11.884, 57.723], [11.884, 57.722]]]}  # fmt: skip
        answer = self.client.post(self.url(), {"name": "Parkeringen", "polygon": json.dumps(square), "radius_m": "75"})
        self.assertEqual(answer.status_code, 302)
        place = Place.objects.get(name="Parkeringen")
        self.assertEqual((place.polygon, place.lon, place.radius_m), (square, None, None))
        nothing = self.client.post(self.url(), {"name": "Ingenstans", "radius_m": "75"})
        self.assertIn("lon", nothing.context["form"].errors)
