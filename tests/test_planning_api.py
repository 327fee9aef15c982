"""Planning through the API: drafts, changes, commitments and updates, with errors that name the field
and nothing half-stored."""

from lofte.accounts.models import ApiToken
from lofte.promises.models import Commitment, Promise, Update

from .base import BaseTestCase

DRAFT = {
    "area": "bisk",
    "slug": "torgen-2018",
    "title": "Tryggare torg",
    "problem": "Otrygghet på torgen kvällstid",
    "period_start": "2018-01-01",
    "period_end": "2018-12-31",
}


class PlanningApiTests(BaseTestCase):
    def send(self, method, url, body, user):
        headers = {"HTTP_AUTHORIZATION": "Bearer " + ApiToken.issue(user, "t")[1]}
        return getattr(self.client, method)(url, body, content_type="application/json", **headers)

    def test_an_owner_drafts_a_promise_with_their_organisation_as_party(self):
        answer = self.send("post", "/api/v1/promises/", DRAFT, self.owner)
        self.assertEqual(answer.status_code, 201, answer.content)
        promise = Promise.objects.get(slug="torgen-2018")
        self.assertEqual((promise.status, promise.created_by), (Promise.Status.DRAFT, self.owner))
        self.assertEqual(list(promise.parties.all()), [self.police])
        both = self.send(
            "post",
            "/api/v1/promises/",
            DRAFT | {"slug": "b", "parties": [self.police.pk, self.municipality.pk]},
            self.owner,
        )
        self.assertEqual(both.json()["parties"], ["LPO Hisingen"])  # the municipality is invited
        [invitation] = self.send("get", "/api/v1/invitations/", None, self.coordinator).json()
        self.assertEqual((invitation["promise"], invitation["organisation"]), ("b", "SDF Västra Hisingen"))
        self.assertEqual(self.send("post", f"/api/v1/invitations/{invitation['id']}/answer", {"accept": True},
                                   self.owner).status_code, 404)  # not the police's to answer  # fmt: skip
        answer = self.send("post", f"/api/v1/invitations/{invitation['id']}/answer", {"accept": True}, self.coordinator)
        self.assertEqual(answer.json()["status"], "accepted")
        self.assertEqual(self.send("get", "/api/v1/promises/b", None, self.owner).json()["parties"],
                         ["LPO Hisingen", "SDF Västra Hisingen"])  # fmt: skip
        again = self.send("post", f"/api/v1/invitations/{invitation['id']}/answer", {"accept": False}, self.coordinator)
        self.assertEqual(again.status_code, 409)

    def test_errors_name_the_field_and_store_nothing(self):
        cases = [
            (DRAFT | {"area": "hjallbo"}, "area"),  # another organisation's area
            (DRAFT | {"parties": [self.other_police.pk]}, "parties"),  # not linked to the area
            (DRAFT | {"municipality_only": 1, "parties": [self.municipality.pk]}, "parties"),  # none of mine
            (DRAFT | {"period_end": "2017-01-01"}, "period_end"),
            (DRAFT | {"slug": self.promise.slug}, "slug"),
            (DRAFT | {"slug": "Not a slug!"}, "slug"),
        ]
        for body, field in cases:
            answer = self.send("post", "/api/v1/promises/", body, self.owner)
            self.assertEqual(answer.status_code, 422, body)
            self.assertEqual(answer.json()["errors"][0]["field"], field, answer.json())
        self.assertFalse(Promise.objects.filter(slug="torgen-2018").exists())
        self.assertEqual(self.send("post", "/api/v1/promises/", DRAFT, self.officer).status_code, 403)

    def test_an_owner_changes_a_promise_and_adds_commitments_and_updates(self):
        url = f"/api/v1/promises/{self.draft.slug}"
        changed = self.send("patch", url, {"title": "Nytt namn", "outcome_incident_types": ["Rån"]}, self.coordinator)
        self.assertEqual((changed.status_code, changed.json()["title"]), (200, "Nytt namn"))
        self.draft.refresh_from_db()
        self.assertEqual((self.draft.outcome_incident_types, self.draft.problem), (["Rån"], "Otrygghet på torgen"))
        target = {
            "text": "Patrullera torget",
            "metric": "patrol_visits_per_day",
            "target_value": "2.5",
            "responsible": [self.police.pk],
            "places": [self.place.pk],
        }
        added = self.send("post", url + "/commitments/", target, self.owner)
        self.assertEqual(added.status_code, 201, added.content)
        self.assertEqual((added.json()["target"], added.json()["responsible"]), (2.5, ["LPO Hisingen"]))
        commitment = Commitment.objects.get(pk=added.json()["id"])
        self.assertEqual(list(commitment.places.all()), [self.place])
        patched = self.send("patch", f"/api/v1/commitments/{commitment.pk}", {"target_value": "3"}, self.owner)
        self.assertEqual(patched.json()["target"], 3.0)
        self.assertEqual(list(commitment.places.all()), [self.place])  # not given: unchanged
        update = self.send(
            "post",
            f"/api/v1/commitments/{commitment.pk}/updates/",
            {"published_on": "2016-06-01", "text": "Bra"},
            self.owner,
        )
        self.assertEqual(update.status_code, 201)
        self.assertEqual(Update.objects.get().created_by, self.owner)

    def test_commitment_errors_name_the_field_and_store_nothing(self):
        url = f"/api/v1/promises/{self.draft.slug}/commitments/"
        cases = [
            ({"text": "x", "kind": "milestone"}, "due_date"),
            ({"text": "x", "metric": "patrol_visits"}, "target_value"),
            ({"text": "x", "kind": "milestone", "due_date": "2016-06-01", "places": [self.other_place.pk]}, "places"),
            (
                {"text": "x", "kind": "milestone", "due_date": "2016-06-01", "responsible": [self.other_police.pk]},
                "responsible",
            ),
            ({"text": "x", "metric": "no_such_metric", "target_value": 1}, "metric"),
        ]
        for body, field in cases:
            answer = self.send("post", url, body, self.owner)
            self.assertEqual(answer.status_code, 422, body)
            self.assertEqual(answer.json()["errors"][0]["field"], field, answer.json())
        self.assertFalse(self.draft.commitments.exists())

    def test_only_owners_of_a_party_plan(self):
        url = f"/api/v1/promises/{self.draft.slug}"
        self.assertEqual(self.send("patch", url, {"title": "x"}, self.officer).status_code, 403)
        self.assertEqual(self.send("patch", url, {"title": "x"}, self.outsider).status_code, 404)
        commitment = f"/api/v1/commitments/{self.patrol_commitment.pk}"
        self.assertEqual(self.send("patch", commitment, {"text": "x"}, self.analyst).status_code, 403)
        # A published promise's commitments are public: refused, not hidden.
        self.assertEqual(self.send("patch", commitment, {"text": "x"}, self.outsider).status_code, 403)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.title, "Löfte draft-promise")
