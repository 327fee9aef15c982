"""The owners' planning pages: changing a promise, adding and changing commitments, writing updates,
with each problem shown on its field and nothing half-saved."""

from lofte.promises.models import Commitment, Update

from .base import BaseTestCase


class PlanningPagesTests(BaseTestCase):
    def test_an_owner_adds_a_target_commitment_from_the_work_page(self):
        self.client.force_login(self.coordinator)
        work = self.client.get(f"/en/personal/loften/{self.draft.slug}/")
        self.assertContains(work, f"/en/personal/loften/{self.draft.slug}/ataganden/ny/")
        form = self.client.get(f"/en/personal/loften/{self.draft.slug}/ataganden/ny/")
        self.assertContains(form, "Share of visits lasting 10–16 minutes")  # the metric catalogue
        answer = self.client.post(
            f"/en/personal/loften/{self.draft.slug}/ataganden/ny/",
            {
                "text": "Patrullera torget",
                "kind": "target",
                "metric": "patrol_visits_per_day",
                "comparator": ">=",
                "target_value": "2.5",
                "measure": "count",
                "responsible": [self.police.pk],
                "places": [self.place.pk],
            },
        )
        self.assertRedirects(answer, f"/en/personal/loften/{self.draft.slug}/", fetch_redirect_response=False)
        commitment = self.draft.commitments.get()
        self.assertEqual((commitment.metric, float(commitment.target_value)), ("patrol_visits_per_day", 2.5))
        self.assertEqual(list(commitment.places.all()), [self.place])
        self.assertEqual(commitment.created_by, self.coordinator)

    def test_problems_are_shown_on_their_field_and_nothing_is_saved(self):
        self.client.force_login(self.owner)
        answer = self.client.post(
            f"/en/personal/loften/{self.draft.slug}/ataganden/ny/",
            {"text": "Milstolpe", "kind": "milestone", "comparator": ">=", "measure": "count"},
        )
        self.assertEqual(answer.status_code, 400)
        self.assertEqual(list(answer.context["form"].errors), ["due_date"])
        self.assertFalse(self.draft.commitments.exists())

    def test_an_owner_changes_a_commitment_and_writes_an_update(self):
        self.client.force_login(self.owner)
        url = f"/en/personal/ataganden/{self.patrol_commitment.pk}/"
        form = self.client.get(url).context["form"]
        data = {k: v for k, v in form.initial.items() if v is not None}
        data |= {"target_value": "3", "responsible": [self.police.pk], "places": [], "reason": "Fler patruller"}
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.patrol_commitment.refresh_from_db()
        self.assertEqual(
            (float(self.patrol_commitment.target_value), self.patrol_commitment.changed_by), (3.0, self.owner)
        )
        update = self.client.post(url + "lagesrapport/", {"published_on": "2016-06-01", "text": "Fler besök i maj"})
        self.assertEqual(update.status_code, 302)
        self.assertEqual(Update.objects.get().commitment, self.patrol_commitment)

    def test_the_promise_is_changed_with_its_outcome_types(self):
        self.client.force_login(self.owner)
        url = f"/en/personal/loften/{self.draft.slug}/andra/"
        data = {"title": "Nytt", "problem": "Problem", "period_start": "2016-03-01", "period_end": "2017-02-28"}
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.title, "Nytt")
        bad = self.client.post(url, data | {"period_end": "2015-01-01"})
        self.assertEqual(bad.status_code, 400)
        self.assertIn("period_end", bad.context["form"].errors)

    def test_members_who_are_not_owners_and_outsiders_are_refused(self):
        for user, status in ((self.officer, 403), (self.analyst, 403), (self.outsider, 404)):
            self.client.force_login(user)
            self.assertEqual(
                self.client.get(f"/en/personal/loften/{self.draft.slug}/ataganden/ny/").status_code, status
            )
            answer = self.client.post(f"/en/personal/loften/{self.draft.slug}/ataganden/ny/", {"text": "x"})
            self.assertEqual(answer.status_code, status)
        self.assertFalse(Commitment.objects.filter(text="x").exists())


class DeletingTests(BaseTestCase):
    def test_a_draft_and_its_commitments_are_deleted_and_a_published_promise_never(self):
        from lofte.promises.models import Promise

        draft_commitment = Commitment.objects.create(promise=self.draft, text="Utkast", kind="milestone", position=1)
        self.client.force_login(self.officer)
        self.assertEqual(self.client.post(f"/en/personal/ataganden/{draft_commitment.pk}/ta-bort/").status_code, 403)
        self.client.force_login(self.owner)
        self.assertContains(self.client.get(f"/en/personal/loften/{self.draft.slug}/"), "data-delete-draft")
        answer = self.client.post(f"/en/personal/ataganden/{draft_commitment.pk}/ta-bort/")
        self.assertRedirects(answer, f"/en/personal/loften/{self.draft.slug}/", fetch_redirect_response=False)
        self.assertFalse(Commitment.objects.filter(pk=draft_commitment.pk).exists())
        # A published promise's commitment and the promise itself stay on record.
        kept = self.client.post(f"/en/personal/ataganden/{self.patrol_commitment.pk}/ta-bort/", follow=True)
        self.assertContains(kept, "its commitments stay on record")
        self.assertNotContains(self.client.get(f"/en/personal/loften/{self.promise.slug}/"), "data-delete-draft")
        refused = self.client.post(f"/en/personal/loften/{self.promise.slug}/radera/", follow=True)
        self.assertContains(refused, "never deleted")
        self.assertTrue(Promise.objects.filter(pk=self.promise.pk).exists())
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.post(f"/en/personal/loften/{self.draft.slug}/radera/").status_code, 404)
        self.client.force_login(self.owner)
        gone = self.client.post(f"/en/personal/loften/{self.draft.slug}/radera/")
        self.assertRedirects(gone, "/en/personal/", fetch_redirect_response=False)
        self.assertFalse(Promise.objects.filter(pk=self.draft.pk).exists())
