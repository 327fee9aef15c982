"""A promise's cause analysis: owners write the triangle and the cause tree, commitments name the causes
they address, and the promise check warns about a commitment that addresses none."""

from lofte.core.problems import InputProblem
from lofte.promises import causes
from lofte.promises.check import check

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
