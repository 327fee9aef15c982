"""A published promise keeps a public record of every change: what, when, by which party and why
(issue 24: a target lowered from 2 to 0.5 a day left no public trace)."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from lofte.accounts.models import ApiToken
from lofte.activities.models import Patrol
from lofte.promises import planning
from lofte.promises.models import Revision

from .base import BaseTestCase


class HistoryTests(BaseTestCase):
    def edit_url(self, commitment):
        return f"/en/personal/ataganden/{commitment.pk}/"

    def form(self, commitment, **changed):
        values = {
            "text": commitment.text, "text_en": commitment.text_en, "kind": commitment.kind,
            "metric": commitment.metric, "comparator": commitment.comparator, "target_value": commitment.target_value,
            "unit": commitment.unit, "unit_en": commitment.unit_en, "measure": commitment.measure,
            "responsible": [org.pk for org in commitment.responsible.all()],
        }  # fmt: skip
        return {k: v for k, v in (values | changed).items() if v is not None}

    def test_a_lowered_target_needs_a_reason_and_is_shown_to_everyone(self):
        self.client.force_login(self.owner)
        url = self.edit_url(self.patrol_commitment)
        refused = self.client.post(url, self.form(self.patrol_commitment, target_value="0.5"))
        self.assertEqual(refused.status_code, 400)
        self.assertIn("say why", " ".join(refused.context["form"].errors["reason"]))
        self.patrol_commitment.refresh_from_db()
        self.assertEqual(self.patrol_commitment.target_value, Decimal("2.5"))
        self.assertFalse(Revision.objects.exists())
        reason = "Två poliser färre i området sedan augusti"
        saved = self.client.post(url, self.form(self.patrol_commitment, target_value="0.5", reason=reason))
        self.assertEqual(saved.status_code, 302, saved.content[:3000])
        self.client.logout()
        page = self.client.get(f"/en/loften/{self.promise.slug}/").content.decode()
        self.assertIn("data-changed", page)
        self.assertIn("data-changed-commitment", page)
        history = self.client.get(f"/en/loften/{self.promise.slug}/historik/").content.decode()
        for words in ("Target value", "2.5", "0.5", reason, "LPO Hisingen"):
            self.assertIn(words, history)
        self.assertNotIn(self.owner.username, history)  # the party is public, the person is not
        swedish = self.client.get(f"/loften/{self.promise.slug}/historik/").content.decode()
        self.assertIn("<td>2,5</td><td>0,5</td>", swedish)
        (row,) = self.client.get(f"/api/v1/promises/{self.promise.slug}/history").json()
        self.assertEqual((row["subject"], row["action"], row["reason"], row["party"]),
                         ("commitment", "changed", reason, "LPO Hisingen"))  # fmt: skip
        self.assertEqual([(f["field"], f["old"], f["new"]) for f in row["fields"]], [("target_value", "2.5", "0.5")])

    def test_the_api_takes_the_reason_and_a_text_change_needs_none(self):
        token = {"HTTP_AUTHORIZATION": "Bearer " + ApiToken.issue(self.owner, "t")[1]}
        url = f"/api/v1/commitments/{self.patrol_commitment.pk}"
        refused = self.client.patch(url, {"due_date": "2016-12-01", "kind": "milestone"}, "application/json", **token)
        self.assertEqual(refused.status_code, 422, refused.content)
        self.assertEqual(refused.json()["errors"][0]["field"], "reason")
        text = {"text": "Patrullera Vårväderstorget minst 2,5 gånger per dag"}
        self.assertEqual(self.client.patch(url, text, "application/json", **token).status_code, 200)
        later = {"period_end": "2017-05-31", "reason": "Förlängt efter beslut i styrgruppen"}
        answer = self.client.patch(f"/api/v1/promises/{self.promise.slug}", later, "application/json", **token)
        self.assertEqual(answer.status_code, 200, answer.content)
        rows = self.client.get(f"/api/v1/promises/{self.promise.slug}/history").json()
        self.assertEqual([(r["subject"], [f["field"] for f in r["fields"]]) for r in rows],
                         [("promise", ["period_end"]), ("commitment", ["text"])])  # fmt: skip

    def test_drafts_change_freely_and_places_of_a_published_promise_leave_a_trace(self):
        planning.change_promise(self.owner, self.draft, title="Ny titel", period_end="2017-06-30")
        self.assertFalse(self.draft.changes.exists())
        planning.change_place(self.owner, self.place, name="Vårväderstorget norra")
        (moved,) = self.promise.changes.all()
        self.assertEqual((moved.subject, moved.fields), ("place", [
            {"field": "name", "old": "Vårväderstorget", "new": "Vårväderstorget norra"}]))  # fmt: skip
        self.assertEqual(self.client.get(f"/en/loften/{self.draft.slug}/historik/").status_code, 404)

    def test_a_withdrawn_promise_stays_readable_with_its_reason(self):
        self.client.force_login(self.owner)
        work = f"/en/personal/loften/{self.promise.slug}/"
        self.assertContains(self.client.get(work), "data-withdraw")
        nothing = self.client.post(work + "dra-tillbaka/", {"withdraw_reason": " "}, follow=True)
        self.assertContains(nothing, "Say why the promise is withdrawn")
        reason = "Polisen har flyttat resurserna till ett annat område"
        self.client.post(work + "dra-tillbaka/", {"withdraw_reason": reason})
        self.promise.refresh_from_db()
        self.assertEqual((self.promise.status, self.promise.withdraw_reason), ("withdrawn", reason))
        self.client.logout()
        page = self.client.get(f"/en/loften/{self.promise.slug}/")
        self.assertContains(page, "data-withdrawn")
        self.assertContains(page, reason)
        self.assertIn(self.promise.slug, [p["slug"] for p in self.client.get("/api/v1/promises/").json()])
        (row,) = self.client.get(f"/api/v1/promises/{self.promise.slug}/history").json()
        self.assertEqual((row["action"], row["reason"]), ("withdrawn", reason))
        token = {"HTTP_AUTHORIZATION": "Bearer " + ApiToken.issue(self.owner, "t")[1]}
        again = self.client.post(f"/api/v1/promises/{self.promise.slug}/withdraw", {"reason": "x"},
                                 "application/json", **token)  # fmt: skip
        self.assertEqual(again.status_code, 409)
        draft = self.client.post(f"/api/v1/promises/{self.draft.slug}/withdraw", {"reason": "x"},
                                 "application/json", **token)  # fmt: skip
        self.assertEqual(draft.status_code, 409)


class ShortestVisitTests(BaseTestCase):
    """Issue 24: how long a visit must last to count is the owners' choice per promise, kept on the
    record like a target (a lower minimum raises the count), and shown on the dosage page."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        start = datetime(2016, 3, 1, 19, tzinfo=ZoneInfo("Europe/Stockholm"))
        for day, minutes in enumerate([0.5, 3, 3, 12, 15]):
            began = start + timedelta(days=day)
            Patrol.objects.create(
                place=cls.place, organisation=cls.police, start=began, end=began + timedelta(minutes=minutes)
            )

    def visits(self):
        data = self.client.get(f"/api/v1/promises/{self.promise.slug}").json()
        return data["commitments"][0]["numbers"]["visits"]

    def test_owners_set_the_shortest_visit_that_counts_with_a_reason(self):
        self.assertEqual(self.visits(), 4)  # the site's default, one minute: the half-minute visit does not count
        token = {"HTTP_AUTHORIZATION": "Bearer " + ApiToken.issue(self.owner, "t")[1]}
        url = f"/api/v1/promises/{self.promise.slug}"
        refused = self.client.patch(url, {"min_visit_minutes": 5}, "application/json", **token)
        self.assertEqual(refused.json()["errors"][0]["field"], "reason")
        reason = "Besök under fem minuter är att åka förbi, inte närvaro"
        changed = {"min_visit_minutes": 5, "reason": reason}
        self.assertEqual(self.client.patch(url, changed, "application/json", **token).status_code, 200)
        self.assertEqual(self.visits(), 2)
        (row,) = self.client.get(f"/api/v1/promises/{self.promise.slug}/history").json()
        self.assertEqual((row["reason"], row["fields"][0]["old"], row["fields"][0]["new"]), (reason, "", "5"))
        self.client.force_login(self.owner)
        page = self.client.get(f"/en/loften/{self.promise.slug}/dosering/")
        self.assertContains(page, 'data-min-minutes="5.0"')
        self.assertContains(page, "Visits shorter than 5 min do not count towards the promise's targets: 3 visits")
        self.assertContains(page, f"/en/personal/loften/{self.promise.slug}/andra/#id_min_visit_minutes")
        self.client.force_login(self.officer)
        page = self.client.get(f"/en/loften/{self.promise.slug}/dosering/")
        self.assertContains(page, "Visits shorter than 5 min")
        self.assertNotContains(page, "#id_min_visit_minutes")
