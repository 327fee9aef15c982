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

    def test_an_owner_renames_and_moves_a_place_and_its_visits_stay_with_it(self):
        from datetime import timedelta

        from django.utils import timezone

        from lofte.activities import services

        start = timezone.now() - timedelta(hours=2)
        services.log_patrol(self.officer, place=self.place.pk, start=start, end=start + timedelta(minutes=15))
        self.client.force_login(self.coordinator)
        url = f"/en/personal/loften/{self.draft.slug}/platser/{self.place.pk}/"
        page = self.client.get(url)
        self.assertContains(page, 'value="Vårväderstorget"')
        self.assertNotIn("Vårväderstorget", [p["name"] for p in page.context["map_data"]["places"]])  # drawn as chosen
        moved = {"name": "Vårväderstorget norra", "lon": "11.886", "lat": "57.726", "radius_m": "90"}
        self.assertEqual(self.client.post(url, moved).status_code, 302)
        self.place.refresh_from_db()
        self.assertEqual((self.place.name, self.place.lon, self.place.radius_m), ("Vårväderstorget norra", 11.886, 90))
        self.assertEqual((self.place.patrols.count(), self.place.changed_by), (1, self.coordinator))
        outside = self.client.post(url, moved | {"lon": "12.5"})
        self.assertIn("outside its area", str(outside.context["form"].errors["lon"]))
        # A place with visits is not removed: they would lose where they were.
        refused = self.client.post(url + "ta-bort/", follow=True)
        self.assertContains(refused, "1 visit, seizure or activity is logged at this place")
        self.assertTrue(Place.objects.filter(pk=self.place.pk).exists())

    def test_a_place_nothing_is_recorded_at_is_removed_and_others_may_not(self):
        spare = Place.objects.create(area=self.area, name="Reservplatsen", lon=11.885, lat=57.724, radius_m=50)
        remove = f"/en/personal/loften/{self.draft.slug}/platser/{spare.pk}/ta-bort/"
        self.client.force_login(self.officer)
        self.assertEqual(self.client.post(remove).status_code, 403)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.post(remove).status_code, 404)
        other = f"/en/personal/loften/{self.draft.slug}/platser/{self.other_place.pk}/"
        self.client.force_login(self.owner)
        self.assertEqual(self.client.get(other).status_code, 404)  # not a place of the promise's area
        self.assertEqual(self.client.get(remove.removesuffix("ta-bort/")).status_code, 200)
        self.assertEqual(self.client.get(remove).status_code, 405)
        self.patrol_commitment.places.add(spare)  # a commitment of the published promise names it
        self.assertContains(self.client.post(remove, follow=True), "A published commitment names this place")
        self.patrol_commitment.places.remove(spare)
        self.assertRedirects(self.client.post(remove), self.url(), fetch_redirect_response=False)
        self.assertFalse(Place.objects.filter(pk=spare.pk).exists())
