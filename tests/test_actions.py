"""Actions of the shared situation picture (issue 25, item 5): recorded by the area's partners, linked
to the observations they answer, followed up with a status and a note the reporters read; nothing of
another area's can be named, seen or changed."""

from datetime import timedelta

from django.utils import timezone

from lofte.accounts.models import ApiToken, Role
from lofte.observations.models import Action, Category, Observation

from .base import PartnersTestCase, member


class ActionTests(PartnersTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other_reporter = member("rapportor-2", cls.housing, Role.REPORTER)
        cls.viewer = member("viewer", cls.municipality, Role.VIEWER)
        cls.foreign_owner = member("foreign-owner", cls.other_police, Role.OWNER)
        day = timezone.localdate() - timedelta(days=3)
        gathering = Category.objects.get(code="gathering")
        cls.seen = Observation.objects.create(
            area=cls.area, organisation=cls.housing, category=gathering, occurred_on=day, place=cls.place,
            lon=cls.place.lon, lat=cls.place.lat, count=12, created_by=cls.reporter,
        )  # fmt: skip
        cls.elsewhere = Observation.objects.create(
            area=cls.other_area, organisation=cls.other_police, category=gathering, occurred_on=day,
            lon=12.025, lat=57.775,
        )  # fmt: skip

    def api(self, user, method, url, data=None):
        token = "Bearer " + ApiToken.issue(user, "t")[1]
        return getattr(self.client, method)(url, data, content_type="application/json", HTTP_AUTHORIZATION=token)

    def test_a_coordinator_records_an_action_and_the_reporter_reads_what_became_of_the_report(self):
        self.client.force_login(self.coordinator)
        page = self.client.get(f"/personal/atgarder/ny/?area=bisk&observation={self.seen.pk}")
        self.assertContains(page, "Samling av personer som skapar otrygghet, Vårväderstorget")
        self.assertContains(page, f'name="observations" value="{self.seen.pk}"')
        self.assertNotContains(page, f'name="observations" value="{self.elsewhere.pk}"')
        sent = self.client.post(f"/personal/atgarder/ny/?area=bisk&observation={self.seen.pk}", {
            "title": "Väktare på torget fredag och lördag kväll", "organisation": self.housing.pk,
            "category": "gathering", "place": self.place.pk, "observations": [self.seen.pk],
            "due": (timezone.localdate() + timedelta(days=7)).isoformat(), "status": "planned",
        }, follow=True)  # fmt: skip
        self.assertContains(sent, "Åtgärden är registrerad")
        action = Action.objects.get()
        self.assertEqual((action.area, action.organisation, list(action.observations.all())),
                         (self.area, self.housing, [self.seen]))  # fmt: skip
        self.client.force_login(self.reporter)
        self.assertContains(self.client.get("/rapportera/"), 'data-feedback="planned"')
        done = self.api(self.coordinator, "patch", f"/api/v1/actions/{action.pk}",
                        {"status": "done", "public_note": "Väktare fanns på torget båda kvällarna."})  # fmt: skip
        self.assertEqual(done.status_code, 200, done.content)
        self.assertEqual(done.json()["done_on"], timezone.localdate().isoformat())
        (mine,) = self.api(self.reporter, "get", "/api/v1/observations/").json()
        self.assertEqual(mine["actions"][0]["status"], "done")
        self.assertEqual(mine["actions"][0]["public_note"], "Väktare fanns på torget båda kvällarna.")
        self.assertContains(self.client.get("/rapportera/"), "Väktare fanns på torget båda kvällarna.")
        # The reporter's colleague reported nothing it answers and sees nothing of it.
        self.assertEqual(self.api(self.other_reporter, "get", "/api/v1/actions/").json(), [])
        self.client.force_login(self.other_reporter)
        self.assertEqual(self.client.get(f"/personal/atgarder/{action.pk}/").status_code, 404)

    def test_nothing_of_another_area_can_be_named_seen_or_changed(self):
        body = {"area": "bisk", "title": "Belysning", "organisation": self.police.pk}
        self.assertEqual(self.api(self.foreign_owner, "post", "/api/v1/actions/", body).status_code, 422)
        self.assertEqual(self.api(self.reporter, "post", "/api/v1/actions/", body).status_code, 403)
        for change, field in [
            ({"organisation": self.other_police.pk}, "organisation"),  # not one of the area's
            ({"observations": [self.elsewhere.pk]}, "observations"),  # another area's observation
            ({"place": self.other_place.pk}, "place"),
            ({"category": "nonsense"}, "category"),
            ({"title": " "}, "title"),
        ]:
            answer = self.api(self.owner, "post", "/api/v1/actions/", body | change)
            self.assertEqual(answer.status_code, 422, change)
            self.assertEqual(answer.json()["errors"][0]["field"], field)
        self.assertFalse(Action.objects.exists())
        mine = self.api(self.owner, "post", "/api/v1/actions/", body | {"observations": [self.seen.pk]}).json()
        self.assertEqual(self.api(self.foreign_owner, "get", "/api/v1/actions/").json(), [])
        self.assertEqual(self.api(self.foreign_owner, "patch", f"/api/v1/actions/{mine['id']}", {}).status_code, 404)
        # A reporter sees the action that answers their report, but may not change it; nor may a viewer.
        self.assertEqual(self.api(self.reporter, "patch", f"/api/v1/actions/{mine['id']}", {}).status_code, 403)
        self.assertEqual(self.api(self.viewer, "patch", f"/api/v1/actions/{mine['id']}", {}).status_code, 403)
        self.assertEqual(self.api(self.viewer, "get", "/api/v1/actions/").json()[0]["id"], mine["id"])
        self.client.force_login(self.foreign_owner)
        self.assertEqual(self.client.get(f"/personal/atgarder/{mine['id']}/").status_code, 404)
        self.assertEqual(self.client.get("/personal/atgarder/ny/?area=bisk").status_code, 200)  # asks for an area
        self.assertNotContains(self.client.get("/personal/atgarder/ny/?area=bisk"), "Vårväderstorget")

    def test_a_declined_action_says_why_and_no_note_holds_personal_data(self):
        body = {"area": "bisk", "title": "Beskär buskarna", "organisation": self.municipality.pk}
        action = self.api(self.owner, "post", "/api/v1/actions/", body).json()
        url = f"/api/v1/actions/{action['id']}"
        declined = self.api(self.owner, "patch", url, {"status": "declined"})
        self.assertEqual((declined.status_code, declined.json()["errors"][0]["field"]), (422, "public_note"))
        personal = self.api(self.owner, "patch", url, {"status": "declined", "public_note": "Ring 070-123 45 67"})
        self.assertEqual((personal.status_code, personal.json()["errors"][0]["field"]), (422, "public_note"))
        future = (timezone.localdate() + timedelta(days=2)).isoformat()
        early = self.api(self.owner, "patch", url, {"status": "done", "done_on": future})
        self.assertEqual((early.status_code, early.json()["errors"][0]["field"]), (422, "done_on"))
        self.assertEqual(Action.objects.get().status, "planned")  # nothing refused was stored
        said = self.api(self.owner, "patch", url, {"status": "declined", "public_note": "Buskarna är fridlysta."})
        self.assertEqual((said.json()["status"], said.json()["done_on"]), ("declined", None))

    def test_the_week_page_lists_the_areas_open_actions(self):
        Action.objects.create(area=self.area, organisation=self.police, title="Riktad patrull", place=self.place)
        Action.objects.create(area=self.other_area, organisation=self.other_police, title="Hjällbos åtgärd")
        self.client.force_login(self.coordinator)
        page = self.client.get("/personal/omraden/bisk/vecka/")
        self.assertContains(page, "Riktad patrull")
        self.assertNotContains(page, "Hjällbos åtgärd")
        self.assertContains(self.client.get("/personal/atgarder/?status=open"), "Riktad patrull")
        self.assertNotContains(self.client.get("/personal/atgarder/"), "Hjällbos åtgärd")

    def test_a_commitment_counts_the_areas_done_actions_as_activities(self):
        """Issue 25, item 5: an action of the shared situation picture can be what a promise commits to."""
        from datetime import date

        from lofte.promises.follow_up import follow_up
        from lofte.promises.models import Commitment

        commitment = Commitment.objects.create(
            promise=self.promise, text="Minst tre åtgärder från den gemensamma lägesbilden", kind="target",
            metric="activities", filter_kind="est_action", comparator=">=", target_value=3,
        )  # fmt: skip
        today = date(2017, 3, 1)
        for day, status, area in [
            (date(2016, 4, 1), "done", self.area),
            (date(2016, 9, 1), "done", self.area),
            (date(2016, 10, 1), "declined", self.area),  # not done: not counted
            (date(2016, 11, 1), "done", self.other_area),  # another area's
            (date(2015, 11, 1), "done", self.area),  # before the promise
        ]:
            Action.objects.create(area=area, organisation=self.housing if area == self.area else self.other_police,
                                  title="Åtgärd", status=status, done_on=day if status == "done" else None)  # fmt: skip
        progress = follow_up(self.promise, today).progress[commitment.pk]
        self.assertEqual((progress.actual, progress.status), (2, "partly_kept"))
        Action.objects.create(area=self.area, organisation=self.housing, title="En till", status="done",
                              done_on=date(2017, 1, 10))  # fmt: skip
        progress = follow_up(self.promise, today).progress[commitment.pk]  # a new action shows at once
        self.assertEqual((progress.actual, progress.status), (3, "kept"))
