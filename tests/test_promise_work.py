"""The staff page of a promise: the check's findings for its parties, publishing for its owners."""

from lofte.promises.models import Promise

from .base import BaseTestCase


class PromiseWorkTests(BaseTestCase):
    def url(self, promise, action=""):
        return f"/en/personal/loften/{promise.slug}/{action}"

    def test_parties_see_the_findings_and_owners_the_publish_form(self):
        self.client.force_login(self.owner)
        page = self.client.get(self.url(self.draft))
        self.assertContains(page, 'data-rule="commitments"')
        self.assertContains(page, 'data-rule="outcome"')
        self.assertContains(page, "Why publish before these are fixed?")
        self.client.force_login(self.officer)
        page = self.client.get(self.url(self.draft))
        self.assertContains(page, 'data-rule="outcome"')
        self.assertNotContains(page, "Publish the promise")
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.url(self.draft)).status_code, 404)

    def test_an_owner_publishes_with_a_reason(self):
        self.client.force_login(self.coordinator)
        refused = self.client.post(self.url(self.draft, "publicera/"), {"reason": "  "})
        self.assertContains(refused, "The check has findings", status_code=400)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Promise.Status.DRAFT)
        done = self.client.post(self.url(self.draft, "publicera/"), {"reason": "Beslutat i styrgruppen"}, follow=True)
        self.assertContains(done, "The promise is published.")
        self.assertContains(done, "Beslutat i styrgruppen")
        self.draft.refresh_from_db()
        self.assertEqual((self.draft.status, self.draft.changed_by), (Promise.Status.PUBLISHED, self.coordinator))

    def test_others_cannot_publish(self):
        self.client.force_login(self.officer)
        self.assertEqual(self.client.post(self.url(self.draft, "publicera/"), {"reason": "x"}).status_code, 403)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.post(self.url(self.draft, "publicera/"), {"reason": "x"}).status_code, 404)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Promise.Status.DRAFT)

    def test_the_dashboard_leads_to_the_work_page(self):
        self.client.force_login(self.owner)
        self.assertContains(self.client.get("/en/personal/"), self.url(self.promise))
