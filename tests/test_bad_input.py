"""Bad input at the edges gets a 4xx naming the field, never a server error, and nothing is stored."""

from datetime import date

from lofte.accounts.models import ApiToken, Organisation, Role
from lofte.activities.models import Patrol, Seizure
from lofte.cases.models import CaseEvent, SupportCase

from .base import BaseTestCase, member

PATROL_TIMES = [
    ("0001-01-01T00:00:00", "0001-01-01T00:10:00"),
    ("9999-12-31T23:00:00", "9999-12-31T23:10:00"),
    ("1900-01-01T10:00:00", "1900-01-01T10:10:00"),
]


class BadInputTests(BaseTestCase):
    def setUp(self):
        _, key = ApiToken.issue(self.officer, "phone")
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def test_the_patrol_api_refuses_dates_out_of_range_by_field(self):
        for start, end in PATROL_TIMES:
            body = {"place": self.place.pk, "start": start, "end": end}
            response = self.client.post("/api/v1/patrols/", body, content_type="application/json", **self.auth)
            self.assertEqual(response.status_code, 422, start)
            self.assertEqual(response.json()["errors"][0]["field"], "start")
        self.assertFalse(Patrol.objects.exists())

    def test_the_seizure_api_refuses_a_date_out_of_range(self):
        body = {
            "date": "1899-05-01",
            "place": self.place.pk,
            "category": "weapon",
            "kind": "pistol",
            "quantity": 1,
            "unit": "piece",
        }
        response = self.client.post("/api/v1/seizures/", body, content_type="application/json", **self.auth)
        self.assertEqual((response.status_code, response.json()["errors"][0]["field"]), (422, "date"))
        self.assertFalse(Seizure.objects.exists())

    def test_the_situation_refuses_dates_out_of_range(self):
        self.client.force_login(self.analyst)
        for query in ("?start=0001-01-01&end=0001-12-31", "?start=9999-01-01&end=9999-12-31", "?end=9999-12-31"):
            page = self.client.get("/en/lagesbild/bisk/" + query)
            self.assertEqual(page.status_code, 200, query)
            self.assertFalse(page.context["form"].is_valid())
            self.assertEqual(self.client.get("/en/lagesbild/bisk/export.csv" + query).status_code, 400, query)
            api = self.client.get("/api/v1/areas/bisk/situation" + query)
            self.assertEqual(api.status_code, 422, query)

    def test_the_phone_page_refuses_a_place_that_is_not_one(self):
        self.client.force_login(self.officer)
        for place in ("abc", "", "999999"):
            response = self.client.post("/en/patrull/start/", {"place": place}, follow=True)
            self.assertEqual(response.status_code, 200, place)
        self.assertFalse(Patrol.objects.exists())

    def test_a_case_cannot_close_before_it_started(self):
        social = Organisation.objects.create(name="Socialtjänsten", kind="social_services")
        worker = member("worker", social, Role.CASE_WORKER)
        case = SupportCase.objects.create(organisation=social, pseudonym="D01", started_on=date(2016, 6, 1))
        self.client.force_login(worker)
        event = {"date": "2016-05-01", "kind": "status", "status": "completed"}
        page = self.client.post(f"/en/arenden/{case.pk}/", event)
        self.assertEqual(page.status_code, 200)
        self.assertIn("date", page.context["form"].errors)
        self.assertFalse(CaseEvent.objects.exists())
        self.assertIsNone(SupportCase.objects.get(pk=case.pk).closed_on)

    def test_a_nul_character_anywhere_in_a_request_is_refused_in_words_and_stores_nothing(self):
        # PostgreSQL cannot store U+0000 in text and answered a query holding one with a server error.
        for path in (
            "/api/v1/dialogues/?area=b%00isk",
            "/api/v1/dialogues/themes?x%00=1",
            "/api/v1/areas/b%00isk/situation",
        ):
            response = self.client.get(path)
            self.assertEqual(response.status_code, 422, path)  # the API's documented status for bad input
            self.assertIn("NUL", response.json()["detail"])
        self.assertEqual(self.client.get("/en/lagesbild/bisk/?start=%00").status_code, 400)
        body = '{"place": %d, "start": "2016-05-01T18:00:00", "end": "2016-05-01T18:10:00", "note": "a\\u0000b"}'
        response = self.client.post(
            "/api/v1/patrols/", body % self.place.pk, content_type="application/json", **self.auth
        )
        self.assertEqual(response.status_code, 422)
        self.assertFalse(Patrol.objects.exists())
        # An escaped backslash before "u0000" is ordinary text, not a NUL.
        self.assertEqual(self.client.get("/api/v1/dialogues/?area=%5Cu0000").status_code, 200)
