"""Survey owners change their survey on its staff page: waves and their opening, questions from the
item bank or written there; questions stop changing once answers have come in."""

from datetime import date, timedelta

from django.utils import timezone

from lofte.surveys.models import Item, Response, Survey, Wave

from .base import BaseTestCase


class SurveyEditingTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.survey = Survey.objects.create(area=cls.area, slug="trygghet", name="Trygghet")
        cls.survey.organisations.set([cls.municipality])

    def setUp(self):
        self.client.force_login(self.coordinator)

    def post(self, path, data):
        return self.client.post(f"/en/enkater/trygghet/{path}", data, follow=True)

    def test_an_owner_adds_a_wave_and_opens_and_closes_it(self):
        answer = self.post("vagor/", {"kind": "follow_up", "label": "hösten 2027", "opens_on": "2027-09-01",
                                      "closes_on": "2027-10-15"})  # fmt: skip
        self.assertContains(answer, "Saved.")
        wave = Wave.objects.get(label="hösten 2027")
        today = timezone.localdate()
        self.post(f"vagor/{wave.pk}/", {"action": "open"})
        wave.refresh_from_db()
        self.assertTrue(wave.opens_on <= today <= wave.closes_on)
        self.post(f"vagor/{wave.pk}/", {"action": "close"})
        wave.refresh_from_db()
        self.assertEqual(wave.closes_on, today - timedelta(days=1))
        bad = self.post(
            "vagor/", {"kind": "baseline", "label": "x", "opens_on": "2027-10-01", "closes_on": "2027-09-01"}
        )
        self.assertContains(bad, "closes_on")
        self.assertFalse(Wave.objects.filter(label="x").exists())

    def test_questions_come_from_the_bank_or_are_written_without_json(self):
        self.assertContains(self.post("fragor/bank/", {"codes": ["problem_litter", "problem_vandalism"]}), "Saved.")
        self.assertEqual(
            list(self.survey.items.values_list("code", flat=True)), ["problem_litter", "problem_vandalism"]
        )
        written = {
            "code": "trygg_hallplats",
            "text_sv": "Hur trygg känner du dig vid hållplatsen på kvällen?",
            "text_en": "How safe do you feel at the stop in the evening?",
            "options": "1; Mycket trygg; Very safe\n2; Ganska trygg; Fairly safe\n3; Ganska otrygg; Fairly unsafe\n"
            "4; Mycket otrygg; Very unsafe\n9; Vet inte; Don't know; missing",
            "indicator": "3,4",
            "better": "lower",
        }
        self.assertContains(self.post("fragor/ny/", written), "Saved.")
        item = Item.objects.get(code="trygg_hallplats")
        self.assertEqual(
            (item.indicator, item.missing_values(), item.texts["en"]), (["3", "4"], {"9"}, written["text_en"])
        )
        self.assertContains(self.post("fragor/ny/", written | {"options": "1; Ja"}), "at least two answers")
        self.assertContains(
            self.post("fragor/ny/", written | {"code": "x", "indicator": "7"}), "Not answers of the question"
        )
        self.assertContains(self.post("fragor/ny/", written), "a question with this code already")

    def test_questions_stop_changing_once_answers_have_come_in(self):
        wave = Wave.objects.create(survey=self.survey, kind="baseline", label="2026", opens_on=date(2026, 1, 1),
                                   closes_on=date(2026, 2, 1))  # fmt: skip
        Response.objects.create(wave=wave, answers={}, submitted_on=date(2026, 1, 10))
        answer = self.post("fragor/bank/", {"codes": ["problem_litter"]})
        self.assertContains(answer, "the questions can no longer change")
        self.assertFalse(self.survey.items.exists())

    def test_only_the_people_who_run_the_survey_change_it(self):
        from lofte.accounts.models import Role

        from .base import member

        municipal_officer = member("kommunal-officer", self.municipality, Role.OFFICER)
        for user, status in ((municipal_officer, 403), (self.officer, 404)):
            self.client.force_login(user)
            answer = self.client.post("/en/enkater/trygghet/fragor/bank/", {"codes": ["problem_litter"]})
            self.assertEqual(answer.status_code, status)
        self.assertFalse(self.survey.items.exists())

    def test_the_staff_page_and_the_deploy_check_warn_of_the_default_public_address(self):
        from django.core.management import call_command
        from django.test import override_settings

        self.assertContains(self.client.get("/en/enkater/trygghet/"), "LOFTE_PUBLIC_URL) is left at its default")
        with override_settings(LOFTE_PUBLIC_URL="https://trygghet.goteborg.se"):
            self.assertNotContains(self.client.get("/en/enkater/trygghet/"), "LOFTE_PUBLIC_URL")
        import io

        out = io.StringIO()
        call_command("check", "--deploy", stdout=out, stderr=out, fail_level="CRITICAL")
        self.assertIn("lofte.W001", out.getvalue())
