"""The admin asks the same policies as the pages: who sees and changes what, and audit stamps."""

from lofte.accounts.models import Membership, Organisation, Role
from lofte.promises.models import Promise

from .base import BaseTestCase, member


class AdminTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.foreign_owner = member("foreign-owner", cls.other_police, Role.OWNER, is_staff=True)
        cls.org_admin = member("org-admin", cls.police, Role.ADMIN, is_staff=True)
        cls.officer.is_staff = True
        cls.officer.save()

    def test_it_lists_drafts_only_for_parties(self):
        self.client.force_login(self.owner)
        body = self.client.get("/admin/promises/promise/").content.decode()
        self.assertIn("Löfte draft-promise", body)
        self.client.force_login(self.foreign_owner)
        body = self.client.get("/admin/promises/promise/").content.decode()
        self.assertNotIn("Löfte draft-promise", body)
        self.assertEqual(self.client.get(f"/admin/promises/promise/{self.draft.pk}/change/").status_code, 302)

    def test_it_lets_an_owner_edit_and_stamps_the_change(self):
        self.client.force_login(self.owner)
        url = f"/admin/promises/promise/{self.draft.pk}/change/"
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        form = page.context["adminform"].form
        data = {name: form.initial.get(name) for name in form.fields}
        data.update(
            {
                "title": "Nytt namn",
                "parties": [self.police.pk, self.municipality.pk],
                "period_start": "2016-03-01",
                "period_end": "2017-02-28",
                "commitments-TOTAL_FORMS": 0,
                "commitments-INITIAL_FORMS": 0,
            }
        )
        data = {k: v for k, v in data.items() if v is not None}
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.context and response.context["adminform"].form.errors)
        draft = Promise.objects.get(pk=self.draft.pk)
        self.assertEqual((draft.title, draft.changed_by), ("Nytt namn", self.owner))

    def test_it_shows_an_officer_promises_read_only(self):
        self.client.force_login(self.officer)
        url = f"/admin/promises/promise/{self.promise.pk}/change/"
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        self.assertFalse(page.context["has_change_permission"])
        self.assertEqual(self.client.post(url, {"title": "Hacked"}).status_code, 403)
        self.assertEqual(self.client.get("/admin/promises/promise/add/").status_code, 403)

    def test_it_lets_an_org_admin_manage_only_their_memberships(self):
        self.client.force_login(self.org_admin)
        body = self.client.get("/admin/accounts/membership/").content.decode()
        self.assertIn("owner", body)
        self.assertNotIn("outsider", body)
        foreign = Membership.objects.get(user=self.outsider)
        self.assertEqual(self.client.get(f"/admin/accounts/membership/{foreign.pk}/change/").status_code, 302)
        self.assertEqual(self.client.get("/admin/accounts/organisation/add/").status_code, 403)
        self.assertEqual(self.client.get(f"/admin/accounts/organisation/{self.police.pk}/change/").status_code, 200)

    def test_it_keeps_non_staff_out(self):
        self.client.force_login(self.analyst)
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Organisation.objects.count(), 3)
