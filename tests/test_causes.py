"""A promise's cause analysis: owners write the triangle and the cause tree, commitments name the causes
they address, and the promise check warns about a commitment that addresses none."""

from datetime import date

from lofte.core.problems import InputProblem
from lofte.promises import causes
from lofte.promises.check import check
from lofte.promises.models import Commitment

from .base import BaseTestCase


class CauseTests(BaseTestCase):
    def test_owners_build_the_tree_and_others_cannot(self):
        root = causes.add_cause(self.owner, self.promise, text="Grupper gör anspråk på torget",
                                commitments=[self.patrol_commitment])  # fmt: skip
        child = causes.add_cause(self.owner, self.promise, text="Ingen vuxen där på kvällen", parent=root.pk)
        self.assertEqual([(c.text, d) for c, d in causes.tree(self.promise)],
                         [("Grupper gör anspråk på torget", 0), ("Ingen vuxen där på kvällen", 1)])  # fmt: skip
        with self.assertRaises(InputProblem) as refused:
            causes.add_cause(self.officer, self.promise, text="Något")
        self.assertEqual(refused.exception.status, 403)
        with self.assertRaises(InputProblem):  # a parent from another promise
            causes.add_cause(self.owner, self.draft, text="Något", parent=child.pk)
        causes.remove_cause(self.owner, root)
        self.assertEqual(causes.tree(self.promise), [])  # the child goes with it

    def test_the_check_warns_about_a_commitment_that_addresses_no_cause(self):
        rules = lambda: {(f.commitment, f.rule) for f in check(self.promise).findings}  # noqa: E731
        self.assertNotIn((self.patrol_commitment.pk, "cause"), rules())  # no cause analysis: no warning
        causes.add_cause(self.owner, self.promise, text="Grupper gör anspråk på torget")
        self.assertIn((self.patrol_commitment.pk, "cause"), rules())
        self.promise.causes.get().commitments.add(self.patrol_commitment)
        self.assertNotIn((self.patrol_commitment.pk, "cause"), rules())

    def test_the_page_saves_the_triangle_for_owners_only(self):
        url = f"/en/personal/loften/{self.promise.slug}/orsaker/"
        self.client.force_login(self.owner)
        self.client.post(url, {"action": "triangle", "offender": "Unga män", "place": "Torget", "other": "x"})
        self.promise.refresh_from_db()
        self.assertEqual((self.promise.triangle["offender"], self.promise.triangle["place"]), ("Unga män", "Torget"))
        self.assertNotIn("other", self.promise.triangle)
        self.client.force_login(self.officer)
        self.assertEqual(self.client.post(url, {"action": "triangle", "offender": "x"}).status_code, 403)
        self.assertNotContains(self.client.get(url), "Save the triangle")


class HistoryTests(BaseTestCase):
    """A promise that follows on from an earlier one, and an area's promises over the years."""

    def test_a_new_promise_starts_from_the_previous_ones_follow_up(self):
        self.promise.outcome_incident_types, self.promise.triangle = ["Skadegörelse"], {"place": "Torget"}
        self.promise.save()
        reference = self.other_area.__class__.objects.create(
            name="Referens", code="ref", polygon=self.other_area.polygon
        )
        self.promise.control_areas.set([self.other_area, reference])  # Hjällbo is another organisation's
        settled = causes.add_cause(self.owner, self.promise, text="Inga poliser på torget")
        still_open = causes.add_cause(self.owner, self.promise, text="Ingen belysning", parent=settled.pk)
        other_open = causes.add_cause(self.owner, self.promise, text="Unga rekryteras")
        # A milestone done on time is kept: the cause it addresses is settled.
        done = Commitment.objects.create(promise=self.promise, position=2, text="Belysning", kind="milestone",
                                         due_date=date(2016, 6, 1), done_date=date(2016, 5, 20))  # fmt: skip
        done.responsible.set([self.municipality])
        settled.commitments.add(done)
        still_open.commitments.add(self.patrol_commitment)  # not kept (no patrols logged)
        self.client.force_login(self.owner)
        form = {"area": self.area.pk, "organisation": self.police.pk, "slug": "nytt-lofte", "title": "Nytt",
                "problem": "P", "period_start": "2017-03-01", "period_end": "2018-02-28",
                "previous": self.promise.pk}  # fmt: skip
        answer = self.client.post("/en/personal/loften/nytt/", form)
        self.assertEqual(answer.status_code, 302, answer.content.decode()[:2000])
        new = self.promise.__class__.objects.get(slug="nytt-lofte")
        self.assertEqual((new.previous, new.outcome_incident_types, new.triangle),
                         (self.promise, ["Skadegörelse"], {"place": "Torget"}))  # fmt: skip
        self.assertEqual(list(new.control_areas.all()), [reference])  # not Hjällbo: its holder is no party
        copied = {c.text: c.parent for c in new.causes.all()}
        self.assertEqual(set(copied), {still_open.text, other_open.text})  # the settled one is not carried on
        self.assertIsNone(copied[still_open.text])  # its parent was settled: it starts a branch of its own

    def test_the_area_page_lists_its_promises_over_the_years(self):
        page = self.client.get("/en/omraden/bisk/")
        self.assertContains(page, 'data-promise="published-promise"')
        self.assertNotContains(page, 'data-promise="draft-promise"')  # drafts are not public
        self.assertContains(page, "0 of 1 measurable commitments kept.")
        self.assertContains(page, "/en/omraden/bisk/tyck-till/")
