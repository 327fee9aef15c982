"""An area shared by several organisations shows each only what its own organisations may see: the
evidence matrix, the dialogue pages and the admin's add forms (issue 21)."""

from datetime import date

from lofte.accounts.models import Organisation, Role
from lofte.dialogues.evidence import evidence
from lofte.dialogues.models import CandidateProblem, Dialogue, Statement
from lofte.surveys.models import Item, Survey

from .base import BaseTestCase, member


class SharedAreaTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A housing company shares Biskopsgården with the police and the municipality.
        cls.housing = Organisation.objects.create(name="Bostadsbolaget", kind="housing")
        cls.housing.areas.add(cls.area)
        cls.housing_owner = member("housing-owner", cls.housing, Role.OWNER, is_staff=True)
        survey = Survey.objects.create(area=cls.area, slug="kommunens", name="Kommunens enkät")  # not published
        survey.organisations.set([cls.municipality])
        Item.objects.create(survey=survey, code="problem_shootings", texts={"sv": "Skottlossning", "en": "Shootings"},
                            options=[{"value": "1", "sv": "Ja", "en": "Yes"}])  # fmt: skip
        CandidateProblem.objects.create(area=cls.area, name="Skjutningar", survey_item="problem_shootings")
        cls.dialogue = Dialogue.objects.create(area=cls.area, held_on=date(2015, 4, 1), place="Torget",
                                               format="meeting", notes="Intern anteckning: vakten ringde")  # fmt: skip
        Statement.objects.create(area=cls.area, dialogue=cls.dialogue, text="Publicerat", status="published")
        Statement.objects.create(area=cls.area, dialogue=cls.dialogue, text="Avvisat", status="rejected")

    def test_it_shows_a_survey_only_to_those_who_may_read_its_results(self):
        [row] = evidence(self.area, self.coordinator)
        self.assertEqual(row.survey["question"], "Shootings")
        [row] = evidence(self.area, self.housing_owner)
        self.assertIsNone(row.survey)
        self.client.force_login(self.housing_owner)
        [api_row] = self.client.get("/api/v1/areas/bisk/evidence").json()
        self.assertIsNone(api_row["survey"])

    def test_it_keeps_a_dialogues_notes_and_unpublished_statements_to_the_areas_organisations(self):
        self.client.force_login(self.outsider)
        page = self.client.get(f"/en/personal/dialog/{self.dialogue.pk}/").content.decode()
        self.assertIn("Publicerat", page)
        self.assertNotIn("Avvisat", page)
        self.assertNotIn("Intern anteckning", page)
        self.client.force_login(self.coordinator)
        page = self.client.get(f"/en/personal/dialog/{self.dialogue.pk}/").content.decode()
        self.assertIn("Avvisat", page)
        self.assertIn("Intern anteckning", page)

    def test_the_admin_offers_only_areas_the_user_edits(self):
        self.client.force_login(self.owner)
        for model in ("statement", "theme", "opinionexercise", "candidateproblem", "dialogue"):
            form = self.client.get(f"/admin/dialogues/{model}/add/").context["adminform"].form
            self.assertEqual(list(form.fields["area"].queryset), [self.area], model)
        answer = self.client.post("/admin/dialogues/statement/add/",
                                  {"area": self.other_area.pk, "text": "Hjällbo", "status": "published"})  # fmt: skip
        self.assertEqual(answer.status_code, 200)  # the form again, with the area refused
        self.assertFalse(Statement.objects.filter(text="Hjällbo").exists())
