"""The demo scenario: deterministic, and its totals are the real promise's reported figures."""

import json
import os
import re
import sqlite3
import subprocess
import sys
from datetime import date

import pytest
from django.conf import settings
from django.test import Client

from lofte.activities.models import Activity, Patrol, Seizure
from lofte.demo import scenario
from lofte.promises.models import Commitment, Promise
from lofte.promises.progress import promise_outputs, promise_progress

from .demo_copy import DemoTestCase


class DemoScenarioTests(DemoTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()  # the demo, copied in (cls.promise)

    def test_it_creates_exactly_1016_visits_in_365_days(self):
        self.assertEqual(Patrol.objects.count(), 1016)
        self.assertEqual((self.promise.period_end - self.promise.period_start).days + 1, 365)

    def test_it_reports_the_patrol_commitment_kept_at_2_78_a_day(self):
        rows = promise_progress(self.promise, today=date(2026, 11, 25))
        commitment, progress = rows[0]
        self.assertEqual(commitment.metric, "patrol_visits_per_day")
        self.assertEqual(progress.numbers["visits"], 1016)
        self.assertEqual(round(progress.actual, 2), 2.78)
        self.assertEqual(progress.status, "kept")
        statuses = [p.status for _, p in rows]
        self.assertEqual(statuses.count("partly_kept"), 1)  # the evening field workers

    def test_the_promise_check_flags_only_the_deliberately_vague_commitment(self):
        from lofte.promises.check import check

        vague = self.promise.commitments.get(text__startswith="Vi ska arbeta tillsammans")
        findings = check(self.promise, today=date(2016, 2, 1)).findings
        self.assertEqual({f.commitment for f in findings}, {vague.pk})
        # The vague one also addresses no cause of the demo's cause tree.
        self.assertEqual([f.rule for f in findings], ["responsible", "measurable", "measurable", "cause"])
        status = dict((c.pk, p.status) for c, p in promise_progress(self.promise, today=date(2026, 11, 25)))
        self.assertEqual(status[vague.pk], "unmeasurable")
        # The public page said "Ansvariga:" with no one and "Mål: minst · Utfall:" with nothing (issue 24).
        page = self.client.get(f"/loften/{self.promise.slug}/").content.decode()
        item = page[page.index(f'id="c{vague.pk}"') :].split("</li>", 1)[0]
        self.assertIn("Inget mål och inget datum sattes för åtagandet, så det kan inte följas upp.", item)
        self.assertNotIn("Ansvariga", item)
        self.assertNotIn("Mål:", item)

    def test_the_demo_owners_edit_the_demo_promises_commitments(self):
        from django.contrib.auth.models import User

        commitment = self.promise.commitments.get(position=1)
        for username in ("samordnare", "kommunpolis"):
            self.client.force_login(User.objects.get(username=username))
            self.assertEqual(self.client.get(f"/en/personal/ataganden/{commitment.pk}/").status_code, 200, username)
            update = {"published_on": "2016-10-01", "text": f"Lägesrapport från {username}"}
            answer = self.client.post(f"/en/personal/ataganden/{commitment.pk}/lagesrapport/", update)
            self.assertEqual(answer.status_code, 302, username)
        self.assertEqual(commitment.updates.filter(text__startswith="Lägesrapport från").count(), 2)

    def test_the_demo_promise_is_compared_with_a_control_area(self):
        from lofte.promises.outcomes import compare

        result = compare(self.promise, today=date(2026, 11, 25))
        self.assertEqual([a.code for a in self.promise.control_areas.all()], ["hisings-backa"])
        self.assertLess(result.target.after, result.target.before)  # fewer at the squares during the promise
        self.assertLess(abs(result.control.after - result.control.before), 0.1 * result.control.before)
        self.assertLess(result.did.rate_ratio, 1)
        # The ring has incidents and no planted change; the synthetic twin comes from seven areas,
        # too few for any gap to be a measurable change (p ≥ 1/8): the report says so.
        self.assertIsNotNone(result.buffer)
        self.assertEqual(result.synthetic.placebos, 7)
        self.assertEqual(result.synthetic.verdict, "no measurable change")
        self.assertIsNone(result.event_study.pretrend_p < 0.05 or None)  # no earlier difference
        page = self.client.get("/en/loften/vastra-hisingen-2016/rapport/")
        for section in ("did", "wdd", "its", "event-study", "synthetic"):
            self.assertContains(page, f'data-outcome="{section}"')
        self.assertContains(page, "<svg", count=5)  # months, quarters, twin, hot spots, survey
        self.assertContains(page, 'data-section="rationale"')

    def test_the_report_repeats_the_headline_numbers(self):
        body = self.client.get("/loften/vastra-hisingen-2016/rapport/").content.decode().replace("\xa0", " ")
        for figure in ('data-figure="visits">1 016<', 'data-figure="weapons">24<', 'data-figure="narcotics">35,2<'):
            self.assertIn(figure, body)
        self.assertIn("Så har vi hållit vårt löfte", body)

    def test_the_report_prints_as_an_a4_pdf_with_its_numbers(self):
        import io

        from pypdf import PdfReader

        from lofte.promises.report import render_report

        skip_without_pango(self)
        pdf = PdfReader(io.BytesIO(render_report(self.promise, language="sv", fmt="pdf")))
        self.assertGreater(len(pdf.pages), 0)
        self.assertAlmostEqual(float(pdf.pages[0].mediabox.width), 595.28, delta=1)  # A4 in points
        text = " ".join(page.extract_text() for page in pdf.pages).replace("\xa0", " ").replace("\u202f", " ")
        for figure in ("Så har vi hållit vårt löfte", "1 016", "35,2", "24"):
            self.assertIn(figure, text)

    def test_the_printed_report_links_to_the_public_site_and_keeps_each_commitment_on_one_page(self):
        import io

        from pypdf import PdfReader

        from lofte.promises.report import render_report

        skip_without_pango(self)
        for k in range(12):  # long commitments, so that some fall at a page's end
            Commitment.objects.create(
                promise=self.promise, position=50 + k, kind="milestone", due_date=date(2017, 6, 1),
                text=f"Början{k:02} " + "vi går igenom belysningen i varje trappuppgång tillsammans med de boende " * 6
                + f"Slutet{k:02}",
            )  # fmt: skip
        pdf = PdfReader(io.BytesIO(render_report(self.promise, language="sv", fmt="pdf")))
        pages = [page.extract_text() for page in pdf.pages]
        for k in range(12):
            self.assertEqual(
                [n for n, text in enumerate(pages) if f"Början{k:02}" in text],
                [n for n, text in enumerate(pages) if f"Slutet{k:02}" in text],
                f"commitment {k} is split across pages",
            )
        links = [annotation.get_object()["/A"].get("/URI") for page in pdf.pages
                 for annotation in page.get("/Annots", [])]  # fmt: skip
        links = [link for link in links if link]
        self.assertTrue(links)
        for link in links:
            self.assertTrue(link.startswith(settings.LOFTE_PUBLIC_URL.rstrip("/") + "/"), link)

    def test_the_report_command_writes_html_and_pdf(self):
        import tempfile
        from pathlib import Path

        from django.core.management import call_command

        folder = Path(tempfile.mkdtemp())
        call_command("report", self.promise.slug, "--lang", "en", "--out", str(folder / "r.html"), stdout=io_sink())
        self.assertIn("How we kept our promise", (folder / "r.html").read_text())
        skip_without_pango(self)
        call_command("report", self.promise.slug, "--format", "pdf", "--out", str(folder / "r.pdf"), stdout=io_sink())
        self.assertTrue((folder / "r.pdf").read_bytes().startswith(b"%PDF"))

    def test_it_seizes_24_weapons_6_automatic_and_35_2_kg_narcotics(self):
        outputs = promise_outputs(self.promise, today=date(2026, 11, 25))
        self.assertEqual(outputs.weapons, 24)
        self.assertEqual(outputs.automatic_weapons, 6)
        self.assertAlmostEqual(outputs.narcotics_kg, 35.2, places=6)
        self.assertEqual(outputs.information_meetings, 10)
        self.assertEqual(Seizure.objects.filter(category="weapon", automatic=True).count(), 6)

    def test_it_has_gps_visits_support_cases_and_a_street_value(self):
        self.assertGreater(Patrol.objects.filter(source="gps", place__name="Länsmanstorget").count(), 150)
        self.assertFalse(Patrol.objects.filter(source="gps").exclude(place__name="Länsmanstorget").exists())
        outputs = promise_outputs(self.promise, today=date(2026, 11, 25))
        self.assertEqual(outputs.support_cases, 12)
        value = outputs.street_value
        self.assertLess(value.low, 10_000_000)
        self.assertGreater(value.high, 10_000_000)
        self.assertEqual(value.unpriced_seizures, 0)

    def test_it_shows_the_dosage_page_to_the_owners(self):
        from django.contrib.auth.models import User

        client = Client()
        client.force_login(User.objects.get(username="kommunpolis"))
        response = client.get("/en/loften/vastra-hisingen-2016/dosering/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "lasted 10–16 minutes")
        self.assertContains(response, "from GPS")
        self.assertContains(response, "Half of the area's incidents happen in these hours")
        self.assertContains(response, "shorter than 1 min do not count towards the promise's targets: 0 visits here.")
        client.force_login(User.objects.get(username="polis"))
        self.assertEqual(client.get("/en/loften/vastra-hisingen-2016/dosering/").status_code, 200)
        client.logout()
        self.assertEqual(client.get("/en/loften/vastra-hisingen-2016/dosering/").status_code, 302)

    def test_it_keeps_realistic_visit_lengths_and_times(self):
        minutes = [p.minutes for p in Patrol.objects.all()]
        self.assertTrue(all(3 <= m <= 45 for m in minutes))
        self.assertTrue(10 <= sorted(minutes)[len(minutes) // 2] <= 15)
        evening = sum(1 for p in Patrol.objects.all() if p.start.astimezone(scenario.STOCKHOLM).hour >= 16)
        self.assertGreater(evening / 1016, 0.5)

    def test_it_has_a_weighted_survey_whose_drug_dealing_indicator_improved(self):
        from django.utils import translation

        from lofte.demo import survey as demo_survey
        from lofte.surveys import answering
        from lofte.surveys.models import Survey
        from lofte.surveys.results import comparison_table, wave_estimates, waves_to_compare

        survey = Survey.objects.get(slug=demo_survey.SLUG)
        base, follow = waves_to_compare(survey)
        assert (base.invitations.count(), follow.invitations.count()) == (1000, 1000)
        assert 400 < base.responses.count() < 550 and 400 < follow.responses.count() < 550
        items = list(survey.items.filter(code__in=["problem_drug_dealing", "avoid_places"]))
        with translation.override("en"):
            rows = {
                (r.code, r.domain): r
                for r in comparison_table(wave_estimates(base, items), wave_estimates(follow, items), items)
            }
        assert rows[("problem_drug_dealing", "all")].verdict == "better"
        assert rows[("avoid_places", "all")].verdict == "none"
        codes = demo_survey.practice_codes(survey)
        assert len(codes) == 5
        assert answering.invitation_for(codes[0]).wave.label == "prova enkäten (demo)"

    def test_the_survey_results_start_with_a_summary_and_open_by_question(self):
        page = Client().get("/enkater/trygghet-biskopsgarden/resultat/").content.decode()
        text = re.sub(r"\s+", " ", page)
        self.assertIn("<p data-summary>3 förbättringar, 0 försämringar, 14 utan mätbar förändring.</p>", text)
        self.assertEqual(page.count('<details class="card survey-item"'), 17)

    def test_it_is_idempotent(self):
        again = scenario.build()
        self.assertEqual(again.pk, self.promise.pk)
        self.assertEqual(Patrol.objects.count(), 1016)
        self.assertEqual(Activity.objects.filter(kind="information_meeting").count(), 10)

    def test_it_shows_the_figures_on_the_public_page_in_both_languages(self):
        client = Client()
        sv = re.sub(r"\s+", " ", client.get("/loften/vastra-hisingen-2016/").content.decode())
        self.assertIn('data-figure="visits">1 016<', sv)
        self.assertIn("2,8 per dag", sv)
        self.assertIn("Mål: minst 2,5 besök per dag · Utfall: <strong data-actual>2,78</strong>", sv)
        self.assertIn("syntetisk", sv)
        en = re.sub(r"\s+", " ", client.get("/en/loften/vastra-hisingen-2016/").content.decode())
        self.assertIn('data-figure="visits">1,016<', en)
        self.assertIn("2.8 a day", en)
        self.assertIn("Target: at least 2.5 visits a day · Actual: <strong data-actual>2.78</strong>", en)
        self.assertIn("synthetic", en)
        self.assertIn("autumn 2014", en)  # the waves' English labels
        self.assertIn('data-section="rationale"', en)  # why this problem, on the public page
        self.assertNotIn("hösten", en)

    def test_it_lists_the_demo_promise_in_the_api(self):
        data = Client().get("/api/v1/promises/").json()
        self.assertEqual([p["slug"] for p in data], [scenario.SLUG])
        detail = Client().get(f"/api/v1/promises/{scenario.SLUG}").json()
        patrol = detail["commitments"][0]
        self.assertEqual((patrol["actual"], patrol["status"]), (2.78, "kept"))
        self.assertEqual(Promise.objects.get().status, "closed")

    def test_the_report_api_gives_every_comparison_and_the_survey_outcomes(self):
        data = Client().get(f"/api/v1/promises/{scenario.SLUG}/report").json()
        outcomes = data["outcomes"]
        for part in ("did", "wdd", "its", "event_study", "synthetic", "hot_spots"):
            self.assertTrue(outcomes[part], part)
        self.assertTrue(data["rationale"].startswith("Trygghetsundersökningen"))
        compared = [s for s in data["survey"] if s["comparison"]]
        self.assertEqual(len(compared), 2)
        for outcome in compared:  # each with both waves' intervals and the change's
            self.assertLessEqual(outcome["base"]["ci_low"], outcome["base"]["estimate"])
            self.assertLessEqual(outcome["comparison"]["ci_low"], outcome["comparison"]["diff"])


@pytest.mark.slow  # child processes: not in `make test-fast`
def test_it_builds_the_demo_database_from_the_command_line(tmp_path):
    db = tmp_path / "demo.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOFTE_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "lofte.cli", "demo", "--db", str(db), "--no-serve"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "kommunpolis" in result.stdout
    with sqlite3.connect(db) as connection:
        assert connection.execute("select count(*) from activities_patrol").fetchone()[0] == 1016


def io_sink():
    import io

    return io.StringIO()


def skip_without_pango(test):
    """PDF reports need WeasyPrint, which needs Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0)."""
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        test.skipTest(f"WeasyPrint cannot load Pango ({exc}); apt-get install libpango-1.0-0 libpangoft2-1.0-0")


class DemoDialogueTests(DemoTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()  # the demo, copied in (cls.promise)

    def test_the_demo_heard_residents_before_choosing_the_problem(self):
        from lofte.dialogues.models import Dialogue, Statement

        self.assertEqual(Dialogue.objects.count(), 2)
        self.assertTrue(all(d.interpreted for d in Dialogue.objects.all()))
        page = Client().get("/omraden/biskopsgarden/tyck-till/").content.decode()
        self.assertIn("Jag går inte över torget efter klockan åtta", page)
        waiting = Statement.objects.get(status=Statement.Status.PENDING)
        self.assertNotIn(waiting.text, page)
        violence = Statement.objects.filter(themes__name="Våld på offentliga platser").count()
        self.assertEqual(violence, 5)  # the theme residents raised most
        self.assertContains(Client().get("/loften/vastra-hisingen-2016/"), "/omraden/biskopsgarden/tyck-till/")

    def test_the_demo_opinion_exercise_finds_its_three_groups_and_their_consensus(self):
        from lofte.dialogues.models import OpinionExercise

        exercise = OpinionExercise.objects.get()
        page = re.sub(r"\s+", " ", Client().get(f"/asikter/{exercise.pk}/grupper/").content.decode())
        self.assertIn("bildar 3 grupper", page)
        consensus = page[page.index("Det alla grupper håller med om") :]
        self.assertIn("Belysningen i området behöver bli bättre.", consensus)
        self.assertIn("Unga som vill lämna kriminalitet behöver mer stöd.", consensus)
        self.assertContains(Client().get("/omraden/biskopsgarden/tyck-till/"), f"/asikter/{exercise.pk}/")

    def test_the_cause_tree_links_causes_to_commitments_and_the_triangle_has_every_side(self):
        from django.contrib.auth import get_user_model

        client = Client()
        client.force_login(get_user_model().objects.get(username="kommunpolis"))
        page = client.get("/personal/loften/vastra-hisingen-2016/orsaker/")
        self.assertContains(page, "Grupperna gör anspråk på torgen på kvällarna")
        self.assertContains(page, 'data-depth="1"')  # a cause under a cause
        self.assertEqual(len(self.promise.triangle), 6)
        addressed = self.promise.commitments.filter(causes__isnull=False).distinct().count()
        self.assertEqual(addressed, self.promise.commitments.count() - 1)  # all but the vague one
        report = Client().get("/loften/vastra-hisingen-2016/rapport/")
        self.assertContains(report, 'data-section="causes"')

    def test_the_evidence_matrix_shows_why_gang_violence_was_chosen(self):
        from django.contrib.auth import get_user_model

        client = Client()
        client.force_login(get_user_model().objects.get(username="kommunpolis"))
        rows = {r["problem"]: r for r in client.get("/api/v1/areas/biskopsgarden/evidence").json()}
        violence = rows["Gängrelaterat våld på offentliga platser"]
        # The dialogues raised it most, and it has the most incidents of the candidate problems.
        self.assertEqual(violence["statements"], max(r["statements"] for r in rows.values()))
        self.assertEqual(violence["incidents"], max(r["incidents"] or 0 for r in rows.values()))
        self.assertIsNotNone(violence["survey"]["share"])
        page = client.get("/personal/omraden/biskopsgarden/underlag/?sort=statements")
        self.assertContains(page, "Trygghetsundersökningen hösten 2014 visade")  # the rationale beside the matrix

    def test_the_partners_week_of_gatherings_at_varvaderstorget_is_more_than_usual(self):
        from django.contrib.auth import get_user_model

        from lofte.observations.models import Observation

        self.assertGreater(Observation.objects.filter(source="demo").count(), 500)
        client = Client()
        client.force_login(get_user_model().objects.get(username="samordnare"))
        page = client.get("/personal/omraden/biskopsgarden/vecka/?week=2017-W20")
        self.assertContains(page, 'data-unusual="gathering"')
        # On the map: the week's gatherings, at Vårväderstorget, over the year's hot spots.
        shown = json.loads(
            re.search(r'id="situation-data" type="application/json">(.*?)</script>', page.content.decode(), re.S)[1]
        )
        square = next(p for p in shown["places"] if p["name"] == "Vårväderstorget")
        near = [f for f in shown["points"]["features"] if f["properties"]["type"].startswith("Samling")
                and abs(f["geometry"]["coordinates"][1] - square["lat"]) < 0.002]  # fmt: skip
        self.assertGreaterEqual(len(near), 9)
        self.assertTrue(shown["cells"]["features"])
        before = client.get("/personal/omraden/biskopsgarden/vecka/?week=2017-W19")
        self.assertContains(before, 'data-verdict="none"')

    def test_residents_see_what_became_of_their_reports_and_the_guards_answered_the_gatherings(self):
        from lofte.observations.models import Action

        public = Client().get("/omraden/biskopsgarden/rapporter/")
        for status in ("action_planned", "done", "declined"):
            self.assertContains(public, f'data-status="{status}"')
        self.assertContains(public, "Ny belysning i gångtunneln vid Friskväderstorget")
        self.assertNotContains(public, "Grupper av unga samlas")  # waiting for moderation
        guards = Action.objects.get(title__startswith="Väktare på Vårväderstorget")
        self.assertGreaterEqual(guards.observations.count(), 9)  # the planted week's gatherings
        observed = Client().get("/api/v1/promises/vastra-hisingen-2016/report").json()["observed"]
        self.assertEqual(observed["before"], ["2015-03-02", "2016-02-29"])  # the year before, from the first report
        self.assertIsNotNone(observed["change"])

    def test_the_tertial_analysis_shows_what_the_guards_did_at_the_square(self):
        from django.contrib.auth import get_user_model

        client = Client()
        client.force_login(get_user_model().objects.get(username="samordnare"))
        page = client.get("/en/personal/omraden/biskopsgarden/tertial/?period=2017-2")
        self.assertContains(page, "Väktare på Vårväderstorget fredag och lördag kväll")
        self.assertContains(page, "WDD")
        self.assertContains(page, 'data-change="Gathering of people that creates insecurity"')

    def test_the_situation_picture_gives_a_rate_per_thousand_residents(self):
        from django.contrib.auth import get_user_model

        from lofte.accounts.models import ApiToken

        token = "Bearer " + ApiToken.issue(get_user_model().objects.get(username="analytiker"), "t")[1]
        answer = Client().get("/api/v1/areas/biskopsgarden/situation?start=2016-01-01&end=2016-12-31",
                              HTTP_AUTHORIZATION=token).json()  # fmt: skip
        rate = answer["per_1000"]
        self.assertEqual((rate["year"], rate["residents"]), (2016, 25_300))
        self.assertAlmostEqual(rate["per_1000"], answer["total"] / (25_300 * 366 / 365.25) * 1000)

    def test_the_municipalitys_situation_report_2016_is_decided_published_and_links_the_promise(self):
        from lofte.plans.models import SituationReport
        from lofte.promises.models import Promise as PromiseModel

        report = SituationReport.objects.get(municipality_code="1480", year=2016)
        self.assertEqual((report.status, report.decided_by_body), ("published", "Stadsdelsnämnden Västra Hisingen"))
        measures = list(report.measures.order_by("pk"))
        self.assertEqual(measures[0].promise, PromiseModel.objects.get(slug=scenario.SLUG))
        self.assertEqual(sum(m.action_id is not None for m in measures), 2)
        figures = report.figures
        # The survey as it stood at the end of 2016: the baseline, not the 2017 follow-up.
        self.assertEqual((figures["voices"]["survey"]["follow"], figures["voices"]["survey"]["base"]),
                         ("hösten 2014", None))  # fmt: skip
        (opinion,) = figures["voices"]["opinions"]
        self.assertEqual(opinion["groups"], 3)
        self.assertTrue(opinion["consensus"])
        total = figures["mapping"]["incidents"]["total"][-1]["value"]
        self.assertEqual(figures["mapping"]["incidents"]["per_1000"]["count"], total)
        self.assertEqual(figures["mapping"]["incidents"]["population"]["residents"], 25_300)
        page = Client().get("/kommun/1480/lagesbild/2016/")
        self.assertContains(page, "Lägesbild Västra Hisingen 2016")
        self.assertContains(page, "N-2017-0042 (demo)")
        self.assertContains(Client().get("/en/kommun/1480/lagesbild/2016/"), "Position on measures and the action plan")
        # Its follow-up a year later: the lighting and the evening field workers against 2016.
        follow = Client().get("/kommun/1480/lagesbild/2016/biskopsgarden/uppfoljning/")
        self.assertContains(follow, "Fältassistenter på kvällstid")
        self.assertContains(follow, 'data-table="follow-up"')


class DemoTranslationTests(DemoTestCase):
    def test_it_has_the_promise_in_arabic_somali_and_persian_as_drafts_for_a_translator(self):
        from lofte.promises import translations

        for language in ("ar", "so", "fa"):
            states = {t.key.rsplit(":", 1)[1] + ":" + t.key.split(":")[0]: t.state
                      for t in translations.texts(self.promise, language, self.promise.created_by)}  # fmt: skip
            self.assertEqual(states["title:promises.promise"], "draft")
            self.assertEqual(states["problem:promises.promise"], "draft")
            self.assertNotIn("accepted", states.values())  # nobody has checked them yet
        page = Client(HTTP_HOST="localhost").get(f"/so/loften/{self.promise.slug}/").content.decode()
        self.assertIn("Ballanqaadka muwaadiniinta Västra Hisingen 2016–2017", page)
        self.assertIn("booqasho maalintii", page)
