"""Residents' reports of unsafe places (issue 25, item 3): a public form without an account, shown only
after moderation, followed up with a status and an action; the e-mail address a resident leaves is
never shown, is used once the status changes, and is deleted after the set time."""

import io
import zipfile
from datetime import timedelta

from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from lofte.accounts.models import Role
from lofte.observations import residents
from lofte.observations.models import Action, ResidentReport

from .base import PartnersTestCase, member

INSIDE = {"lon": "11.884", "lat": "57.724"}  # inside Biskopsgården's square


class ResidentReportTests(PartnersTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.viewer = member("viewer", cls.municipality, Role.VIEWER)
        cls.foreign_owner = member("foreign-owner", cls.other_police, Role.OWNER)

    def setUp(self):
        cache.clear()

    def send(self, **fields):
        body = {"category": "poor_lighting", "text": "Mörkt i gångtunneln under vägen, lampan trasig sedan länge.",
                "contact": "boende@example.se", **INSIDE, **fields}  # fmt: skip
        return self.client.post("/ar/omraden/bisk/rapportera/", body)

    @override_settings(LOFTE_PUBLIC_URL="https://lofte.example")
    def test_a_resident_reports_a_dark_tunnel_and_hears_what_was_done(self):
        form = self.client.get("/ar/omraden/bisk/rapportera/")
        self.assertContains(form, "Vårväderstorget")  # the places, for those who do not use the map
        self.assertEqual(self.send().status_code, 302)
        report = ResidentReport.objects.get()
        self.assertEqual((report.area, report.category.code, report.language, report.moderation),
                         (self.area, "poor_lighting", "ar", "pending"))  # fmt: skip
        self.assertNotContains(self.client.get("/omraden/bisk/rapporter/"), "gångtunneln")  # not before moderation
        self.client.force_login(self.owner)
        page = self.client.get("/personal/omraden/bisk/invanarrapporter/")
        self.assertContains(page, "gångtunneln")
        self.assertNotContains(page, "boende@example.se")  # never shown, not even to moderators
        self.client.post(f"/personal/invanarrapporter/{report.pk}/", {"publish": "1"})
        action = Action.objects.create(area=self.area, organisation=self.municipality, title="Ny belysning i tunneln")
        self.client.post(f"/personal/invanarrapporter/{report.pk}/",
                         {"status": "action_planned", "status_note": "", "action": action.pk})  # fmt: skip
        (told,) = mail.outbox
        self.assertEqual(told.to, ["boende@example.se"])
        self.assertIn("Ny belysning i tunneln", told.body)
        self.assertIn("https://lofte.example/ar/omraden/bisk/rapporter/#report-", told.body)  # in Arabic
        self.client.logout()
        public = self.client.get("/omraden/bisk/rapporter/")
        self.assertContains(public, "gångtunneln")
        self.assertContains(public, "Ny belysning i tunneln")
        self.assertContains(public, 'data-status="action_planned"')
        self.assertNotContains(public, "boende@example.se")
        # The same status again tells nobody twice.
        self.client.force_login(self.owner)
        self.client.post(f"/personal/invanarrapporter/{report.pk}/",
                         {"status": "action_planned", "status_note": "", "action": action.pk})  # fmt: skip
        self.assertEqual(len(mail.outbox), 1)

    def test_bad_reports_are_refused_naming_the_field_and_nothing_is_stored(self):
        for fields, field in [
            ({"lon": "12.5", "lat": "57.9"}, "place"),  # outside the area
            ({"lon": "", "lat": ""}, "place"),
            ({"place": str(self.other_place.pk), "lon": "", "lat": ""}, "place"),  # another area's place
            ({"text": "Ring mig på 070-123 45 67"}, "text"),
            ({"text": "Se www.example.se"}, "text"),
            ({"contact": "inte en adress"}, "contact"),
            ({"category": "nonsense"}, "category"),
        ]:
            answer = self.send(**fields)
            self.assertEqual(answer.status_code, 400, fields)
            self.assertTrue(answer.context["form"].errors.get(field), (fields, answer.context["form"].errors))
        self.assertFalse(ResidentReport.objects.exists())
        for _ in range(residents.LIMIT_PER_HOUR):
            self.assertEqual(self.send().status_code, 302)
        self.assertEqual(self.send().status_code, 429)
        self.assertEqual(ResidentReport.objects.count(), residents.LIMIT_PER_HOUR)

    def test_an_area_without_a_public_promise_has_no_form(self):
        self.assertEqual(self.client.get("/omraden/hjallbo/rapportera/").status_code, 404)
        self.assertEqual(self.client.get("/omraden/hjallbo/rapporter/").status_code, 404)

    def test_nobody_outside_the_areas_owners_and_analysts_moderates(self):
        self.send()
        report = ResidentReport.objects.get()
        other = Action.objects.create(area=self.other_area, organisation=self.other_police, title="Hjällbos åtgärd")
        url = f"/personal/invanarrapporter/{report.pk}/"
        self.client.force_login(self.foreign_owner)
        self.assertEqual(self.client.post(url, {"publish": "1"}).status_code, 404)
        self.assertEqual(self.client.get("/personal/omraden/bisk/invanarrapporter/").status_code, 404)
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.post(url, {"publish": "1"}).status_code, 403)
        self.assertNotContains(self.client.get("/personal/omraden/bisk/invanarrapporter/"), 'name="publish"')
        self.client.force_login(self.owner)
        self.client.post(f"/personal/invanarrapporter/{report.pk}/", {"publish": "1"})
        self.client.post(f"/personal/invanarrapporter/{report.pk}/", {"status": "done", "action": other.pk})
        self.client.post(f"/personal/invanarrapporter/{report.pk}/", {"status": "declined", "status_note": ""})
        report.refresh_from_db()
        self.assertEqual((report.moderation, report.status, report.action), ("published", "reported", None))
        self.assertEqual(mail.outbox, [])

    def test_the_address_is_deleted_after_the_set_time(self):
        self.send()
        self.send(contact="")
        later = timezone.now() + timedelta(days=91)
        self.assertEqual(residents.purge_contacts(now=later - timedelta(days=2)), 0)
        self.assertEqual(residents.purge_contacts(now=later), 1)
        self.assertEqual(set(ResidentReport.objects.values_list("contact", flat=True)), {""})

    def test_nothing_unmoderated_reaches_a_public_page_the_api_or_an_export(self):
        secret = "Ingen ska läsa detta innan granskningen"
        self.assertEqual(self.send(text=secret).status_code, 302)
        public = ["/omraden/bisk/", "/omraden/bisk/rapporter/", "/omraden/bisk/tyck-till/",
                  "/loften/published-promise/", "/loften/published-promise/rapport/",
                  "/loften/published-promise/oppna-data.zip",
                  "/api/v1/promises/", "/api/v1/promises/published-promise/report", "/api/v1/dialogues/"]  # fmt: skip
        for url in public:
            response = self.client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if url.endswith(".zip"):  # compressed: read what it holds
                with zipfile.ZipFile(io.BytesIO(body)) as archive:
                    body = b"".join(archive.read(name) for name in archive.namelist())
            self.assertNotIn(secret.encode(), body, url)
        self.client.force_login(self.analyst)  # members' exports and pictures hold no residents' text either
        for url in ("/lagesbild/bisk/export.csv", "/personal/omraden/bisk/vecka/", "/personal/omraden/bisk/tertial/"):
            response = self.client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            self.assertNotIn(secret.encode(), body, url)
        self.client.force_login(self.owner)
        self.client.post(f"/personal/invanarrapporter/{ResidentReport.objects.get().pk}/", {"publish": "1"})
        self.client.logout()
        self.assertContains(self.client.get("/omraden/bisk/rapporter/"), secret)
