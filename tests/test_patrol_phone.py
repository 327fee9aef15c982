"""The officer's phone flow through the test client: start, end, never ended, permissions."""

from datetime import timedelta
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from lofte.activities.models import Patrol, Seizure
from lofte.activities.services import close_stale_visits

from .base import BaseTestCase


class PhoneTests(BaseTestCase):
    def setUp(self):
        self.client = Client(enforce_csrf_checks=False)
        self.client.force_login(self.officer)

    def test_it_lists_the_officers_places_nearest_first(self):
        from lofte.places.models import Place

        Place.objects.create(area=self.area, name="Far away square", lon=11.889, lat=57.729, radius_m=50)
        response = self.client.get("/en/patrull/?lat=57.7288&lon=11.8889", HTTP_HX_REQUEST="true")
        names = [p.name for p, _ in response.context["places"]]
        self.assertEqual(names, ["Far away square", "Vårväderstorget"])
        self.assertNotIn("Hjällbotorget", names)  # another organisation's area
        self.assertContains(response, "Nearest places first")

    def test_without_a_position_it_lists_the_places_in_swedish_alphabetical_order(self):
        from lofte.places.models import Place

        for name in ("Örnplatsen", "Åkerplan", "Zetatorget", "Ängen", "Backaplan"):
            Place.objects.create(area=self.area, name=name, lon=11.889, lat=57.729, radius_m=50)
        response = self.client.get("/en/patrull/")
        names = [p.name for p, _ in response.context["places"]]
        self.assertEqual(names, ["Backaplan", "Vårväderstorget", "Zetatorget", "Åkerplan", "Ängen", "Örnplatsen"])
        self.assertContains(response, "places in alphabetical order until then")
        # Whole minutes ("closed after 60,0 minutes" before), said while a visit is open.
        self.client.post("/en/patrull/start/", {"place": self.place.pk, "unit": self.unit.pk})
        self.assertContains(self.client.get("/en/patrull/"), "A visit that is not ended is closed after 60 minutes.")

    def test_it_starts_and_ends_a_visit(self):
        response = self.client.post("/en/patrull/start/", {"place": self.place.pk, "unit": self.unit.pk})
        self.assertRedirects(response, "/en/patrull/")
        visit = Patrol.objects.get()
        self.assertIsNone(visit.end)
        self.assertEqual((visit.unit, visit.created_by, visit.organisation), (self.unit, self.officer, self.police))
        page = self.client.get("/en/patrull/")
        self.assertContains(page, "Visit going on")
        Patrol.objects.filter(pk=visit.pk).update(start=timezone.now() - timedelta(minutes=12))
        self.client.post("/en/patrull/slut/", {"note": "Lugnt på torget"})
        visit.refresh_from_db()
        self.assertAlmostEqual(visit.minutes, 12, delta=0.1)
        self.assertFalse(visit.auto_closed)
        self.assertEqual(visit.note, "Lugnt på torget")

    def test_a_unit_that_is_not_an_id_is_refused_not_a_server_error(self):
        # Found by hypothesis (tests/test_forms_fuzz.py): a unit of ":" answered 500.
        response = self.client.post("/en/patrull/start/", {"place": self.place.pk, "unit": ":"}, follow=True)
        self.assertContains(response, "Unknown unit.")
        self.assertFalse(Patrol.objects.exists())

    def test_a_visit_never_ended_is_closed_at_the_maximum_and_flagged(self):
        self.client.post("/en/patrull/start/", {"place": self.place.pk})
        Patrol.objects.update(start=timezone.now() - timedelta(hours=3))
        self.assertEqual(close_stale_visits(), 1)
        visit = Patrol.objects.get()
        self.assertTrue(visit.auto_closed)
        self.assertEqual(visit.minutes, 60)

    def test_ending_late_closes_at_the_maximum(self):
        self.client.post("/en/patrull/start/", {"place": self.place.pk})
        Patrol.objects.update(start=timezone.now() - timedelta(minutes=59, seconds=50))
        with self.settings(LOFTE_MAX_VISIT_MINUTES=30):
            response = self.client.post("/en/patrull/slut/", follow=True)
        self.assertContains(response, "closed at that")
        self.assertEqual(Patrol.objects.get().minutes, 30)

    def test_starting_a_new_visit_ends_the_open_one(self):
        self.client.post("/en/patrull/start/", {"place": self.place.pk})
        self.client.post("/en/patrull/start/", {"place": self.place.pk})
        self.assertEqual(Patrol.objects.filter(end__isnull=True).count(), 1)
        self.assertEqual(Patrol.objects.count(), 2)

    def test_it_refuses_other_places_people_and_missing_csrf(self):
        response = self.client.post("/en/patrull/start/", {"place": self.other_place.pk}, follow=True)
        self.assertContains(response, "outside your organisation")
        self.assertFalse(Patrol.objects.exists())
        self.client.force_login(self.analyst)
        self.assertEqual(self.client.get("/en/patrull/").status_code, 403)
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(self.officer)
        self.assertEqual(strict.post("/en/patrull/start/", {"place": self.place.pk}).status_code, 403)
        self.assertEqual(self.client.get("/en/patrull/start/").status_code, 405)

    def test_open_visits_do_not_count_until_they_end(self):
        from lofte.promises.progress import records_for

        self.client.post("/en/patrull/start/", {"place": self.place.pk})
        self.assertEqual(len(records_for(self.promise).patrols), 0)


class SeizureFormTests(BaseTestCase):
    """Seizures were logged only through the API; the phone page has a form that takes the same path."""

    def setUp(self):
        self.client.force_login(self.officer)

    def seizure(self, **changes):
        data = {"place": self.place.pk, "date": timezone.localdate().isoformat(), "category": "narcotics",
                "kind": "cannabis", "quantity": "45,5", "unit": "g", "note": ""} | changes  # fmt: skip
        return self.client.post("/patrull/beslag/", {f"seizure-{k}": v for k, v in data.items()}, follow=True)

    def test_it_logs_a_seizure_at_a_place_and_says_so_in_swedish(self):
        page = self.client.get("/patrull/")
        self.assertContains(page, "Registrera ett beslag")
        response = self.seizure()
        self.assertContains(response, "Beslag registrerat: 45,5 gram cannabis")
        found = Seizure.objects.get()
        assert (found.place, found.area, found.organisation) == (self.place, self.place.area, self.police)
        assert found.quantity == Decimal("45.5") and found.created_by == self.officer

    def test_it_names_the_field_of_a_bad_value_and_stores_nothing(self):
        cases = [
            ({"quantity": "0"}, "quantity"),
            ({"quantity": "-3"}, "quantity"),
            ({"date": (timezone.localdate() + timedelta(days=2)).isoformat()}, "date"),
            ({"category": "other", "automatic": "on"}, "automatic"),
            ({"kind": ""}, "kind"),
        ]
        for changes, field in cases:
            response = self.seizure(**changes)
            assert response.status_code == 400, changes
            assert field in response.context["seizure_form"].errors, (changes, response.context["seizure_form"].errors)
        self.assertFalse(Seizure.objects.exists())

    def test_it_refuses_another_organisations_place_and_people_who_do_not_log(self):
        response = self.seizure(place=self.other_place.pk)
        assert response.status_code == 400 and "place" in response.context["seizure_form"].errors
        self.client.force_login(self.analyst)
        assert self.seizure().status_code == 403
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(self.officer)
        assert strict.post("/patrull/beslag/", {"seizure-place": self.place.pk}).status_code == 403
        assert self.client.get("/patrull/beslag/").status_code == 405
        self.assertFalse(Seizure.objects.exists())
