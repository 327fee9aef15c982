"""Support cases: only case workers of the owning organisation; every access logged; admins read the log only."""

from datetime import date

from django.test import Client, override_settings

from lofte.accounts.models import Organisation, Role
from lofte.cases.models import AccessLog, AppendOnly, SupportCase, match_key

from .base import BaseTestCase, member


class CaseTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.social = Organisation.objects.create(name="Socialtjänsten", kind="social_services")
        cls.other_social = Organisation.objects.create(name="Annan socialtjänst", kind="social_services")
        cls.worker = member("worker", cls.social, Role.CASE_WORKER)
        cls.foreign_worker = member("foreign-worker", cls.other_social, Role.CASE_WORKER)
        cls.admin = member("org-admin", cls.social, Role.ADMIN, is_staff=True)
        cls.superuser = member("root", cls.police, Role.ADMIN, is_staff=True, is_superuser=True)
        cls.case = SupportCase.objects.create(
            organisation=cls.social, pseudonym="Deltagare 01", started_on=date(2016, 6, 1)
        )

    def test_a_case_worker_reads_their_cases_and_every_read_is_logged(self):
        self.client.force_login(self.worker)
        self.assertContains(self.client.get("/en/arenden/"), "Deltagare 01")
        self.assertContains(self.client.get(f"/en/arenden/{self.case.pk}/"), "Deltagare 01")
        actions = list(AccessLog.objects.order_by("pk").values_list("username", "action"))
        self.assertEqual(actions, [("worker", "list"), ("worker", "read")])

    def test_nobody_else_reads_cases(self):
        for user in (self.foreign_worker, self.owner, self.officer, self.analyst):
            self.client.force_login(user)
            response = self.client.get(f"/en/arenden/{self.case.pk}/")
            self.assertIn(response.status_code, (403, 404), user.username)
            self.assertNotContains(response, "Deltagare 01", status_code=response.status_code)

    def test_admins_see_the_log_but_not_the_cases(self):
        self.client.force_login(self.worker)
        self.client.get(f"/en/arenden/{self.case.pk}/")
        for admin in (self.admin, self.superuser):
            self.client.force_login(admin)
            self.assertEqual(self.client.get(f"/en/arenden/{self.case.pk}/").status_code, 403)
            log = self.client.get("/admin/cases/accesslog/")
            self.assertEqual(log.status_code, 200)
            self.assertContains(log, "worker")
            entry = AccessLog.objects.first()
            self.assertEqual(
                self.client.post(f"/admin/cases/accesslog/{entry.pk}/delete/", {"post": "yes"}).status_code, 403
            )
            self.assertEqual(self.client.get("/admin/cases/supportcase/").status_code, 404)
        self.assertTrue(AccessLog.objects.exists())

    def test_the_log_is_append_only(self):
        entry = AccessLog.record(self.worker, "read", self.case)
        entry.detail = "changed"
        with self.assertRaises(AppendOnly):
            entry.save()
        with self.assertRaises(AppendOnly):
            entry.delete()

    def test_a_case_worker_creates_a_case_and_records_contacts_and_status(self):
        self.client.force_login(self.worker)
        response = self.client.post(
            "/en/arenden/nytt/",
            {
                "organisation": self.social.pk,
                "pseudonym": "Deltagare 02",
                "started_on": "2016-07-01",
                "status": "contact",
            },
        )
        case = SupportCase.objects.get(pseudonym="Deltagare 02")
        self.assertRedirects(response, f"/en/arenden/{case.pk}/")
        self.client.post(
            f"/en/arenden/{case.pk}/", {"date": "2016-07-05", "kind": "contact", "contact_kind": "meeting"}
        )
        self.client.post(f"/en/arenden/{case.pk}/", {"date": "2016-12-01", "kind": "status", "status": "completed"})
        case.refresh_from_db()
        self.assertEqual((case.status, case.closed_on, case.events.count()), ("completed", date(2016, 12, 1), 2))
        self.assertEqual(case.created_by, self.worker)
        self.assertEqual(
            list(
                AccessLog.objects.filter(case_ref__endswith="Deltagare 02")
                .values_list("action", flat=True)
                .order_by("pk")
            ),
            ["create", "read", "update", "update"],
        )

    def test_it_refuses_identity_numbers_as_pseudonyms_and_foreign_organisations(self):
        self.client.force_login(self.worker)
        response = self.client.post(
            "/en/arenden/nytt/",
            {
                "organisation": self.social.pk,
                "pseudonym": "19900101-1234",
                "started_on": "2016-07-01",
                "status": "contact",
            },
        )
        self.assertContains(response, "looks like an identity number")
        response = self.client.post(
            "/en/arenden/nytt/",
            {"organisation": self.other_social.pk, "pseudonym": "X", "started_on": "2016-07-01", "status": "contact"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(SupportCase.objects.filter(pseudonym="X").exists())

    @override_settings(LOFTE_CASE_KEY="test-key")
    def test_an_identifier_is_stored_only_as_a_keyed_hash(self):
        self.client.force_login(self.worker)
        self.client.post(
            "/en/arenden/nytt/",
            {
                "organisation": self.social.pk,
                "pseudonym": "Deltagare 03",
                "started_on": "2016-07-01",
                "status": "contact",
                "identifier": "Kalle Anka 1234",
            },
        )
        case = SupportCase.objects.get(pseudonym="Deltagare 03")
        self.assertEqual(case.match_key, match_key("kalle anka  1234"))
        stored = str(list(SupportCase.objects.values_list()))
        self.assertNotIn("Kalle", stored)

    def test_public_figures_are_counts_with_small_counts_suppressed(self):
        self.promise.parties.add(self.social)
        client = Client()
        self.assertContains(client.get("/en/loften/published-promise/"), "fewer than 5")
        for k in range(4):
            SupportCase.objects.create(organisation=self.social, pseudonym=f"P{k}", started_on=date(2016, 8, 1))
        response = client.get("/en/loften/published-promise/")
        self.assertContains(response, 'data-figure="support-cases">5<')
        self.assertNotContains(response, "Deltagare 01")

    def test_a_support_case_commitment_hides_a_small_count_wherever_it_is_shown(self):
        from lofte.promises.models import Commitment

        self.promise.parties.add(self.social)
        commitment = Commitment.objects.create(promise=self.promise, position=2, text="Stöd för att lämna",
                                               metric="support_cases", target_value=3, unit="personer")  # fmt: skip
        client = Client()
        page = client.get("/en/loften/published-promise/").content.decode()
        self.assertIn("<strong data-actual>fewer than 5</strong>", page)
        api = client.get("/api/v1/promises/published-promise").json()
        shown = next(c for c in api["commitments"] if c["id"] == commitment.pk)
        self.assertIsNone(shown["actual"])
        self.assertNotIn("share_of_target", str(shown))
        report = client.get("/en/loften/published-promise/rapport/").content.decode()
        self.assertNotIn(">1 personer<", report)
        self.assertIn("fewer than 5", report)
        for k in range(4):
            SupportCase.objects.create(organisation=self.social, pseudonym=f"P{k}", started_on=date(2016, 8, 1))
        api = client.get("/api/v1/promises/published-promise").json()
        self.assertEqual(next(c for c in api["commitments"] if c["id"] == commitment.pk)["actual"], 5)
