import io
import random
import re
from datetime import date, timedelta

import numpy as np
import pypdf
import pytest
import zxingcpp
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lofte.analysis import survey as sv
from lofte.promises import planning
from lofte.surveys import letters
from lofte.surveys.models import Response, Survey, Wave
from lofte.surveys.results import WaveEstimate, comparison_table, verdict, wave_estimates, waves_to_compare

from .survey_base import SurveyTestCase


def respond(wave, n, *, litter_big, seed, strata=("Norra", "Södra"), background=True):
    """n responses; a share `litter_big` see litter as quite or very big a problem."""
    rng = random.Random(seed)
    rows = []
    for k in range(n):
        answers = {
            "problem_litter": rng.choice("34") if rng.random() < litter_big else rng.choice("12"),
            "aware_promise": rng.choice(["yes", "no", "dk"]),
        }
        for item in ("problem_vandalism", "problem_drug_dealing", "problem_shootings", "problem_vehicles"):
            answers[item] = rng.choice("1234")
        if background:
            answers["age_group"] = rng.choice(["16-24", "25-44", "45-64", "65-84"])
            answers["sex"] = rng.choice(["female", "male"])
        rows.append(
            Response(
                wave=wave,
                submitted_on=date(2016, 10, 1),
                stratum=strata[k % len(strata)],
                answers=answers,
                source="csv",
                external_id=str(k),
            )
        )
    Response.objects.bulk_create(rows)


class ResultData(SurveyTestCase):
    """A baseline and a follow-up of 300 responses each; litter falls from 60 % to 20 %."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.follow = Wave.objects.create(
            survey=cls.survey,
            kind="follow_up",
            label="hösten 2017",
            opens_on=date(2017, 9, 1),
            closes_on=date(2017, 10, 31),
            strata=cls.wave.strata,
            margins=cls.wave.margins,
        )
        respond(cls.wave, 300, litter_big=0.6, seed=1)
        respond(cls.follow, 300, litter_big=0.2, seed=2)
        cls.items = list(cls.survey.items.filter(background=False))


class ResultTests(ResultData):
    def test_it_weights_by_stratum_and_rakes_to_age_and_sex(self):
        est = wave_estimates(self.wave, self.items, index=self.survey.problem_index)
        assert est.notes == []
        responses = list(self.wave.responses.all())
        strata = np.array([r.stratum for r in responses])
        population = np.array([self.wave.strata[s]["population"] for s in strata], dtype=float)
        weights = population / np.array([(strata == s).sum() for s in strata])
        d = sv.design(weights=weights, strata=strata, popsize=population)
        d = sv.rake(
            d,
            [
                (np.array([r.answers["age_group"] for r in responses]), self.wave.margins["age_group"]),
                (np.array([r.answers["sex"] for r in responses]), self.wave.margins["sex"]),
            ],
            max_iter=50,
            epsilon=1e-6,
        )
        y = np.array([1.0 if r.answers["problem_litter"] in "34" else 0.0 for r in responses])
        direct = sv.proportion(d, y)
        row = est.rows[("problem_litter", "all")]
        assert row.estimate == pytest.approx(direct.estimate, rel=1e-9)
        assert row.se == pytest.approx(direct.se, rel=1e-6)
        assert row.ci_low == pytest.approx(direct.ci_low, rel=1e-6)
        # "Don't know" is no answer.
        aware = est.rows[("aware_promise", "all")]
        assert aware.n == sum(r.answers["aware_promise"] != "dk" for r in responses)
        assert ("problem_index", "Norra") in est.rows

    def test_it_calls_a_large_drop_an_improvement_and_noise_no_change(self):
        base = wave_estimates(self.wave, self.items, index=self.survey.problem_index)
        follow = wave_estimates(self.follow, self.items, index=self.survey.problem_index)
        rows = {
            (r.code, r.domain): r for r in comparison_table(base, follow, self.items, index=self.survey.problem_index)
        }
        litter = rows[("problem_litter", "all")]
        assert litter.comparison.diff == pytest.approx(-0.4, abs=0.08)
        assert litter.verdict == "better"
        assert rows[("problem_vandalism", "all")].verdict == "none"  # same distribution in both waves
        assert rows[("aware_promise", "all")].verdict == "none"

    def test_it_needs_both_significance_and_the_detectable_difference(self):
        significant_but_small = sv.Comparison(0.5, 0.45, -0.05, 0.02, -0.09, -0.01, 0.01, 0.056, "decrease")
        assert verdict(significant_but_small, "lower") == "none"
        large = sv.Comparison(0.5, 0.40, -0.10, 0.02, -0.14, -0.06, 0.0001, 0.056, "decrease")
        assert verdict(large, "lower") == "better"
        assert verdict(large, "higher") == "worse"

    def test_it_suppresses_estimates_from_few_answers(self):
        Response.objects.filter(wave=self.follow, stratum="Södra").exclude(external_id__in=["1", "3", "5"]).delete()
        base = wave_estimates(self.wave, self.items)
        follow = wave_estimates(self.follow, self.items)
        rows = {(r.code, r.domain): r for r in comparison_table(base, follow, self.items)}
        assert rows[("problem_litter", "Södra")].follow == WaveEstimate(3, suppressed=True)
        assert rows[("problem_litter", "Södra")].comparison is None
        assert rows[("problem_litter", "Norra")].comparison is not None

    def test_it_shows_results_to_members_and_to_the_public_once_published(self):
        url = reverse("survey-results", args=[self.survey.slug])
        assert self.client.get(url).status_code == 404
        self.client.force_login(self.officer)
        page = self.client.get(url)
        self.assertContains(page, "förbättring")
        self.assertContains(page, "ingen mätbar förändring")
        self.client.force_login(self.outsider)
        assert self.client.get(url).status_code == 404
        self.survey.published = True
        self.survey.save()
        self.client.logout()
        self.assertContains(self.client.get(url), "Hur stort problem är nedskräpning")

    def test_it_counts_each_waves_letters_and_answers_without_multiplying_them(self):
        self.client.force_login(self.coordinator)
        with CaptureQueriesContext(connection) as queries:
            page = self.client.get(reverse("survey", args=[self.survey.slug])).content.decode()
        rows = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in re.findall(r"<tr>(.*?)</tr>", page, re.S)]
        self.assertTrue(any(row.startswith("hösten 2014") and " 40 300 750 %" in row for row in rows), rows)
        self.assertTrue(any(row.startswith("hösten 2017") and " 0 300 –" in row for row in rows), rows)
        # Joining a wave to both its letters and its answers reads letters x answers rows (3-5 s
        # on a real survey's page); each count is its own subquery.
        both = ('JOIN "surveys_invitation"', 'JOIN "surveys_response"')
        joined = [q["sql"] for q in queries if all(join in q["sql"] for join in both)]
        self.assertEqual(joined, [])

    def test_it_shows_the_outcome_on_the_promise_page(self):
        self.patrol_commitment.outcome_item = self.survey.items.get(code="problem_litter")
        self.patrol_commitment.save()
        page = self.client.get(self.promise.get_absolute_url())
        self.assertNotContains(page, "Effektmått")  # the survey's results are not public yet
        self.survey.published = True
        self.survey.save()
        page = self.client.get(self.promise.get_absolute_url())
        self.assertContains(page, "Effektmått")
        self.assertContains(page, "förbättring")

    def test_it_keeps_comparing_the_answered_waves_when_a_later_one_is_planned(self):
        """An empty follow-up made the results compare 2014 with it ("too few answers") and turned the
        promise's outcome measures into "too few answers to compare" (issue 24)."""
        today = timezone.localdate()
        for label, opens in (("planerad", 300), ("pågår", -3)):
            opens_on = today + timedelta(days=opens)
            Wave.objects.create(
                survey=self.survey, kind="follow_up", label=label, opens_on=opens_on, closes_on=opens_on + timedelta(30)
            )
        base, follow = waves_to_compare(self.survey)
        assert (base, follow) == (self.wave, self.follow)
        self.survey.published = True
        self.survey.save()
        page = self.client.get(reverse("survey-results", args=[self.survey.slug]))
        self.assertContains(page, "hösten 2017")
        self.assertNotContains(page, "planerad")
        self.assertNotContains(page, "pågår")
        self.patrol_commitment.outcome_item = self.survey.items.get(code="problem_litter")
        self.patrol_commitment.save()
        page = self.client.get(self.promise.get_absolute_url())
        self.assertContains(page, "förbättring")
        self.assertNotContains(page, "För få svar")

    def test_it_compares_nothing_until_a_follow_up_has_answers(self):
        Response.objects.filter(wave=self.follow).delete()
        assert waves_to_compare(self.survey) == (self.wave, None)

    def test_a_promise_is_compared_between_the_waves_it_names(self):
        """Issue 24: the results and every promise compare the waves the promise names, so a later
        follow-up (or an extra wave) never changes what a finished promise was judged on."""
        later = Wave.objects.create(
            survey=self.survey, kind="follow_up", label="hösten 2019", opens_on=date(2019, 9, 1),
            closes_on=date(2019, 10, 31), strata=self.wave.strata, margins=self.wave.margins,
        )  # fmt: skip
        respond(later, 300, litter_big=0.6, seed=4)  # back where it was: no change from 2014
        self.survey.published = True
        self.survey.save()
        planning.change_commitment(self.owner, self.patrol_commitment, outcome_item=self.item("problem_litter").pk,
                                   reason="Mäts med trygghetsmätningen")  # fmt: skip
        page = self.client.get(self.promise.get_absolute_url()).content.decode()
        self.assertIn("hösten 2019", page)  # the survey's latest follow-up, by default
        self.assertIn("ingen mätbar förändring", page)
        refused = {"baseline_wave": self.wave.pk, "follow_up_wave": self.follow.pk}
        with self.assertRaisesMessage(planning.PlanningError, "reason"):
            planning.change_promise(self.owner, self.promise, **refused)
        reason = "Löftet gällde 2016–17: jämförs med hösten 2017"
        planning.change_promise(self.owner, self.promise, reason=reason, **refused)
        page = self.client.get(self.promise.get_absolute_url()).content.decode()
        self.assertIn("hösten 2017", page)
        self.assertNotIn("hösten 2019", page)
        self.assertIn("förbättring", page)
        (row,) = self.client.get(f"/api/v1/promises/{self.promise.slug}/report").json()["survey"]
        self.assertEqual((row["base_wave"], row["follow_wave"]), ("hösten 2014", "hösten 2017"))
        self.assertLess(row["comparison"]["diff"], -0.2)
        (change,) = self.client.get(f"/api/v1/promises/{self.promise.slug}/history").json()[:1]
        self.assertEqual(change["reason"], reason)
        self.assertEqual([f["field"] for f in change["fields"]], ["baseline_wave", "follow_up_wave"])
        # The survey's own results page still shows its latest waves.
        results = self.client.get(reverse("survey-results", args=[self.survey.slug]))
        self.assertContains(results, "hösten 2019")

    def test_a_named_follow_up_not_yet_answered_keeps_the_promise_pending(self):
        planned = Wave.objects.create(
            survey=self.survey, kind="follow_up", label="hösten 2027", opens_on=date(2027, 9, 1),
            closes_on=date(2027, 10, 31),
        )  # fmt: skip
        self.survey.published = True
        self.survey.save()
        self.patrol_commitment.outcome_item = self.item("problem_litter")
        self.patrol_commitment.save()
        planning.change_promise(self.owner, self.promise, follow_up_wave=planned.pk, reason="Följs upp 2027")
        page = self.client.get(self.promise.get_absolute_url()).content.decode()
        self.assertIn("mellan hösten 2014 och hösten 2027", page)
        self.assertNotIn("förbättring", page)
        (row,) = self.client.get(f"/api/v1/promises/{self.promise.slug}/report").json()["survey"]
        self.assertEqual((row["follow_wave"], row["comparison"]), ("hösten 2027", None))

    def test_a_promise_names_only_waves_of_its_own_areas_surveys(self):
        other = Survey.objects.create(area=self.other_area, name="Hjällbo", slug="hjallbo-enkat")
        foreign = Wave.objects.create(
            survey=other, kind="baseline", label="Hjällbo 2014", opens_on=date(2014, 9, 1), closes_on=date(2014, 10, 1)
        )
        for name in ("baseline_wave", "follow_up_wave"):
            with self.assertRaisesMessage(planning.PlanningError, "Ingen sådan våg"):
                planning.change_promise(self.owner, self.draft, **{name: foreign.pk})
        with self.assertRaisesMessage(planning.PlanningError, "öppna efter nollmätningens"):
            planning.change_promise(self.owner, self.draft, baseline_wave=self.follow.pk, follow_up_wave=self.wave.pk)
        self.client.force_login(self.owner)
        form = self.client.get(f"/en/personal/loften/{self.draft.slug}/andra/").content.decode()
        self.assertIn("hösten 2017", form)
        self.assertNotIn("Hjällbo 2014", form)

    def item(self, code):
        return self.survey.items.get(code=code)

    def test_it_says_unweighted_when_responses_have_no_strata(self):
        other = Wave.objects.create(
            survey=self.survey, kind="other", label="webbpanel", opens_on=date(2016, 1, 1), closes_on=date(2016, 2, 1)
        )
        respond(other, 50, litter_big=0.5, seed=3, strata=("",), background=False)
        est = wave_estimates(other, self.items)
        assert est.notes == ["oviktat: svaren saknar strata från ett draget urval"]
        assert est.rows[("problem_litter", "all")].n == 50


def qr_image(content, scale=4, quiet=4):
    """The page's filled rectangles (`x y w h re`) drawn black on white, `scale` pixels a module:
    the QR code as a phone's camera would see it."""
    number = r"(-?[\d.]+)"
    rects = [tuple(map(float, m)) for m in re.findall(rf"{number} {number} {number} {number} re", content)]
    box = min(h for _, _, _, h in rects)
    left, top = min(x for x, _, _, _ in rects), max(y + h for _, y, _, h in rects)
    modules = round((top - min(y for _, y, _, _ in rects)) / box)
    image = np.full(((modules + 2 * quiet) * scale,) * 2, 255, dtype=np.uint8)
    for x, y, w, h in rects:
        row, column = round((top - y - h) / box) + quiet, round((x - left) / box) + quiet
        image[row * scale : (row + 1) * scale, column * scale : (column + round(w / box)) * scale] = 0
    return image


class LetterTests(SurveyTestCase):
    def test_it_says_how_long_the_letters_take_and_when_they_have_arrived(self):
        """Issue 24: 400 letters took 99 s with nothing on the page to say that anything happened."""
        self.client.force_login(self.owner)
        page = self.client.get(reverse("survey", args=[self.survey.slug])).content.decode()
        self.assertIn('data-preparing="Skriver 40 brev, cirka 2 s …"', page)
        self.assertIn('role="status" hidden><progress', page)
        self.assertIn("lofte/letters.js", page)
        url = reverse("survey-letters", args=[self.survey.slug, self.wave.pk])
        done = self.client.get(url, {"token": "abc123def456"})
        self.assertEqual(done.cookies["lofte-letters"].value, "abc123def456")
        self.assertEqual(done.cookies["lofte-letters"]["samesite"], "Lax")
        for odd in ("", "<script>", "a" * 41):
            self.assertNotIn("lofte-letters", self.client.get(url, {"token": odd}).cookies)
        self.client.force_login(self.officer)  # sees the survey, prints no letters
        self.assertNotIn("letters.js", self.client.get(reverse("survey", args=[self.survey.slug])).content.decode())

    def test_it_prints_one_letter_per_invitation_with_its_code(self):
        self.client.force_login(self.owner)
        response = self.client.get(reverse("survey-letters", args=[self.survey.slug, self.wave.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        import io

        from lofte.surveys import letters

        out = io.BytesIO()
        letters.write(out, self.wave, list(self.wave.invitations.all()), compress=False)
        pdf = out.getvalue()
        assert (
            pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 40
            or pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 40
        )
        for number in (1, 40):
            assert self.code(number).encode() in pdf

    def test_each_letters_qr_code_reads_as_the_questionnaires_address_with_its_code(self):
        self.client.force_login(self.owner)
        response = self.client.get(reverse("survey-letters", args=[self.survey.slug, self.wave.pk]))
        pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
        self.assertEqual(len(pages), 40)
        for number, page in zip((1, 40), (pages[0], pages[-1]), strict=True):
            read = zxingcpp.read_barcodes(qr_image(page.get_contents().get_data().decode("latin-1")))
            self.assertEqual([code.text for code in read], [f"{letters.survey_url()}#{self.code(number)}"])

    def test_it_lets_only_owners_and_analysts_print_letters(self):
        url = reverse("survey-letters", args=[self.survey.slug, self.wave.pk])
        self.client.force_login(self.officer)
        assert self.client.get(url).status_code == 403
        self.client.force_login(self.outsider)
        assert self.client.get(url).status_code == 404
        self.client.force_login(self.analyst)
        assert self.client.get(url).status_code == 200

    def test_it_refuses_reminders_in_an_anonymous_survey(self):
        self.client.force_login(self.owner)
        url = reverse("survey-letters", args=[self.survey.slug, self.wave.pk]) + "?kind=remind"
        response = self.client.get(url)
        assert response.status_code == 409
        assert b"not anonymous" in response.content


class ApiTests(ResultData):
    def test_it_publishes_results_as_open_data_once_public(self):
        url = "/api/v1/surveys/trygghet/results"
        assert self.client.get(url).status_code == 404
        self.survey.published = True
        self.survey.save()
        body = self.client.get(url).json()
        assert (body["base_wave"], body["follow_wave"]) == ("hösten 2014", "hösten 2017")
        litter = next(r for r in body["rows"] if r["item"] == "problem_litter" and r["domain"] == "all")
        assert litter["verdict"] == "better"
        assert litter["comparison"]["diff"] < 0 and litter["comparison"]["mdd"] > 0
        assert litter["base"]["ci_low"] < litter["base"]["estimate"] < litter["base"]["ci_high"]

    def test_it_leaves_out_estimates_from_few_answers(self):
        self.survey.published = True
        self.survey.save()
        Response.objects.filter(wave=self.follow, stratum="Södra").exclude(external_id__in=["1", "3"]).delete()
        body = self.client.get("/api/v1/surveys/trygghet/results").json()
        south = next(r for r in body["rows"] if r["item"] == "problem_litter" and r["domain"] == "Södra")
        assert south["follow"] == {"estimate": None, "ci_low": None, "ci_high": None, "n": 2, "suppressed": True}
        assert south["comparison"] is None and south["verdict"] is None
