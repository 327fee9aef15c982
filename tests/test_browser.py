"""The public page in a real browser (Debian's Chromium driven by Playwright), desktop and phone."""

import re
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pypdf
import pytest

from lofte.demo import scenario
from lofte.incidents import jobs

from .browser import BrowserTestCase
from .survey_base import write_frame

pytestmark = pytest.mark.slow  # a browser: not in `make test-fast`


class BrowserTests(BrowserTestCase):
    def check_demo_page(self, width, height):
        page = self.browser.new_page(viewport={"width": width, "height": height})
        page.goto(f"{self.live_server_url}/loften/vastra-hisingen-2016/")
        self.assertEqual(page.locator("[data-figure=visits]").inner_text().replace("\xa0", " "), "1 016")
        self.assertTrue(page.locator("h1").is_visible())
        # Nothing is wider than the screen: no sideways scrolling on a phone.
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), width)
        page.get_by_role("link", name="English").click()
        page.wait_for_url("**/en/loften/vastra-hisingen-2016/")
        self.assertEqual(page.locator("[data-figure=visits]").inner_text(), "1,016")
        self.assertEqual(page.locator(".status-partly_kept").first.inner_text(), "partly kept")
        page.close()

    def test_it_shows_the_demo_promise_readably_on_a_desktop(self):
        self.check_demo_page(1280, 900)

    def test_it_shows_the_demo_promise_readably_on_a_phone(self):
        self.check_demo_page(390, 844)

    def test_it_logs_an_owner_in_and_shows_the_dashboard(self):
        page = self.logged_in_page("kommunpolis")
        self.assertIn("Citizen promise Västra Hisingen", page.content())
        page.close()

    def test_an_officer_logs_a_visit_on_a_phone(self):
        context = self.browser.new_context(
            viewport={"width": 390, "height": 844},
            geolocation={"latitude": 57.7160, "longitude": 11.8930},
            permissions=["geolocation"],
        )
        page = context.new_page()
        page.goto(f"{self.live_server_url}/en/login/")
        page.get_by_label("Username").fill("polis")
        page.get_by_label("Password").fill("lofte-demo")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/personal/")
        page.goto(f"{self.live_server_url}/en/patrull/")
        page.get_by_text("Nearest places first.").wait_for()
        first = page.locator(".places button").first
        self.assertIn("Länsmanstorget", first.inner_text())  # the phone stands on that square
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 390)
        first.click()
        page.get_by_text("Visit going on").wait_for()
        page.get_by_role("button", name="End visit").click()
        page.get_by_text("ended after").wait_for()
        context.close()

    def plan_a_promise(self, width, height, slug):
        """As samordnare, without the admin: a promise for a new area uploaded in SWEREF 99 TM, two hot
        spots placed on the map, a target and a milestone, the check's findings, publishing with a reason."""
        import json
        import tempfile

        # Inside Biskopsgården, the area the demo's organisations hold (a new outline may not reach past them).
        # Each run draws its own area: the same outline twice is one area, refused the second time.
        x, y, side = (314750, 6402150, 250) if width < 800 else (314800, 6402200, 150)
        square = [[[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]]
        outline = {
            "type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
            "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": square}}],
        }
        upload = Path(tempfile.mkdtemp()) / "omrade.geojson"
        upload.write_text(json.dumps(outline))
        page = self.browser.new_page(viewport={"width": width, "height": height})
        visited = []
        page.on("request", lambda request: visited.append(request.url))
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{self.live_server_url}/en/login/")
        page.get_by_label("Username").fill("samordnare")
        page.get_by_label("Password").fill("lofte-demo")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/personal/")
        page.get_by_role("link", name="New promise").click()
        page.locator("#id_area_file").set_input_files(str(upload))
        page.locator("#id_area_name").fill(f"Hjalmar {slug}")
        page.locator("#id_area_code").fill(slug)
        page.get_by_label("Lokalpolisområde Hisingen").check()
        for field, value in [("slug", slug), ("title", "Tryggare Hjalmar"), ("problem", "Otrygghet vid hållplatsen"),
                             ("period_start", "2026-01-01"), ("period_end", "2026-12-31")]:  # fmt: skip
            page.locator(f"#id_{field}").fill(value)
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(f"**/personal/loften/{slug}/")
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), width)
        # The police are invited: a party (sharing the new area) once their owner accepts, on a phone too.
        page.get_by_text("Invited, waiting for an answer:").wait_for()
        police = self.logged_in_page("kommunpolis", viewport={"width": width, "height": height})
        police.locator("[data-invitation]", has_text=f"Hjalmar {slug}").get_by_role("button", name="Accept").click()
        police.get_by_text("is now a party to").wait_for()
        self.assertLessEqual(police.evaluate("document.documentElement.scrollWidth"), width)
        police.close()

        page.get_by_role("link", name="Places").click()
        for name, dx in (("Torg A", -20), ("Torg B", 20)):
            page.locator("#place-map[data-ready]").wait_for()  # the map is drawn and listens
            box = page.locator("#place-map").bounding_box()
            page.locator("#place-map").click(position={"x": box["width"] / 2 + dx, "y": box["height"] / 2})
            page.locator("#id_name").fill(name)
            page.get_by_role("button", name="Add the place").click()
            page.get_by_text("The place is added").wait_for()
        # A third place drawn as an outline with the polygon tool; clicking the first corner closes it.
        page.locator("#place-map[data-ready]").wait_for()
        page.locator(".leaflet-pm-icon-polygon").click()
        box = page.locator("#place-map").bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 + 40
        for dx, dy in ((-30, -15), (30, -15), (30, 15), (-30, 15), (-30, -15)):
            page.mouse.click(x + dx, y + dy)
        page.locator("#id_name").fill("Parkeringen")
        page.get_by_role("button", name="Add the place").click()
        page.get_by_text("The place is added").wait_for()

        page.goto(f"{self.live_server_url}/en/personal/loften/{slug}/ataganden/ny/")
        page.locator("#id_text").fill("Polisen besöker torgen minst två gånger per dag.")
        page.locator("#id_metric").select_option("patrol_visits_per_day")
        page.locator("#id_target_value").fill("2")
        page.get_by_label("Lokalpolisområde Hisingen").check()
        page.get_by_label("Torg A").check()
        page.get_by_role("button", name="Save").click()
        page.get_by_text("The commitment is added.").wait_for()
        page.get_by_role("link", name="Add a commitment").click()
        page.locator("#id_text").fill("En trygghetsvandring med boende genomförs.")
        page.locator("#id_kind").select_option("milestone")
        page.locator("#id_due_date").fill("2026-12-15")
        page.get_by_label("Västra Hisingens stadsdelsförvaltning").check()
        page.get_by_role("button", name="Save").click()
        page.get_by_text("The commitment is added.").wait_for()

        self.assertTrue(page.locator("[data-rule=outcome]").is_visible())  # the check's finding
        page.locator("#reason").fill("Utfallet kopplas när enkäten är klar.")
        page.get_by_role("button", name="Publish the promise").click()
        page.get_by_text("The promise is published.").wait_for()
        page.goto(f"{self.live_server_url}/en/loften/{slug}/")
        self.assertIn("Tryggare Hjalmar", page.locator("h1").inner_text())
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), width)
        self.assertFalse([url for url in visited if "/admin/" in url])
        self.assertEqual(errors, [])  # no script failed on any page
        page.close()

    def test_a_year_for_a_new_area_on_a_phone(self):
        self.live_a_year(390, 844, "hjalmar-telefon")

    @pytest.mark.sqlite_only  # the same flow as on the phone, which the PostgreSQL leg walks
    def test_a_year_for_a_new_area_on_a_desktop(self):
        self.live_a_year(1280, 900, "hjalmar-dator")

    def live_a_year(self, width, height, slug):
        """Issue 24's browser walk: the whole year of a promise for a new area, by the people who do it,
        without /admin/ or the shell. Every page fits the screen and no script fails on any of them."""
        self.plan_a_promise(width, height, slug)
        self.walk = Walk(self, width, height)
        colleague = self.invite_a_colleague(slug)
        self.import_a_file(colleague, slug)
        code = self.start_a_survey(slug)
        self.answer_the_survey(code)
        self.measure_by_the_survey_with_a_reason(slug)
        self.patrol_and_seize()
        self.read_the_report(slug)
        self.walk.done()

    def invite_a_colleague(self, slug):
        """The municipality's administrator invites an analyst by e-mail; she sets her password."""
        from django.core import mail

        from lofte.accounts.models import Role

        page = self.walk.login("administrator")
        page.get_by_role("link", name="Organisation").click()
        invite = page.locator("form[data-invite]").first
        address = f"analys-{slug}@goteborg.se"
        invite.get_by_label("Invite by e-mail").fill(address)
        invite.get_by_label("Name").fill("Sara Ek")
        invite.get_by_label("Role").select_option(Role.ANALYST)
        invite.get_by_role("button", name="Send the invitation").click()
        page.get_by_text(address).first.wait_for()
        self.walk.check(page)
        page.close()
        (link,) = re.findall(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body)
        page = self.walk.page()
        page.goto(self.live_server_url + link)
        page.get_by_label("New password").fill("Trygghet-på-torget-2026")
        page.get_by_label("The same password again").fill("Trygghet-på-torget-2026")
        page.get_by_role("button", name="Save the password").click()
        page.wait_for_url("**/klart/")
        page.close()
        return address

    def import_a_file(self, colleague, slug):
        """She uploads the municipality's reports of vandalism, as a Swedish spreadsheet writes them
        (`;`, a byte-order mark); the demo's worker imports them and the page says how it went."""
        rows = ["Ärende;Datum;Typ;Lon;Lat", f"{slug}-1;2026-02-03;Skadegörelse;11,8853;57,7251",
                f"{slug}-2;2026-02-04;Klotter;11,8854;57,7252"]  # fmt: skip
        upload = Path(tempfile.mkdtemp()) / "skadegorelse.csv"
        upload.write_text("\ufeff" + "\r\n".join(rows) + "\r\n", encoding="utf-8")
        page = self.walk.login(colleague, password="Trygghet-på-torget-2026")
        page.goto(f"{self.live_server_url}/en/personal/import/")
        page.locator("#id_file").set_input_files(str(upload))
        page.locator("#id_format").select_option("csv")
        page.locator("#id_source").fill("sdf")
        page.locator("#id_mapping").fill(
            'nature = "crime"\n[columns]\nid = "Ärende"\ndate = "Datum"\ntype = "Typ"\nlon = "Lon"\nlat = "Lat"\n'
        )
        page.get_by_role("button", name="Upload").click()
        page.get_by_text("The file is waiting for the import").wait_for()
        # The demo's worker, as `make demo` runs it beside the server (here once: the in-memory test
        # database refuses at once, rather than waits, a writer while another thread writes).
        jobs.work(once=True)
        page.locator("[data-job=done]", has_text="skadegorelse.csv").wait_for()
        self.assertIn("2 imported", page.locator("[data-job=done]", has_text="skadegorelse.csv").inner_text())
        self.walk.check(page)
        page.close()

    def start_a_survey(self, slug):
        """The coordinator makes the area's safety survey: questions from the bank, a baseline open now
        and a follow-up next year, a sample from the register extract, the letters. A resident's code
        is read from the letters, as she would read it from hers."""
        today = date.today()
        page = self.walk.login("samordnare")
        page.goto(f"{self.live_server_url}/en/enkater/ny/")
        page.locator("#id_name").fill(f"Trygghetsmätning {slug}")
        page.locator("#id_area").select_option(label=f"Hjalmar {slug}")
        page.get_by_role("button", name="Start", exact=True).click()
        page.get_by_text("The survey is started").wait_for()
        bank = page.locator("form", has=page.get_by_role("button", name="Add the chosen questions"))
        bank.get_by_role("checkbox").nth(0).check()
        bank.get_by_role("checkbox").nth(1).check()
        bank.get_by_role("button", name="Add the chosen questions").click()
        page.get_by_role("button", name="Add the chosen questions").wait_for()
        for kind, label, opens in (
            ("baseline", "hösten 2026", today),
            ("follow_up", "hösten 2027", today.replace(year=today.year + 1)),
        ):
            wave = page.locator("form", has=page.get_by_role("button", name="Add the wave"))
            wave.locator("[name=kind]").select_option(kind)
            wave.locator("[name=label]").fill(label)
            wave.locator("[name=opens_on]").fill(opens.isoformat())
            wave.locator("[name=closes_on]").fill((opens + timedelta(days=30)).isoformat())
            wave.get_by_role("button", name="Add the wave").click()
            page.get_by_role("rowheader", name=re.compile(label)).wait_for()
        frame = write_frame(Path(tempfile.mkdtemp()) / "urval.csv", people=200)
        sample = page.locator("form", has=page.get_by_role("button", name="Draw the sample"))
        choose(sample.locator("[name=wave]"), "hösten 2026")
        sample.locator("input[type=file]").set_input_files(str(frame))
        sample.locator("[name=size]").fill("20")
        sample.locator("[name=seed]").fill("2026")
        sample.get_by_role("button", name="Draw the sample").click()
        page.get_by_text("20 people invited to hösten 2026").wait_for()
        with page.expect_download() as download:
            page.locator("a[data-letters]", has_text="invitations (PDF)").first.click()
        page.get_by_text("The letters are ready").wait_for()
        text = pypdf.PdfReader(download.value.path()).pages[0].extract_text()
        (code,) = re.findall(r"\b[0-9A-Z]{5}-[0-9A-Z]{5}\b", text)
        self.walk.check(page)
        page.close()
        return code

    def answer_the_survey(self, code):
        """A resident answers on her phone, in Swedish, with the code from her letter."""
        page = self.browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{self.live_server_url}/enkat/")
        page.get_by_label("Din kod").fill(code)
        page.get_by_role("button", name="Börja").click()
        page.get_by_role("radio").first.check()
        while page.get_by_role("button", name="Nästa").count():
            page.get_by_role("button", name="Nästa").click()
        page.get_by_role("button", name="Skicka mina svar").click()
        page.get_by_text("Tack för dina svar").wait_for()
        page.close()

    def measure_by_the_survey_with_a_reason(self, slug):
        """The published patrol target gets its survey question: a change to what the promise is measured
        by, so it asks for a reason, and residents read it on the promise's history."""
        from lofte.promises.models import Commitment

        commitment = Commitment.objects.get(promise__slug=slug, metric="patrol_visits_per_day")
        page = self.walk.login("samordnare")
        page.goto(f"{self.live_server_url}/en/personal/ataganden/{commitment.pk}/")
        question = page.locator("#id_outcome_item option").nth(1).inner_text()
        self.assertTrue(question.startswith(f"Trygghetsmätning {slug}: "), question)  # as residents read it
        page.locator("#id_outcome_item").select_option(index=1)
        page.get_by_role("button", name="Save").click()
        page.locator("#id_reason").wait_for()  # refused: say why
        reason = "Effekten mäts med trygghetsmätningen hösten 2026 och 2027."
        page.locator("#id_reason").fill(reason)
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Saved.").wait_for()
        page.goto(f"{self.live_server_url}/en/loften/{slug}/")
        page.locator("[data-changed]").click()
        page.get_by_text(reason).wait_for()
        self.walk.check(page)
        page.close()

    def patrol_and_seize(self):
        """An officer visits Torg A and logs what was seized there, on the phone page."""
        page = self.walk.login("polis")
        page.goto(f"{self.live_server_url}/en/patrull/")
        page.locator(".places button", has_text="Torg A").first.click()
        page.get_by_text("Visit going on").wait_for()
        page.get_by_role("button", name="End visit").click()
        page.get_by_text("ended after").wait_for()
        page.get_by_text("Log a seizure").click()
        seizure = page.locator("form", has=page.locator("[name=seizure-automatic]"))
        choose(seizure.locator("[name=seizure-place]"), "Torg A")
        seizure.locator("[name=seizure-date]").fill(date.today().isoformat())
        seizure.locator("[name=seizure-category]").select_option("narcotics")
        seizure.locator("[name=seizure-kind]").fill("cannabis")
        seizure.locator("[name=seizure-quantity]").fill("45.5")
        seizure.locator("[name=seizure-unit]").select_option("g")
        seizure.get_by_role("button", name=re.compile("seizure", re.I)).click()
        page.get_by_text("Seizure logged: 45.5").wait_for()
        self.walk.check(page)
        page.close()

    def read_the_report(self, slug):
        """Anyone reads the report; it shows the survey question waiting for both waves."""
        page = self.walk.page()
        page.goto(f"{self.live_server_url}/en/loften/{slug}/rapport/")
        page.get_by_text("Polisen besöker torgen minst två gånger per dag.").first.wait_for()
        page.get_by_text("Measured by the safety survey").first.wait_for()
        pdf = page.request.get(f"{self.live_server_url}/en/loften/{slug}/rapport.pdf")
        self.assertEqual((pdf.status, pdf.body()[:4]), (200, b"%PDF"))
        self.walk.check(page)
        page.close()

    def test_a_reporter_reports_without_a_connection_and_it_arrives_once_back_online(self):
        """Issue 25: a caretaker's report is kept on the phone while there is no connection and sent
        when there is one again, stored once."""
        from lofte.observations.models import Observation

        context = self.browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{self.live_server_url}/en/login/")
        page.get_by_label("Username").fill("rapportor")
        page.get_by_label("Password").fill("lofte-demo")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/personal/")
        page.get_by_role("link", name="Report", exact=True).click()
        page.locator("#id_category").select_option("gathering")
        page.locator("#id_place").select_option(index=1)
        page.locator("#id_count").fill("15")
        page.locator("#id_description").fill("Ett femtontal personer vid entrén, kastade flaskor")
        context.set_offline(True)
        page.get_by_role("button", name="Send the report").click()
        page.get_by_text("Saved on this phone: 1 report is sent when there is a connection.").wait_for()
        sent = Observation.objects.exclude(source="demo")  # the demo's partners' reports are there already
        self.assertFalse(sent.exists())
        context.set_offline(False)
        page.wait_for_function("() => !localStorage.getItem('lofte-observations')?.includes('gathering')")
        (stored,) = sent.all()
        self.assertEqual((stored.category.code, stored.count, stored.source), ("gathering", 15, "api"))
        page.reload()
        page.get_by_text("Your latest reports").wait_for()
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 390)
        self.assertEqual(errors, [])
        context.close()

    @pytest.mark.sqlite_only  # a page's script and markup: the same on every database
    def test_a_resident_marks_an_unsafe_place_on_the_map_on_a_phone_in_persian(self):
        """Issue 25: the residents' form, right to left; a tap on the map is the place reported."""
        from lofte.observations.models import ResidentReport
        from lofte.places.models import Area

        page = self.browser.new_page(viewport={"width": 390, "height": 844})
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{self.live_server_url}/fa/omraden/biskopsgarden/rapportera/")
        self.assertEqual(page.locator("html").get_attribute("dir"), "rtl")
        page.locator("#report-map .leaflet-interactive").first.wait_for()
        page.locator("#report-map").click()  # the middle of the area
        page.locator("[data-point]").filter(has_text="علامت").wait_for()
        page.locator("#id_category").select_option("poor_lighting")
        page.locator("#id_text").fill("Gångvägen bakom skolan är helt mörk på kvällen.")
        page.get_by_role("button", name="ارسال").click()
        page.wait_for_url("**/fa/omraden/biskopsgarden/rapporter/")
        report = ResidentReport.objects.get(language="fa")  # the demo's are Swedish
        self.assertTrue(Area.objects.get(code="biskopsgarden").contains(report.lon, report.lat))
        self.assertEqual((report.place, report.language, report.moderation), (None, "fa", "pending"))
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 390)
        self.assertEqual(errors, [])
        page.close()

    @pytest.mark.sqlite_only  # a page's script and markup: the same on every database
    def test_a_reporter_taps_the_map_instead_of_choosing_a_place(self):
        from lofte.observations.models import Observation

        page = self.logged_in_page("rapportor", viewport={"width": 390, "height": 844})
        page.goto(f"{self.live_server_url}/en/rapportera/")
        page.locator("#report-map .leaflet-interactive").first.wait_for()
        page.locator("#report-map").click()
        page.get_by_text("The point you marked is used.").wait_for()
        page.locator("#id_category").select_option("broken_glass")
        page.get_by_role("button", name="Send the report").click()
        page.get_by_text("Sent. Thank you.").or_(page.get_by_text("Reported:")).first.wait_for()
        (stored,) = Observation.objects.exclude(source="demo")
        self.assertEqual((stored.category.code, stored.place), ("broken_glass", None))
        self.assertTrue(stored.area.contains(stored.lon, stored.lat))
        page.close()

    @pytest.mark.sqlite_only  # a page's script and markup: the same on every database
    def test_the_weeks_map_draws_the_weeks_gatherings_over_the_hot_spots(self):
        page = self.logged_in_page("samordnare")
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{self.live_server_url}/en/personal/omraden/biskopsgarden/vecka/?week=2017-W20")
        page.locator("#situation-map path.leaflet-interactive").first.wait_for()
        self.assertGreaterEqual(page.locator("#situation-map path.leaflet-interactive").count(), 10)
        self.assertEqual(errors, [])
        page.close()

    def test_the_map_shows_an_incident_type_as_text_never_as_html(self):
        from datetime import datetime
        from urllib.parse import quote

        from lofte.incidents import importer
        from lofte.incidents.models import ImportRun
        from lofte.ingest.common import CRIME, EXACT, IncidentRecord

        attack = '<img src=x onerror="window.__xss = 1">'
        when = datetime.fromisoformat("2016-06-01T20:00:00+02:00")
        run = ImportRun.objects.create(source="attack", format="test", file_name="x", file_sha256="x")
        incident = dict(occurred_from=when, occurred_to=when, published_at=None, nature=CRIME, accuracy=EXACT)
        importer.load(
            [IncidentRecord("attack", "1", 1, type=attack, lon=11.8935, lat=57.7165, fingerprint="x", **incident)], run
        )
        page = self.logged_in_page("analytiker")
        query = f"?start=2016-06-01&end=2016-06-30&type={quote(attack)}"
        page.goto(f"{self.live_server_url}/en/lagesbild/biskopsgarden/{query}")
        page.locator("#situation-map[data-shows=points]").wait_for(state="attached")  # fetched for the view
        point = page.locator("#situation-map path.leaflet-interactive").last
        point.hover(force=True)
        tooltip = page.locator(".leaflet-tooltip:not(.place-label)")  # the places' names are labels too
        tooltip.wait_for()
        self.assertEqual(tooltip.inner_text(), attack)
        self.assertIsNone(page.evaluate("window.__xss"))
        page.close()

    def test_the_situation_map_draws_the_area_and_its_hot_spots(self):
        page = self.logged_in_page("kommunpolis")
        page.goto(f"{self.live_server_url}/en/lagesbild/biskopsgarden/?start=2014-09-01&end=2017-08-31")
        page.locator("#situation-map path.leaflet-interactive").first.wait_for()
        self.assertEqual(page.csp, [])  # the map, htmx and the page's own scripts run under the policy
        drawn = page.locator("#situation-map path.leaflet-interactive").count()
        page.get_by_role("checkbox", name="Hot spots (Gi*)").check()
        self.assertGreater(page.locator("#situation-map path.leaflet-interactive").count(), drawn)
        page.close()

    def test_the_situation_map_draws_a_drawn_place_without_an_error(self):
        """Issue 24: a place drawn as an outline has no point of its own; the map read its missing
        point and stopped with "Cannot read properties of null (reading 'lat')"."""
        from lofte.places.models import Area, Place

        area = Area.objects.get(code="biskopsgarden")
        lon, lat = area.places.exclude(lon=None).first().centre()
        ring = [[lon - 0.001, lat - 0.0005], [lon + 0.001, lat - 0.0005], [lon + 0.001, lat + 0.0005],
                [lon - 0.001, lat + 0.0005], [lon - 0.001, lat - 0.0005]]  # fmt: skip
        Place.objects.create(area=area, name="Ritad gård", polygon={"type": "Polygon", "coordinates": [ring]})
        page = self.logged_in_page("kommunpolis")
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{self.live_server_url}/en/lagesbild/biskopsgarden/?start=2014-09-01&end=2017-08-31")
        page.locator(".place-label", has_text="Ritad gård").wait_for()
        self.assertEqual(errors, [])
        page.close()

    def test_printing_letters_shows_its_progress_until_the_pdf_arrives(self):
        from lofte.demo.survey import SLUG

        page = self.logged_in_page("kommunpolis")
        page.goto(f"{self.live_server_url}/en/enkater/{SLUG}/")
        link = page.locator("a[data-letters]", has_text="invitations (PDF)").last  # the practice wave's 5
        with page.expect_download() as download:
            link.click()
        status = page.locator(".letters-status:visible")
        self.assertTrue(download.value.suggested_filename.endswith("-invite.pdf"))
        status.get_by_text("The letters are ready: see your downloads.").wait_for()
        self.assertEqual(status.locator("progress").get_attribute("value"), "100")
        self.assertEqual(page.csp, [])
        page.close()

    def test_a_resident_answers_the_survey_on_a_phone_from_the_letters_qr_code(self):
        from lofte.demo import survey as demo_survey
        from lofte.surveys.models import Response

        survey = demo_survey.build(scenario.build().area, [])
        code = demo_survey.practice_codes(survey)[0]
        before = Response.objects.count()
        very_big = Response.objects.filter(answers__problem_drug_dealing="4").count()
        page = self.browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{self.live_server_url}/enkat/#{code}")  # what the QR code on the letter opens
        self.assertEqual(page.get_by_label("Din kod").input_value(), code)
        page.get_by_role("button", name="Börja").click()
        page.get_by_role("group", name="Hur stort problem är öppen narkotikahandel?").get_by_label(
            "Mycket stort problem"
        ).check()
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 390)
        for _ in range(3):
            page.get_by_role("button", name="Nästa").click()
        page.get_by_role("button", name="Skicka mina svar").click()
        page.get_by_text("Tack för dina svar").wait_for()
        self.assertEqual(Response.objects.count(), before + 1)
        self.assertEqual(Response.objects.filter(answers__problem_drug_dealing="4").count(), very_big + 1)
        page.close()

    def test_the_survey_results_fit_a_phone(self):
        page = self.browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{self.live_server_url}/en/enkater/trygghet-biskopsgarden/resultat/")
        page.get_by_text("Problem index").first.wait_for()
        self.assertIn("improvement", page.content())
        page.close()


def choose(select, text):
    """Choose the option of `select` whose text holds `text`."""
    select.select_option(select.evaluate("(s, t) => [...s.options].find((o) => o.text.includes(t)).value", text))


class Walk:
    """The pages of one walk at one screen size: each fits the screen, none has a script error, and
    none is the admin."""

    def __init__(self, case, width, height):
        self.case, self.width, self.height = case, width, height
        self.errors, self.visited = [], []

    def page(self):
        page = self.case.browser.new_page(viewport={"width": self.width, "height": self.height})
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        page.on("request", lambda request: self.visited.append(request.url))
        return page

    def login(self, username, password="lofte-demo"):
        page = self.page()
        page.goto(f"{self.case.live_server_url}/en/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/personal/")
        return page

    def check(self, page):
        wide = page.evaluate(
            """(width) => [...document.querySelectorAll("body *")]
                .filter((e) => e.getBoundingClientRect().right > width + 1)
                .filter((e) => { // a table in a scrolling box scrolls, the page does not
                    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
                        if (getComputedStyle(p).overflowX !== "visible") return false;
                    }
                    return true;
                })
                .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)
                .slice(0, 8)""",
            self.width,
        )
        self.case.assertEqual(wide, [], f"{page.url} is wider than {self.width} px")

    def done(self):
        self.case.assertEqual(self.errors, [])
        self.case.assertEqual([url for url in self.visited if "/admin/" in url], [])
