"""The JSON API: listing, progress, logging patrols and seizures, errors and permissions."""

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.test import Client

from lofte.accounts.models import ApiToken
from lofte.activities.models import Patrol, Seizure

from .base import BaseTestCase

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class ApiTestCase(BaseTestCase):
    def setUp(self):
        self.client = Client(enforce_csrf_checks=True)
        _, self.officer_key = ApiToken.issue(self.officer, "phone")
        _, self.outsider_key = ApiToken.issue(self.outsider, "phone")

    def post(self, path, body, key=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
        return self.client.post(path, data=json.dumps(body, default=str), content_type="application/json", **headers)

    def patrol(self, **overrides):
        start = datetime(2016, 5, 1, 20, 0, tzinfo=STOCKHOLM)
        body = {
            "place": self.place.pk,
            "start": start.isoformat(),
            "end": (start + timedelta(minutes=14)).isoformat(),
            "unit": "Hisingen 1130",
        }
        body.update(overrides)
        return body


class PromiseApiTests(ApiTestCase):
    def test_it_lists_only_public_promises_for_the_public(self):
        slugs = [p["slug"] for p in self.client.get("/api/v1/promises/").json()]
        self.assertEqual(slugs, ["published-promise"])

    def test_it_lists_drafts_for_members_of_a_party(self):
        self.client.force_login(self.coordinator)
        slugs = {p["slug"] for p in self.client.get("/api/v1/promises/").json()}
        self.assertEqual(slugs, {"published-promise", "draft-promise"})

    def test_it_lists_drafts_for_token_holders_of_a_party(self):
        response = self.client.get("/api/v1/promises/", HTTP_AUTHORIZATION=f"Bearer {self.officer_key}")
        self.assertEqual({p["slug"] for p in response.json()}, {"published-promise", "draft-promise"})

    def test_it_hides_drafts_from_outsiders(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get("/api/v1/promises/draft-promise").status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get("/api/v1/promises/draft-promise").status_code, 404)

    def test_it_reports_commitment_progress(self):
        for day in range(10):
            start = datetime(2016, 3, 1, 19, tzinfo=STOCKHOLM) + timedelta(days=day)
            Patrol.objects.create(
                place=self.place, organisation=self.police, start=start, end=start + timedelta(minutes=12)
            )
        data = self.client.get("/api/v1/promises/published-promise").json()
        commitment = data["commitments"][0]
        self.assertEqual(commitment["metric"], "patrol_visits_per_day")
        self.assertEqual(commitment["target"], 2.5)
        self.assertEqual(commitment["numbers"]["visits"], 10)
        self.assertEqual(commitment["numbers"]["days"], 365)
        self.assertEqual(commitment["actual"], round(10 / 365, 2))
        self.assertEqual(commitment["status"], "not_kept")
        self.assertEqual(commitment["responsible"], ["LPO Hisingen"])
        self.assertEqual(data["outputs"]["visits"], 10)


class PatrolApiTests(ApiTestCase):
    def test_it_logs_a_patrol_with_a_token(self):
        response = self.post("/api/v1/patrols/", self.patrol(), self.officer_key)
        self.assertEqual(response.status_code, 201, response.content)
        patrol = Patrol.objects.get()
        self.assertEqual(patrol.organisation, self.police)
        self.assertEqual(patrol.unit, self.unit)
        self.assertEqual(patrol.created_by, self.officer)
        self.assertEqual(response.json()["minutes"], 14)

    def test_it_reads_times_without_offset_as_stockholm_time(self):
        response = self.post(
            "/api/v1/patrols/", self.patrol(start="2016-07-01T20:00:00", end="2016-07-01T20:15:00"), self.officer_key
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(Patrol.objects.get().start, datetime(2016, 7, 1, 18, 0, tzinfo=ZoneInfo("UTC")))

    def test_it_refuses_the_public(self):
        response = self.post("/api/v1/patrols/", self.patrol())
        self.assertEqual(response.status_code, 401)
        self.assertIn("Authentication", response.json()["detail"])
        self.assertFalse(Patrol.objects.exists())

    def test_it_refuses_an_invalid_token(self):
        response = self.post("/api/v1/patrols/", self.patrol(), "lofte_not-a-token")
        self.assertEqual(response.status_code, 401)

    def test_it_requires_csrf_for_session_posts(self):
        self.client.force_login(self.officer)
        response = self.post("/api/v1/patrols/", self.patrol())
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Patrol.objects.exists())

    def test_it_accepts_session_posts_with_csrf(self):
        self.client.force_login(self.officer)
        self.client.get("/")  # sets the CSRF cookie
        token = self.client.cookies["csrftoken"].value
        response = self.client.post(
            "/api/v1/patrols/", data=json.dumps(self.patrol()), content_type="application/json", HTTP_X_CSRFTOKEN=token
        )
        self.assertEqual(response.status_code, 201, response.content)

    def test_it_refuses_an_officer_of_another_organisation(self):
        response = self.post("/api/v1/patrols/", self.patrol(unit=None), self.outsider_key)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["errors"][0]["field"], "place")
        self.assertFalse(Patrol.objects.exists())

    def test_it_refuses_a_place_outside_the_organisations_areas(self):
        response = self.post("/api/v1/patrols/", self.patrol(place=self.other_place.pk), self.officer_key)
        self.assertEqual(response.status_code, 403)
        self.assertIn("place", response.json()["detail"])
        self.assertFalse(Patrol.objects.exists())

    def test_it_refuses_owners_and_analysts_who_are_not_officers(self):
        self.client.force_login(self.analyst)
        _, key = ApiToken.issue(self.analyst, "t")
        response = self.post("/api/v1/patrols/", self.patrol(), key)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["errors"][0]["field"], "organisation")

    def test_it_names_the_field_when_a_patrol_ends_before_it_starts(self):
        body = self.patrol()
        body["start"], body["end"] = body["end"], body["start"]
        response = self.post("/api/v1/patrols/", body, self.officer_key)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            response.json()["errors"], [{"field": "end", "message": "Besöket måste sluta efter att det börjat."}]
        )
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        response = self.post("/api/v1/patrols/", body, self.officer_key)
        self.assertEqual(
            response.json()["errors"], [{"field": "end", "message": "The visit must end after it starts."}]
        )
        self.assertFalse(Patrol.objects.exists())

    def test_it_names_an_unknown_unit(self):
        response = self.post("/api/v1/patrols/", self.patrol(unit="Nordost 2210"), self.officer_key)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["field"], "unit")
        self.assertFalse(Patrol.objects.exists())

    def test_it_names_an_unknown_place(self):
        response = self.post("/api/v1/patrols/", self.patrol(place=999999), self.officer_key)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["field"], "place")

    def test_it_names_missing_and_malformed_fields(self):
        response = self.post("/api/v1/patrols/", {"place": self.place.pk, "start": "yesterday"}, self.officer_key)
        self.assertEqual(response.status_code, 422)
        fields = {e["field"] for e in response.json()["errors"]}
        self.assertEqual(fields, {"start", "end"})
        self.assertIn("start", response.json()["detail"])

    def test_it_refuses_visits_in_the_future_and_overlong_visits(self):
        future = datetime.now(STOCKHOLM) + timedelta(days=1)
        response = self.post(
            "/api/v1/patrols/",
            self.patrol(start=future.isoformat(), end=(future + timedelta(minutes=10)).isoformat()),
            self.officer_key,
        )
        self.assertEqual((response.status_code, response.json()["errors"][0]["field"]), (422, "start"))
        start = datetime(2016, 5, 1, 8, tzinfo=STOCKHOLM)
        response = self.post(
            "/api/v1/patrols/",
            self.patrol(start=start.isoformat(), end=(start + timedelta(hours=13)).isoformat()),
            self.officer_key,
        )
        self.assertEqual((response.status_code, response.json()["errors"][0]["field"]), (422, "end"))
        self.assertFalse(Patrol.objects.exists())

    def test_it_rejects_malformed_json(self):
        response = self.client.post(
            "/api/v1/patrols/",
            data="{not json",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.officer_key}",
        )
        self.assertIn(response.status_code, (400, 422))
        self.assertIn("detail", response.json())


class SeizureApiTests(ApiTestCase):
    def seizure(self, **overrides):
        body = {
            "date": "2016-06-01",
            "place": self.place.pk,
            "category": "weapon",
            "kind": "pistol",
            "quantity": 1,
            "unit": "piece",
        }
        body.update(overrides)
        return body

    def test_it_reports_a_seizure(self):
        response = self.post("/api/v1/seizures/", self.seizure(automatic=True, kind="automatkarbin"), self.officer_key)
        self.assertEqual(response.status_code, 201, response.content)
        seizure = Seizure.objects.get()
        self.assertEqual((seizure.area, seizure.automatic, seizure.organisation), (self.area, True, self.police))

    def test_it_reports_narcotics_by_area(self):
        response = self.post(
            "/api/v1/seizures/",
            self.seizure(
                place=None, area=self.area.pk, category="narcotics", kind="cannabis", quantity="1250.5", unit="g"
            ),
            self.officer_key,
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(str(Seizure.objects.get().quantity), "1250.500")

    def test_it_names_inconsistent_fields(self):
        cases = [
            (self.seizure(category="narcotics", automatic=True, unit="g", kind="cannabis"), "automatic"),
            (self.seizure(unit="g"), "unit"),
            (self.seizure(category="narcotics", kind="cannabis"), "unit"),
            (self.seizure(place=None), "place"),
            (self.seizure(quantity=0), "quantity"),
            (self.seizure(category="cars"), "category"),
            (self.seizure(area=self.other_area.pk), "area"),
            (self.seizure(date="2999-01-01"), "date"),
        ]
        for body, field in cases:
            with self.subTest(field=field):
                response = self.post("/api/v1/seizures/", body, self.officer_key)
                self.assertEqual(response.status_code, 422, response.content)
                self.assertEqual(response.json()["errors"][0]["field"], field)
        self.assertFalse(Seizure.objects.exists())

    def test_it_refuses_an_area_outside_the_organisations_areas(self):
        response = self.post("/api/v1/seizures/", self.seizure(place=None, area=self.other_area.pk), self.officer_key)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["errors"][0]["field"], "area")


class OpenApiTests(ApiTestCase):
    def test_it_publishes_a_complete_openapi_document(self):
        doc = self.client.get("/api/v1/openapi.json").json()
        paths = doc["paths"]
        self.assertLessEqual(
            {
                "/api/v1/promises/",
                "/api/v1/promises/{slug}",
                "/api/v1/patrols/",
                "/api/v1/seizures/",
                "/api/v1/areas/{code}/situation",
            },
            set(paths),
        )
        for path, operations in paths.items():
            for method, operation in operations.items():
                codes = set(operation["responses"])
                # Posts to a collection create (201); posts to an action of a resource answer 200.
                created = method == "post" and path.endswith("/")
                self.assertIn("201" if created else "200", codes, path)
                if "{" in path:
                    self.assertIn("404", codes, f"{method} {path} must declare 404")
        for path in ("/api/v1/patrols/", "/api/v1/seizures/"):
            self.assertEqual(set(paths[path]["post"]["responses"]), {"201", "400", "401", "403", "422", "503"})
        # 422: a slug holding a NUL character is refused before the view (core.middleware)
        self.assertEqual(set(paths["/api/v1/promises/{slug}"]["get"]["responses"]), {"200", "404", "422"})

    def test_it_serves_its_documentation_page_from_its_own_files_so_it_works_offline(self):
        page = self.client.get("/api/v1/docs").content.decode()
        scripts = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
        self.assertTrue(scripts)
        for address in scripts:
            self.assertTrue(address.startswith("/static/"), address)
            self.assertEqual(self.client.get(address).status_code, 200, address)


class TokenUseTests(ApiTestCase):
    def test_it_records_a_tokens_last_use_to_the_nearest_few_minutes_without_a_write_per_request(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from lofte.accounts.models import LAST_USE_PRECISION

        self.assertEqual(ApiToken.authenticate(self.officer_key), self.officer)
        token = ApiToken.objects.get(user=self.officer)
        first = token.last_used_at
        self.assertIsNotNone(first)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(ApiToken.authenticate(self.officer_key), self.officer)
        self.assertFalse([q for q in queries.captured_queries if q["sql"].startswith("UPDATE")])
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - LAST_USE_PRECISION)
        ApiToken.authenticate(self.officer_key)
        self.assertGreaterEqual(ApiToken.objects.get(pk=token.pk).last_used_at, first)
        self.assertIsNone(ApiToken.authenticate("lofte_not-a-key"))
