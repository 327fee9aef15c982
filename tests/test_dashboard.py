"""The staff dashboard: each promise with what needs doing, and the surveys open now."""

from datetime import timedelta

from django.utils import timezone

from lofte.promises.models import Commitment, Promise, Update
from lofte.surveys.models import Survey, Wave

from .base import BaseTestCase


class DashboardToDoTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        today = timezone.localdate()
        cls.running = cls.make_promise("running", Promise.Status.PUBLISHED)
        cls.running.period_start, cls.running.period_end = today - timedelta(days=100), today + timedelta(days=265)
        cls.running.save()

        def commitment(position, **fields):  # noqa: E306
            c = Commitment.objects.create(promise=cls.running, position=position, text=f"Åtagande {position}", **fields)
            c.responsible.set([cls.police])
            return c

        cls.soon = commitment(1, kind="milestone", due_date=today + timedelta(days=10))
        cls.late = commitment(2, kind="milestone", due_date=today - timedelta(days=5))
        cls.done = commitment(3, kind="milestone", due_date=today - timedelta(days=5), done_date=today)
        cls.patrols = commitment(4, metric="patrol_visits_per_day", target_value=2.5)
        Update.objects.create(commitment=cls.done, published_on=today - timedelta(days=3), text="Klart")
        survey = Survey.objects.create(area=cls.area, slug="trygghet", name="Trygghetsundersökning")
        survey.organisations.set([cls.police])
        Wave.objects.create(survey=survey, kind="follow_up", label="hösten", opens_on=today - timedelta(days=2),
                            closes_on=today + timedelta(days=20))  # fmt: skip

    def test_it_lists_what_needs_doing_most_urgent_first(self):
        self.client.force_login(self.owner)
        page = self.client.get("/en/personal/")
        todo = [(item.kind, item.commitment and item.commitment.position) for item in self.items(page, "running")]
        self.assertEqual(
            todo,
            [("overdue", 2), ("due", 1), ("behind", 4), ("quiet", 1), ("quiet", 2), ("quiet", 4)],
        )
        self.assertContains(page, "No update for residents for 100 days.")

    def test_a_draft_with_findings_asks_for_the_check(self):
        self.client.force_login(self.owner)
        items = self.items(self.client.get("/en/personal/"), "draft-promise")
        self.assertEqual([item.kind for item in items], ["check"])

    def test_it_lists_the_surveys_open_now_for_their_organisations(self):
        self.client.force_login(self.officer)
        self.assertContains(self.client.get("/en/personal/"), "Trygghetsundersökning")
        self.client.force_login(self.outsider)
        self.assertNotContains(self.client.get("/en/personal/"), "Trygghetsundersökning")

    def items(self, page, slug):
        return next(row["todo"] for row in page.context["rows"] if row["promise"].slug == slug)
