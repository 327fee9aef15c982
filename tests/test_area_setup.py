"""An area's dialogue themes and candidate problems, set up in the product (issue 24 item 1)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from lofte.dialogues.models import CandidateProblem, Statement, Theme
from lofte.incidents import importer
from lofte.incidents.models import ImportRun
from lofte.surveys.models import Item, Survey

from .base import BaseTestCase
from .test_situation import record


class AreaSetupTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.theme = Theme.objects.create(area=cls.area, name="Skadegörelse")
        cls.foreign_theme = Theme.objects.create(area=cls.other_area, name="Främmande")
        survey = Survey.objects.create(area=cls.area, slug="trygghet", name="Trygghet")
        survey.organisations.set([cls.police])
        Item.objects.create(
            survey=survey, code="problem_vandalism", texts={"sv": "Skadegörelse", "en": "Vandalism"}, options=[]
        )
        run = ImportRun.objects.create(source="t", format="t", file_name="t", file_sha256="t")
        importer.load([record(1, datetime(2016, 5, 10, 20, tzinfo=ZoneInfo("Europe/Stockholm")))], run)

    def test_it_adds_a_candidate_problem_from_the_areas_own_question_types_and_themes(self):
        self.client.force_login(self.owner)
        page = self.client.get("/en/personal/omraden/bisk/teman/")
        self.assertContains(page, "problem_vandalism: Vandalism")
        self.assertNotContains(page, "Främmande")  # another area's theme is no choice here
        response = self.client.post("/en/personal/omraden/bisk/teman/", {
            "add": "candidate", "name": "Skadegörelse", "survey_item": "problem_vandalism",
            "incident_types": ["Skadegörelse"], "themes": [self.theme.pk],
        })  # fmt: skip
        self.assertRedirects(response, "/en/personal/omraden/bisk/teman/")
        added = CandidateProblem.objects.get(area=self.area)
        self.assertEqual((added.survey_item, added.incident_types), ("problem_vandalism", ["Skadegörelse"]))
        self.assertEqual(list(added.themes.all()), [self.theme])
        evidence = self.client.get("/en/personal/omraden/bisk/underlag/")
        self.assertContains(evidence, "Skadegörelse")

    def test_it_refuses_another_areas_theme_a_type_the_area_lacks_and_a_name_twice(self):
        self.client.force_login(self.owner)
        CandidateProblem.objects.create(area=self.area, name="Rån")
        response = self.client.post("/en/personal/omraden/bisk/teman/", {
            "add": "candidate", "name": "rån", "incident_types": ["Mord"], "themes": [self.foreign_theme.pk],
        })  # fmt: skip
        self.assertEqual(response.status_code, 400)
        errors = response.context["candidate_form"].errors
        self.assertEqual(set(errors), {"name", "incident_types", "themes"})
        self.assertEqual(CandidateProblem.objects.filter(area=self.area).count(), 1)

    def test_it_adds_and_renames_a_theme_and_removes_it_only_while_no_statement_is_filed_under_it(self):
        self.client.force_login(self.analyst)
        self.client.post("/en/personal/omraden/bisk/teman/", {"add": "theme", "name": "Trafik", "name_en": "Traffic"})
        traffic = Theme.objects.get(area=self.area, name="Trafik")
        self.client.post(f"/en/personal/teman/{traffic.pk}/", {"name": "Trafiken", "name_en": "Traffic"})
        traffic.refresh_from_db()
        self.assertEqual(traffic.name, "Trafiken")
        Statement.objects.create(area=self.area, text="Bilar kör fort").themes.set([traffic])
        response = self.client.post(f"/en/personal/teman/{traffic.pk}/", {"action": "delete"}, follow=True)
        self.assertContains(response, "1 statement is filed under this theme: rename it instead.")
        self.assertTrue(Theme.objects.filter(pk=traffic.pk).exists())
        self.client.post(f"/en/personal/teman/{self.theme.pk}/", {"action": "delete"})
        self.assertFalse(Theme.objects.filter(pk=self.theme.pk).exists())

    def test_it_changes_and_removes_a_candidate_problem(self):
        problem = CandidateProblem.objects.create(area=self.area, name="Rån", survey_item="gone_question")
        self.client.force_login(self.owner)
        page = self.client.get(f"/en/personal/problem/{problem.pk}/")
        self.assertContains(page, 'value="gone_question"')  # kept choosable, never dropped silently
        self.client.post(f"/en/personal/problem/{problem.pk}/", {"name": "Rån och hot", "survey_item": "gone_question"})
        problem.refresh_from_db()
        self.assertEqual((problem.name, problem.survey_item), ("Rån och hot", "gone_question"))
        self.client.post(f"/en/personal/problem/{problem.pk}/", {"action": "delete"})
        self.assertFalse(CandidateProblem.objects.filter(pk=problem.pk).exists())

    def test_an_officer_and_another_organisation_are_refused(self):
        problem = CandidateProblem.objects.create(area=self.area, name="Rån")
        for user in (self.officer, self.outsider):
            self.client.force_login(user)
            self.assertEqual(self.client.get("/en/personal/omraden/bisk/teman/").status_code, 404)
            self.assertEqual(
                self.client.post(f"/en/personal/teman/{self.theme.pk}/", {"action": "delete"}).status_code, 404
            )
            self.assertEqual(
                self.client.post(f"/en/personal/problem/{problem.pk}/", {"action": "delete"}).status_code, 404
            )
        self.assertTrue(Theme.objects.filter(pk=self.theme.pk).exists())
        self.assertTrue(CandidateProblem.objects.filter(pk=problem.pk).exists())
