"""Every public page and every staff page, as each role, on a phone (390x844), a desktop (1366x900)
and the narrowest screen WCAG's reflow asks for (320 px): axe-core (vendored, tests/vendor) finds no
serious or critical violation and no page is wider than the window. Screenshots are kept in
LOFTE_ARTEFACTS (default var/screenshots) for people to look at.

Markup does not depend on the database, so the sweep runs on SQLite only."""

import os
from pathlib import Path

import pytest
from django.db import connection

from lofte.cases.models import SupportCase
from lofte.demo import scenario
from lofte.dialogues.models import Dialogue, OpinionExercise
from lofte.plans.models import Measure, SituationReport
from lofte.promises.models import Commitment
from lofte.surveys.models import Survey

from .browser import BrowserTestCase

# A browser (not in `make test-fast`); the markup is the same on every database (not on PostgreSQL's leg).
pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SIZES = {"phone": (390, 844), "desktop": (1366, 900), "narrow": (320, 700)}
ARTEFACTS = Path(os.environ.get("LOFTE_ARTEFACTS", Path.cwd() / "var" / "screenshots"))


def pages_of(role, demo):
    """(name, path) of the pages `role` (a demo user, or None for residents) works with."""
    slug, area = scenario.SLUG, demo["area"]
    public = [
        ("promises", "/"),
        ("promise", f"/loften/{slug}/"),
        ("promise-en", f"/en/loften/{slug}/"),
        ("promise-ar", f"/ar/loften/{slug}/"),  # right to left
        ("survey-start-fa", "/fa/enkat/"),
        ("survey-results-so", f"/so/enkater/{demo['survey']}/resultat/"),
        ("report", f"/loften/{slug}/rapport/"),
        ("about", "/om-medborgarloften/"),
        ("accessibility", "/tillganglighet/"),
        ("privacy", "/personuppgifter/"),
        ("survey-start", "/enkat/"),
        ("survey-results", f"/enkater/{demo['survey']}/resultat/"),
        ("area", f"/omraden/{area}/"),
        ("speak-up", f"/omraden/{area}/tyck-till/"),
        ("resident-report", f"/omraden/{area}/rapportera/"),
        ("resident-report-ar", f"/ar/omraden/{area}/rapportera/"),
        ("resident-reports", f"/omraden/{area}/rapporter/"),
        ("opinion", f"/asikter/{demo['opinion']}/"),
        ("opinion-groups", f"/asikter/{demo['opinion']}/grupper/"),
        ("situation-report", "/kommun/1480/lagesbild/2016/"),
        ("login", "/login/"),
        ("not-found", "/finns-inte/"),
    ]
    staff = {
        "kommunpolis": [
            ("dashboard", "/personal/"),  # with an invitation to be a party (setUp)
            ("dashboard-en", "/en/personal/"),
            ("overview", "/personal/oversikt/"),
            ("work", f"/personal/loften/{slug}/"),
            ("edit", f"/personal/loften/{slug}/andra/"),
            ("commitment-new", f"/personal/loften/{slug}/ataganden/ny/"),
            ("commitment", f"/personal/ataganden/{demo['commitment']}/"),
            ("commitment-update", f"/personal/ataganden/{demo['commitment']}/lagesrapport/"),
            ("places", f"/personal/loften/{slug}/platser/"),
            ("causes", f"/personal/loften/{slug}/orsaker/"),
            ("translations", f"/personal/loften/{slug}/oversattningar/"),
            ("translate", f"/personal/loften/{slug}/oversattningar/ar/"),
            ("promise-new", "/personal/loften/nytt/"),
            ("dosage", f"/loften/{slug}/dosering/"),
            ("dialogues", "/personal/dialoger/"),
            ("evidence", f"/personal/omraden/{area}/underlag/"),
            ("dialogue", f"/personal/dialog/{demo['dialogue']}/"),
            ("dialogue-new", f"/personal/dialoger/{area}/ny/"),
            ("area-setup", f"/personal/omraden/{area}/teman/"),
            ("actions", "/personal/atgarder/"),
            ("resident-moderation", f"/personal/omraden/{area}/invanarrapporter/"),
            ("action-new", f"/personal/atgarder/ny/?area={area}"),
            ("surveys", "/enkater/"),
            ("survey-new", "/enkater/ny/"),
            ("survey", f"/enkater/{demo['survey']}/"),
        ],
        "analytiker": [
            ("situation", f"/lagesbild/{area}/"),
            ("week", f"/personal/omraden/{area}/vecka/"),
            ("tertial", f"/personal/omraden/{area}/tertial/"),
            ("import", "/personal/import/"),
        ],
        "polis": [("patrol", "/patrull/"), ("dashboard", "/personal/")],
        "handlaggare": [("cases", "/arenden/"), ("case", f"/arenden/{demo['case']}/"), ("case-new", "/arenden/nytt/")],
        "admin": [
            ("organisation", "/personal/organisation/"),
            ("plans", "/personal/lagesbilder/"),
            ("plan-new", "/personal/lagesbilder/ny/"),
            ("plan", f"/personal/lagesbilder/{demo['report']}/"),
            ("plan-measure", f"/personal/atgardsplan/{demo['measure']}/"),
        ],
        "rapportor": [("observation-report", "/rapportera/"), ("dashboard", "/personal/")],
    }
    return public if role is None else staff[role]


def invite_the_police(promise):
    """A draft of the district administration's that invites the police, so that the police owner's
    dashboard shows an invitation to answer."""
    from lofte.promises.models import PartyInvitation, Promise

    police, district = promise.parties.get(kind="police"), promise.parties.get(kind="municipality")
    draft = Promise.objects.create(area=promise.area, slug="inbjudan", title="Tryggare skolväg", problem="P",
                                   period_start=promise.period_start, period_end=promise.period_end)  # fmt: skip
    draft.parties.set([district])
    PartyInvitation.objects.create(promise=draft, organisation=police)


class AccessibilityTests(BrowserTestCase):
    def setUp(self):
        if connection.vendor != "sqlite":
            self.skipTest("markup is the same on every database: swept on SQLite")
        super().setUp()
        promise = scenario.build()
        invite_the_police(promise)
        self.demo = {
            "area": promise.area.code,
            "survey": Survey.objects.filter(published=True).first().slug,
            "commitment": Commitment.objects.filter(promise=promise).first().pk,
            "case": SupportCase.objects.first().pk,
            "opinion": OpinionExercise.objects.first().pk,
            "dialogue": Dialogue.objects.first().pk,
            "report": SituationReport.objects.get().pk,
            "measure": Measure.objects.first().pk,
        }
        self.axe = AXE.read_text(encoding="utf-8")

    def sweep(self, role):
        problems = []
        for size, (width, height) in SIZES.items():
            options = {"viewport": {"width": width, "height": height}, "bypass_csp": True}  # axe is injected
            page = self.logged_in_page(role, **options) if role else self.browser.new_page(**options)
            for name, path in pages_of(role, self.demo):
                page.goto(self.live_server_url + path)
                page.wait_for_load_state("load")  # scripts have run; a map's later fetches do not change the layout
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                if overflow > 0:
                    problems.append(f"{role or 'resident'} {size} {path}: {overflow} px wider than the window")
                if size != "narrow":
                    page.add_script_tag(content=self.axe)
                    found = page.evaluate(
                        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                        ".map(v => v.id + ' (' + v.nodes.length + '): ' + v.nodes[0].target.join(' '))"
                    )
                    problems += [f"{role or 'resident'} {size} {path}: {v}" for v in found]
                ARTEFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(ARTEFACTS / f"{role or 'resident'}-{name}-{size}.png"), full_page=True)
            page.close()
        return problems

    def test_residents_pages(self):
        problems = self.sweep(None)
        self.assertEqual(problems, [], "\n" + "\n".join(problems))

    # One test per role, so that parallel workers share the sweep (the demo is copied in for each).
    def check_staff_pages_as(self, role):
        problems = self.sweep(role)
        self.assertEqual(problems, [], "\n" + "\n".join(problems))

    def test_the_staff_pages_as_the_community_police_officer(self):
        self.check_staff_pages_as("kommunpolis")

    def test_the_staff_pages_as_the_analyst(self):
        self.check_staff_pages_as("analytiker")

    def test_the_staff_pages_as_a_patrol_officer(self):
        self.check_staff_pages_as("polis")

    def test_the_staff_pages_as_the_case_worker(self):
        self.check_staff_pages_as("handlaggare")

    def test_the_staff_pages_as_a_partners_reporter(self):
        self.check_staff_pages_as("rapportor")

    def test_the_staff_pages_as_the_superuser(self):
        self.check_staff_pages_as("admin")

    def test_the_questionnaire_can_be_answered_with_the_keyboard_alone(self):
        from lofte.demo import survey as demo_survey
        from lofte.surveys.models import Response

        survey = demo_survey.build(scenario.build().area, [])
        code = demo_survey.practice_codes(survey)[1]
        before = Response.objects.count()
        page = self.browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{self.live_server_url}/enkat/")
        focused = (
            "() => { const e = document.activeElement;"
            " return [e.tagName, e.type || '', e.id || '', e.checked || false, e.textContent.trim()]; }"
        )
        presses, answered = 0, 0
        while "tack" not in page.url and presses < 600:
            page.keyboard.press("Tab")
            presses += 1
            tag, kind, ident, checked, text = page.evaluate(focused)
            if ident == "code":
                page.keyboard.type(code)
                with page.expect_navigation():
                    page.keyboard.press("Enter")
            elif kind == "radio" and not checked:
                page.keyboard.press("Space")  # the group's first answer: any answer will do
                answered += 1
            elif tag == "BUTTON" and text in ("Börja", "Nästa", "Skicka mina svar"):
                with page.expect_navigation():
                    page.keyboard.press("Enter")
        page.get_by_text("Tack för dina svar").wait_for()
        self.assertEqual(Response.objects.count(), before + 1)
        self.assertGreater(answered, 5)
        page.close()
