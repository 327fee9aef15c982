"""The permission base: the admin and the staff pages allow exactly what the policies allow, for every
role, and nothing crosses organisations."""

from datetime import UTC, date, datetime, timedelta

from django.contrib import admin
from django.contrib.auth.models import User

from lofte.accounts.admin_base import PolicyAdmin
from lofte.accounts.models import Role
from lofte.accounts.permissions import Policy, forget_roles, organisation_ids, policy_for
from lofte.activities.models import Patrol
from lofte.cases.models import AccessLog, SupportCase
from lofte.places.models import Area
from lofte.places.permissions import areas
from lofte.promises.models import Promise
from lofte.promises.permissions import promises
from lofte.surveys.models import Survey

from .base import BaseTestCase, member


class PermissionTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.foreign_owner = member("foreign-owner", cls.other_police, Role.OWNER, is_staff=True)
        cls.foreign_analyst = member("foreign-analyst", cls.other_police, Role.ANALYST, is_staff=True)
        cls.org_admin = member("org-admin", cls.police, Role.ADMIN, is_staff=True)
        cls.case_worker = member("case-worker", cls.municipality, Role.CASE_WORKER, is_staff=True)
        cls.root = User.objects.create_superuser("root", password="password")
        for user in (cls.officer, cls.analyst, cls.outsider):
            user.is_staff = True
            user.save()
        cls.people = [
            cls.owner,
            cls.coordinator,
            cls.officer,
            cls.outsider,
            cls.analyst,
            cls.foreign_owner,
            cls.foreign_analyst,
            cls.org_admin,
            cls.case_worker,
            cls.root,
        ]
        cls.foreign_promise = Promise.objects.create(
            area=cls.other_area,
            slug="hjallbo",
            status=Promise.Status.DRAFT,
            title="Hjällbo",
            problem="p",
            period_start=date(2016, 3, 1),
            period_end=date(2017, 2, 28),
        )
        cls.foreign_promise.parties.set([cls.other_police])
        cls.survey = Survey.objects.create(area=cls.area, slug="trygghet", name="Trygghet")
        cls.survey.organisations.set([cls.municipality])
        start = datetime(2016, 4, 1, 20, tzinfo=UTC)
        Patrol.objects.create(
            place=cls.place,
            organisation=cls.police,
            start=start,
            end=start + timedelta(minutes=12),
            created_by=cls.officer,
        )
        cls.case = SupportCase.objects.create(
            organisation=cls.municipality, pseudonym="D01", started_on=date(2016, 6, 1)
        )
        AccessLog.record(cls.case_worker, "read", cls.case)


class AdminParityTests(PermissionTestCase):
    def test_it_shows_and_allows_in_the_admin_exactly_what_the_policy_allows(self):
        checked = 0
        for model, model_admin in admin.site._registry.items():
            if not isinstance(model_admin, PolicyAdmin):
                continue
            policy = policy_for(model)
            base = f"/admin/{model._meta.app_label}/{model._meta.model_name}"
            for user in self.people:
                self.client.force_login(user)
                added = self.client.get(f"{base}/add/").status_code
                self.assertEqual(added == 200, policy.can(user, "add"), f"{user} add {model.__name__}")
                for obj in model.objects.all():
                    page = self.client.get(f"{base}/{obj.pk}/change/")
                    label = f"{user} {model.__name__} {obj}"
                    self.assertEqual(page.status_code == 200, policy.can(user, "view", obj), label)
                    if page.status_code == 200:
                        self.assertEqual(page.context["has_change_permission"], policy.can(user, "change", obj), label)
                        self.assertEqual(page.context["has_delete_permission"], policy.can(user, "delete", obj), label)
                    checked += 1
        self.assertGreater(checked, 100)

    def test_it_refuses_a_change_the_policy_refuses(self):
        self.client.force_login(self.foreign_owner)
        response = self.client.post(
            f"/admin/places/area/{self.area.pk}/change/", {"name": "Renamed", "code": "bisk", "category": "other"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Area.objects.get(pk=self.area.pk).name, "Biskopsgården")

    def test_it_offers_only_the_users_places_to_log_a_patrol_at(self):
        self.client.force_login(self.officer)
        form = self.client.get("/admin/activities/patrol/add/").context["adminform"].form
        self.assertEqual(list(form.fields["place"].queryset), [self.place])

    def test_it_lets_an_administrator_link_only_areas_their_organisations_share(self):
        self.client.force_login(self.org_admin)
        form = self.client.get(f"/admin/accounts/organisation/{self.police.pk}/change/").context["adminform"].form
        self.assertEqual(list(form.fields["areas"].queryset), [self.area])

    def test_it_shows_administrators_only_their_organisations_access_log(self):
        self.client.force_login(self.org_admin)
        self.assertNotContains(self.client.get("/admin/cases/accesslog/"), "case-worker")
        municipal_admin = member("municipal-admin", self.municipality, Role.ADMIN, is_staff=True)
        self.client.force_login(municipal_admin)
        self.assertContains(self.client.get("/admin/cases/accesslog/"), "case-worker")

    def test_it_lets_an_owner_write_commitments_in_the_admin(self):
        self.client.force_login(self.owner)
        page = self.client.get(f"/admin/promises/promise/{self.draft.pk}/change/")
        inline = page.context["inline_admin_formsets"][0]
        self.assertTrue(inline.has_add_permission and inline.has_change_permission)


class PageParityTests(PermissionTestCase):
    def pages(self):
        """(url, policy, action, object) for the staff and public pages that ask a policy."""
        for promise in Promise.objects.all():
            yield f"/en/loften/{promise.slug}/", promises, "view", promise
            yield f"/en/loften/{promise.slug}/dosering/", promises, "work", promise
        for area in Area.objects.all():
            yield f"/en/lagesbild/{area.code}/", areas, "situation", area
            yield f"/api/v1/areas/{area.code}/situation", areas, "situation", area
        survey_policy = policy_for(Survey)
        yield f"/en/enkater/{self.survey.slug}/", survey_policy, "view", self.survey
        yield f"/en/arenden/{self.case.pk}/", policy_for(SupportCase), "view", self.case

    def test_it_opens_a_page_exactly_when_the_policy_allows_it(self):
        for user in self.people:
            self.client.force_login(user)
            for url, policy, action, obj in self.pages():
                status = self.client.get(url).status_code
                self.assertIn(status, (200, 403, 404), f"{user} {url}")
                self.assertEqual(status == 200, policy.can(user, action, obj), f"{user} {url}: {status}")

    def test_it_gives_incident_points_only_to_analysts_of_the_area(self):
        for user, points in ((self.analyst, True), (self.owner, False), (self.foreign_analyst, None)):
            self.client.force_login(user)
            layer = self.client.get("/api/v1/areas/bisk/situation/map?bbox=11,57,12,58")
            csv = self.client.get("/lagesbild/bisk/export.csv")
            if points is None:
                self.assertEqual((layer.status_code, csv.status_code), (404, 404))
            else:
                content = b"".join(csv.streaming_content) if csv.streaming else csv.content
                self.assertEqual(content.decode().startswith("source,source_id"), points, user)
                self.assertEqual(layer.json()["aggregated"], not points, user)


class PolicyBaseTests(PermissionTestCase):
    def test_it_reads_memberships_once_per_user_object(self):
        user = User.objects.get(pk=self.owner.pk)
        with self.assertNumQueries(1):
            organisation_ids(user)
            organisation_ids(user, [Role.OWNER])
        member_again = member("twice", self.other_police, Role.OFFICER)
        self.assertEqual(organisation_ids(member_again), {self.other_police.pk})
        forget_roles(member_again)
        self.assertEqual(organisation_ids(member_again), {self.other_police.pk})

    def test_it_refuses_unknown_actions(self):
        with self.assertRaises(ValueError):
            promises.can(self.owner, "publish")

    def test_it_keeps_superusers_out_of_support_cases(self):
        self.assertFalse(policy_for(SupportCase).can(self.root, "view", self.case))
        self.assertTrue(policy_for(SupportCase).can(self.case_worker, "view", self.case))

    def test_it_shows_the_public_only_published_promises(self):
        from django.contrib.auth.models import AnonymousUser

        self.assertEqual(set(promises.visible(AnonymousUser())), {self.promise})
        inactive = User.objects.get(pk=self.owner.pk)
        inactive.is_active = False
        self.assertEqual(set(promises.visible(inactive)), {self.promise})

    def test_every_policy_declares_the_four_admin_actions(self):
        for model in admin.site._registry:
            policy = policy_for(model)
            if isinstance(policy, Policy):
                self.assertLessEqual({"view", "add", "change", "delete"}, set(policy.roles), model)

    def test_it_names_the_organisations_in_whose_name_a_user_may_act(self):
        from lofte.accounts.models import Organisation
        from lofte.activities.permissions import patrols

        self.assertEqual(set(promises.organisations_for(self.owner, "add")), {self.police})
        self.assertEqual(set(promises.organisations_for(self.officer, "add")), set())
        self.assertEqual(set(patrols.organisations_for(self.officer, "log")), {self.police})
        self.assertEqual(set(patrols.organisations_for(self.outsider, "log")), {self.other_police})
        # A superuser plans for any organisation, but logs a patrol only as an officer of one, and
        # opens no support case.
        self.assertEqual(set(promises.organisations_for(self.root, "add")), set(Organisation.objects.all()))
        self.assertEqual(set(patrols.organisations_for(self.root, "log")), set())
        self.assertEqual(set(policy_for(SupportCase).organisations_for(self.root, "add")), set())
        self.assertEqual(set(policy_for(SupportCase).organisations_for(self.case_worker, "add")), {self.municipality})
        with self.assertRaises(ValueError):
            promises.organisations_for(self.owner, "publish")


class NavigationTests(PermissionTestCase):
    LINKS = {
        "/en/patrull/": ("patrols", "log"),
        "/en/enkater/": ("surveys", "view"),
        "/en/personal/import/": ("jobs", "add"),
        "/en/personal/dialoger/": ("dialogues", "add"),
        "/en/personal/organisation/": ("organisations", "change"),
        "/en/personal/lagesbilder/": ("reports", "view"),
    }

    def test_the_navigation_costs_no_query_for_a_member(self):
        """It is on every staff page: the roles are read once per request, the links ask no more."""
        from django.test import RequestFactory

        from lofte.config.navigation import navigation

        for user in (self.officer, self.owner, self.analyst, self.root):
            request = RequestFactory().get("/en/personal/")
            request.user = User.objects.get(pk=user.pk)
            organisation_ids(request.user)  # the request's one read of the memberships
            with self.assertNumQueries(0):
                navigation(request)

    def test_it_links_a_page_exactly_when_the_user_may_use_it(self):
        from lofte.config import navigation

        for user in self.people:
            self.client.force_login(user)
            html = self.client.get("/en/personal/").content.decode()
            for url, (name, action) in self.LINKS.items():
                policy = getattr(navigation, name)
                may = policy.can(user, action)
                self.assertEqual(f'href="{url}"' in html, may, f"{user} {url}")
                opened = self.client.get(url).status_code
                self.assertEqual(opened == 200, may, f"{user} {url}: {opened}")
