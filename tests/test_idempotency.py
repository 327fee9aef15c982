"""A phone that posts again after losing its connection sends the same Idempotency-Key: the visit or
seizure is stored once and the retry gets the first answer."""

from lofte.accounts.models import ApiToken
from lofte.activities.models import Patrol, Seizure

from .base import BaseTestCase


class IdempotencyTests(BaseTestCase):
    def setUp(self):
        _, key = ApiToken.issue(self.officer, "phone")
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        self.visit = {"place": self.place.pk, "start": "2016-05-01T20:00:00", "end": "2016-05-01T20:12:00"}

    def post(self, path, body, key=None):
        headers = dict(self.auth) | ({"HTTP_IDEMPOTENCY_KEY": key} if key else {})
        return self.client.post(path, body, content_type="application/json", **headers)

    def test_the_same_patrol_posted_three_times_with_one_key_is_stored_once(self):
        answers = [self.post("/api/v1/patrols/", self.visit, key="7d1c-visit") for _ in range(3)]
        self.assertEqual([a.status_code for a in answers], [201, 201, 201])
        self.assertEqual(len({a.json()["id"] for a in answers}), 1)
        self.assertEqual(answers[2].json(), answers[0].json())
        self.assertEqual(Patrol.objects.count(), 1)

    def test_keys_are_forgotten_after_a_week(self):
        from datetime import timedelta

        from django.utils import timezone

        from lofte.activities.models import PostedRequest

        self.post("/api/v1/patrols/", self.visit, key="old")
        PostedRequest.objects.update(created_at=timezone.now() - timedelta(days=8))
        later = dict(self.visit, start="2016-05-02T20:00:00", end="2016-05-02T20:12:00")
        self.post("/api/v1/patrols/", later, key="new")
        self.assertEqual(list(PostedRequest.objects.values_list("key", flat=True)), ["new"])
        self.assertEqual(Patrol.objects.count(), 2)

    def test_without_a_key_each_post_is_a_new_visit(self):
        self.post("/api/v1/patrols/", self.visit)
        self.post("/api/v1/patrols/", self.visit)
        self.assertEqual(Patrol.objects.count(), 2)

    def test_a_key_used_for_another_body_is_refused(self):
        self.post("/api/v1/patrols/", self.visit, key="k1")
        other = dict(self.visit, end="2016-05-01T20:30:00")
        response = self.post("/api/v1/patrols/", other, key="k1")
        self.assertEqual((response.status_code, response.json()["errors"][0]["field"]), (422, "Idempotency-Key"))
        self.assertEqual(Patrol.objects.count(), 1)

    def test_a_failed_post_stores_nothing_and_can_be_retried_with_its_key(self):
        bad = dict(self.visit, place=self.other_place.pk)  # another organisation's area
        self.assertEqual(self.post("/api/v1/patrols/", bad, key="k2").status_code, 403)
        self.assertEqual(self.post("/api/v1/patrols/", bad, key="k2").status_code, 403)
        self.assertEqual(Patrol.objects.count(), 0)

    def test_seizures_take_keys_too_and_keys_are_per_user(self):
        seizure = {
            "date": "2016-05-01",
            "place": self.place.pk,
            "category": "weapon",
            "kind": "pistol",
            "quantity": 1,
            "unit": "piece",
        }
        first = self.post("/api/v1/seizures/", seizure, key="s1")
        again = self.post("/api/v1/seizures/", seizure, key="s1")
        self.assertEqual((first.status_code, again.json()["id"]), (201, first.json()["id"]))
        self.assertEqual(Seizure.objects.count(), 1)
        self.assertEqual(self.post("/api/v1/patrols/", self.visit, key="s1").status_code, 422)  # same user, other path

    def test_the_openapi_document_declares_the_header(self):
        document = self.client.get("/api/v1/openapi.json").json()
        parameters = document["paths"]["/api/v1/patrols/"]["post"]["parameters"]
        self.assertIn("Idempotency-Key", [p["name"] for p in parameters if p["in"] == "header"])
