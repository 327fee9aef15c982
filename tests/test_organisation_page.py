"""The organisation page: administrators manage members and roles and link areas their
organisations share; nobody makes themselves a case worker or removes their own administration."""

from lofte.accounts.models import Membership, Role
from lofte.places.models import Area

from .base import BaseTestCase, member, square


class OrganisationPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.admin = member("org-admin", cls.police, Role.ADMIN)
        Membership.objects.create(user=cls.admin, organisation=cls.municipality, role=Role.OWNER)
        cls.shared = Area.objects.create(name="Hjalmar", code="hjalmar", polygon=square(11.95, 57.73))
        cls.municipality.areas.add(cls.shared)

    def setUp(self):
        self.client.force_login(self.admin)

    def test_an_administrator_adds_and_removes_members(self):
        page = self.client.get("/en/personal/organisation/")
        self.assertContains(page, 'data-member="officer"')
        self.assertNotContains(page, 'value="case_worker"')  # not theirs to give
        answer = self.client.post(
            f"/en/personal/organisation/{self.police.pk}/medlemmar/",
            {"username": "analyst", "role": "owner"},
            follow=True,
        )
        self.assertContains(answer, "Saved.")
        self.assertTrue(
            Membership.objects.filter(user=self.analyst, organisation=self.police, role=Role.OWNER).exists()
        )
        officer = Membership.objects.get(user=self.officer)
        self.client.post(f"/en/personal/organisation/medlemskap/{officer.pk}/ta-bort/")
        self.assertFalse(Membership.objects.filter(pk=officer.pk).exists())

    def test_nobody_makes_themselves_a_case_worker_or_removes_their_own_administration(self):
        answer = self.client.post(
            f"/en/personal/organisation/{self.police.pk}/medlemmar/",
            {"username": "org-admin", "role": "case_worker"},
            follow=True,
        )
        self.assertContains(answer, "You cannot give this role.")
        self.assertFalse(Membership.objects.filter(user=self.admin, role=Role.CASE_WORKER).exists())
        own = Membership.objects.get(user=self.admin, role=Role.ADMIN)
        answer = self.client.post(f"/en/personal/organisation/medlemskap/{own.pk}/ta-bort/", follow=True)
        self.assertContains(answer, "You cannot remove your own administrator role.")
        self.assertTrue(Membership.objects.filter(pk=own.pk).exists())

    def test_unknown_users_and_doubled_roles_are_named(self):
        url = f"/en/personal/organisation/{self.police.pk}/medlemmar/"
        self.assertContains(
            self.client.post(url, {"username": "nobody", "role": "officer"}, follow=True), "No user nobody."
        )
        self.assertContains(
            self.client.post(url, {"username": "officer", "role": "officer"}, follow=True), "has this role already"
        )

    def test_an_administrator_links_only_areas_their_organisations_share(self):
        url = f"/en/personal/organisation/{self.police.pk}/omraden/"
        self.client.post(url, {"area": self.shared.pk})
        self.assertIn(self.shared, self.police.areas.all())
        answer = self.client.post(url, {"area": self.other_area.pk}, follow=True)
        self.assertContains(answer, "You can link only areas of an organisation where you are an administrator")
        self.assertNotIn(self.other_area, self.police.areas.all())
        self.client.post(url, {"area": self.shared.pk, "action": "unlink"})
        self.assertNotIn(self.shared, self.police.areas.all())

    def test_others_are_refused(self):
        self.client.force_login(self.owner)
        self.assertEqual(self.client.get("/en/personal/organisation/").status_code, 403)
        self.client.force_login(self.admin)
        answer = self.client.post(
            f"/en/personal/organisation/{self.other_police.pk}/medlemmar/", {"username": "owner", "role": "officer"}
        )
        self.assertEqual(answer.status_code, 404)
        outsider = Membership.objects.get(user=self.outsider)
        self.assertEqual(
            self.client.post(f"/en/personal/organisation/medlemskap/{outsider.pk}/ta-bort/").status_code, 404
        )

    def test_an_administrator_links_no_area_of_an_organisation_where_they_only_work(self):
        Membership.objects.filter(user=self.admin, organisation=self.municipality).update(role=Role.ANALYST)
        answer = self.client.post(f"/en/personal/organisation/{self.police.pk}/omraden/", {"area": self.shared.pk},
                                  follow=True)  # fmt: skip
        self.assertContains(answer, "You can link only areas of an organisation where you are an administrator")
        self.assertNotIn(self.shared, self.police.areas.all())
        type(self.admin).objects.filter(pk=self.admin.pk).update(is_staff=True)
        form = self.client.get(f"/admin/accounts/organisation/{self.police.pk}/change/")  # offers the same areas
        self.assertEqual(list(form.context["adminform"].form.fields["areas"].queryset), [self.area])
