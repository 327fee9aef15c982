"""Starting a survey in the product, not the admin (issue 24 item 1)."""

from lofte.surveys.models import Survey

from .base import BaseTestCase


class NewSurveyTests(BaseTestCase):
    def test_an_owner_starts_a_survey_and_adds_its_first_wave_on_its_page(self):
        self.client.force_login(self.owner)
        self.assertContains(self.client.get("/en/enkater/"), 'href="/en/enkater/ny/"')
        response = self.client.post("/en/enkater/ny/", {
            "name": "Trygghet Biskopsgården", "organisation": self.police.pk, "area": self.area.pk, "anonymous": "on",
        })  # fmt: skip
        survey = Survey.objects.get(name="Trygghet Biskopsgården")
        self.assertRedirects(response, f"/en/enkater/{survey.slug}/")
        self.assertEqual((survey.slug, survey.area, survey.anonymous), ("trygghet-biskopsgarden", self.area, True))
        self.assertEqual(list(survey.organisations.all()), [self.police])
        self.assertEqual(survey.created_by, self.owner)
        wave = self.client.post(f"/en/enkater/{survey.slug}/vagor/", {
            "kind": "baseline", "label": "hösten 2026", "opens_on": "2026-09-01", "closes_on": "2026-10-01",
        })  # fmt: skip
        self.assertEqual(wave.status_code, 302)
        self.assertEqual(survey.waves.count(), 1)
        # The same name again gets an address of its own.
        self.client.post("/en/enkater/ny/", {"name": "Trygghet Biskopsgården", "organisation": self.police.pk,
                                             "area": self.area.pk})  # fmt: skip
        self.assertTrue(Survey.objects.filter(slug="trygghet-biskopsgarden-2", anonymous=False).exists())

    def test_it_refuses_another_organisations_name_and_an_area_the_organisation_lacks(self):
        self.client.force_login(self.owner)
        foreign = self.client.post("/en/enkater/ny/", {"name": "X", "organisation": self.other_police.pk,
                                                        "area": self.other_area.pk})  # fmt: skip
        self.assertEqual(foreign.status_code, 400)
        self.assertEqual(set(foreign.context["form"].errors), {"organisation", "area"})
        self.assertFalse(Survey.objects.exists())

    def test_officers_and_the_public_cannot_start_one(self):
        self.client.force_login(self.officer)
        self.assertEqual(self.client.get("/en/enkater/ny/").status_code, 403)
        self.assertNotContains(self.client.get("/en/enkater/"), "/en/enkater/ny/")
        self.client.logout()
        self.assertEqual(self.client.get("/en/enkater/ny/").status_code, 302)  # to the login page

    def test_an_owner_renames_a_survey_and_makes_its_results_public_and_an_officer_cannot(self):
        survey = Survey.objects.create(area=self.area, slug="trygghet", name="Trygghet")
        survey.organisations.set([self.police])
        self.client.force_login(self.officer)
        self.assertNotContains(self.client.get("/en/enkater/trygghet/"), "/en/enkater/trygghet/andra/")
        self.assertEqual(self.client.post("/en/enkater/trygghet/andra/", {"name": "X"}).status_code, 403)
        self.client.force_login(self.owner)
        self.assertContains(self.client.get("/en/enkater/trygghet/"), "/en/enkater/trygghet/andra/")
        self.client.post("/en/enkater/trygghet/andra/", {"name": "Trygghet 2026", "published": "on"})
        survey.refresh_from_db()
        self.assertEqual((survey.name, survey.published, survey.changed_by), ("Trygghet 2026", True, self.owner))
        self.client.logout()
        self.assertEqual(self.client.get("/en/enkater/trygghet/resultat/").status_code, 200)  # public now
        self.client.force_login(self.owner)
        self.client.post("/en/enkater/trygghet/andra/", {"name": "Trygghet 2026"})  # taken back
        self.client.logout()
        self.assertEqual(self.client.get("/en/enkater/trygghet/resultat/").status_code, 404)
