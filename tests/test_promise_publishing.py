"""Publishing a promise through the API: the check's findings first, a reason to publish anyway."""

from lofte.accounts.models import ApiToken
from lofte.promises.check import check
from lofte.promises.models import Commitment, Promise

from .base import BaseTestCase


class PublishingTests(BaseTestCase):
    def as_user(self, user):
        return {"HTTP_AUTHORIZATION": "Bearer " + ApiToken.issue(user, "t")[1]}

    def publish(self, user, reason=None):
        body = {} if reason is None else {"reason": reason}
        url = f"/api/v1/promises/{self.draft.slug}/publish"
        return self.client.post(url, body, content_type="application/json", **self.as_user(user))

    def test_the_check_of_a_stored_promise(self):
        findings = check(self.promise).to_dict()["findings"]
        self.assertEqual([(f["commitment"], f["rule"]) for f in findings], [(None, "outcome")])
        Commitment.objects.create(promise=self.promise, text="Vi ska öka tryggheten", kind="target", position=2)
        rules = [(f.commitment is None, f.rule) for f in check(self.promise).findings]
        self.assertEqual(
            rules, [(False, "responsible"), (False, "measurable"), (False, "measurable"), (True, "outcome")]
        )

    def test_members_read_the_check_and_others_do_not(self):
        url = f"/api/v1/promises/{self.draft.slug}/check"
        answer = self.client.get(url, HTTP_ACCEPT_LANGUAGE="en", **self.as_user(self.officer)).json()
        self.assertEqual(
            answer["findings"][0],
            {
                "commitment": None,
                "rule": "commitments",
                "message": "Add at least one commitment: what will you do?",
                "key": "no_commitments",
                "numbers": {},
            },
        )
        self.assertEqual([f["key"] for f in answer["findings"]], ["no_commitments", "no_outcome"])
        self.assertFalse(answer["ok"])
        self.assertEqual(self.client.get(url, **self.as_user(self.outsider)).status_code, 404)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_check_speaks_the_pages_and_the_requests_language(self):
        """It said "Add at least one commitment" on Swedish pages (issue 24)."""
        url = f"/api/v1/promises/{self.draft.slug}/check"
        answer = self.client.get(url, **self.as_user(self.officer)).json()
        self.assertEqual(answer["findings"][0]["message"], "Lägg till minst ett åtagande: vad ska ni göra?")
        self.client.force_login(self.owner)
        swedish = self.client.get(f"/personal/loften/{self.draft.slug}/").content.decode()
        self.assertIn("Koppla minst ett utfall", swedish)
        self.assertNotIn("Link at least one outcome", swedish)
        english = self.client.get(f"/en/personal/loften/{self.draft.slug}/").content.decode()
        self.assertIn("Link at least one outcome", english)

    def test_publishing_with_findings_needs_a_reason(self):
        refused = self.publish(self.owner)
        self.assertEqual(refused.status_code, 409)
        self.assertEqual([f["rule"] for f in refused.json()["findings"]], ["commitments", "outcome"])
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Promise.Status.DRAFT)
        published = self.publish(self.owner, "Åtagandena skrivs på mötet i morgon")
        self.assertEqual((published.status_code, published.json()["status"]), (200, "published"))
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.publish_reason, "Åtagandena skrivs på mötet i morgon")
        self.assertEqual(self.draft.changed_by, self.owner)

    def test_the_work_page_stops_saying_before_publishing_once_published(self):
        """It kept saying "innan löftet publiceras" after the promise was published (issue 24)."""
        self.client.force_login(self.owner)
        page = self.client.get(f"/personal/loften/{self.draft.slug}/")
        self.assertContains(page, "2 saker att se över innan löftet publiceras")
        self.publish(self.owner, "Åtagandena skrivs på mötet i morgon")
        page = self.client.get(f"/personal/loften/{self.draft.slug}/")
        self.assertContains(page, "Det publicerade löftet har fortfarande 2 saker att se över")
        self.assertNotContains(page, "innan löftet publiceras")

    def test_a_clear_promise_publishes_without_a_reason(self):
        commitment = Commitment.objects.create(
            promise=self.draft, text="Patrullera torget", metric="patrol_visits_per_day", target_value=2, position=1
        )
        commitment.responsible.set([self.police])
        self.draft.outcome_incident_types = ["Skadegörelse"]
        self.draft.save()
        self.assertEqual(self.publish(self.owner).status_code, 200)
        self.draft.refresh_from_db()
        self.assertEqual((self.draft.status, self.draft.publish_reason), ("published", ""))

    def test_only_owners_of_a_party_publish(self):
        self.assertEqual(self.publish(self.officer, "x").status_code, 403)
        self.assertEqual(self.publish(self.outsider, "x").status_code, 404)
        self.assertEqual(self.client.post(f"/api/v1/promises/{self.draft.slug}/publish").status_code, 401)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Promise.Status.DRAFT)

    def test_a_target_far_beyond_the_pace_before_the_promise_is_flagged(self):
        from datetime import datetime, time, timedelta

        from django.utils import timezone

        from lofte.activities import services

        today = timezone.localdate()
        self.draft.period_start, self.draft.period_end = today + timedelta(days=10), today + timedelta(days=375)
        self.draft.save()
        for days_ago in range(1, 31):  # a visit a day for the last month: 30 in the 90 days before
            start = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(20)))
            services.log_patrol(self.officer, place=self.place.pk, start=start, end=start + timedelta(minutes=15))
        commitment = Commitment.objects.create(
            promise=self.draft, text="Tio besök om dagen", metric="patrol_visits_per_day", target_value=10, position=1
        )
        commitment.responsible.set([self.police])
        (finding,) = [f for f in check(self.draft).findings if f.rule == "reachable"]
        self.assertIn("more than 3 times the recent 0.33 a day", finding.message)
        commitment.target_value = 0.5
        commitment.save()
        self.assertFalse([f for f in check(self.draft).findings if f.rule == "reachable"])
