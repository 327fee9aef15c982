"""A promise's outcome comparison on its incidents: the area, the ring around it and the control areas,
before and during the promise, with WDD and difference-in-differences; nothing from small counts."""

import os
import re
import shutil
from dataclasses import asdict
from datetime import date, datetime
from math import log
from zoneinfo import ZoneInfo

from django.test import override_settings

from lofte.analysis.vocabulary import Change
from lofte.core.problems import InputProblem
from lofte.incidents import importer
from lofte.incidents.harm import load
from lofte.incidents.models import HarmWeight, ImportRun
from lofte.places.models import Area
from lofte.promises.outcomes import compare

from .base import BaseTestCase, square
from .test_situation import record

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def monthly(start_year, start_month, months, per_month, *, lon, lat, kind="Skadegörelse", first_id=0):
    out, n = [], first_id
    for m in range(months):
        y, mo = start_year + (start_month - 1 + m) // 12, (start_month - 1 + m) % 12 + 1
        for _ in range(per_month):
            n += 1
            out.append(record(n, datetime(y, mo, 10, 21, tzinfo=STOCKHOLM), kind=kind, lon=lon, lat=lat))
    return out


class OutcomeData(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.donor = Area.objects.create(name="Gårdsten", code="gardsten", polygon=square(12.06, 57.80))
        records = (
            monthly(2015, 3, 12, 20, lon=11.885, lat=57.725, first_id=0)  # the area, before
            + monthly(2016, 3, 12, 13, lon=11.885, lat=57.725, first_id=10_000)  # the area, during: fewer
            + monthly(2015, 3, 12, 20, lon=12.025, lat=57.775, first_id=20_000)  # the control, before
            + monthly(2016, 3, 12, 20, lon=12.025, lat=57.775, first_id=30_000)  # the control, during: as many
            + monthly(2015, 3, 12, 6, lon=11.8915, lat=57.725, first_id=40_000)  # the ring (~90 m east), before
            + monthly(2016, 3, 12, 7, lon=11.8915, lat=57.725, first_id=50_000)  # the ring, during
            + monthly(2015, 3, 24, 25, lon=12.065, lat=57.805, first_id=60_000)  # a donor area, steady
        )
        run = ImportRun.objects.create(source="test", format="test", file_name="t", file_sha256="t")
        importer.load(records, run)
        cls.promise.outcome_incident_types = ["Skadegörelse"]
        cls.promise.save()
        cls.promise.control_areas.set([cls.other_area])
        cls.promise.donor_areas.set([cls.donor])

    def setUp(self):
        from django.core.cache import cache

        cache.clear()


class OutcomeTests(OutcomeData):
    def test_it_compares_the_area_with_its_control_and_counts_the_ring(self):
        result = compare(self.promise, today=date(2026, 11, 30))
        self.assertEqual(result.before, (date(2015, 3, 2), date(2016, 2, 29)))
        self.assertEqual((result.target.before, result.target.after), (240, 156))
        self.assertEqual((result.control.before, result.control.after), (240, 240))
        self.assertEqual((result.buffer.before, result.buffer.after), (72, 84))
        self.assertEqual(result.wdd.wdd_local, -84.0)
        self.assertLess(result.wdd.wdq, 0)  # some displacement to the ring
        self.assertEqual(result.did.verdict, "decrease")
        self.assertAlmostEqual(result.did.rate_ratio, 156 / 240, places=3)
        self.assertAlmostEqual(result.its.level_ratio, 13 / 20, places=2)  # the area's own step

    def test_it_looks_for_earlier_differences_quarter_by_quarter(self):
        result = compare(self.promise, today=date(2026, 11, 30)).event_study
        self.assertEqual(result.relative, [-4, -3, -2, 0, 1, 2, 3])
        self.assertAlmostEqual(result.estimate[0], 0.0, places=6)  # before: as the control areas
        self.assertAlmostEqual(result.estimate[3], log(39 / 60), places=4)  # 13 against 20 a month
        self.assertAlmostEqual(result.pretrend_p, 1.0, places=4)
        self.assertIn("No sign that the area and the control areas moved apart", result.sentence)

    def test_it_builds_a_synthetic_twin_from_the_control_and_donor_areas(self):
        result = compare(self.promise, today=date(2026, 11, 30))
        twin = result.synthetic
        self.assertAlmostEqual(twin.weights["Hjällbo"], 1.0, places=3)  # 20 a month, as the area was
        self.assertAlmostEqual(twin.mean_gap, -7.0, places=2)
        # Three areas: even the clearest gap ranks first with p 1/3, and that is not a measurable change.
        self.assertEqual((twin.rank, twin.placebos), (1, 2))
        self.assertEqual(twin.verdict, Change.NONE)
        self.assertIn("smallest p possible is 0.33", twin.sentence)
        self.assertEqual(result.synthetic_monthly[:2], [20.0, 20.0])

    def test_each_sentence_is_written_once_for_the_api_and_the_pages(self):
        """The pure core's English sentence (API, command line) is the English page's, number for number:
        both come from lofte.analysis.wording."""
        from django.utils import translation
        from django.utils.html import strip_tags

        from lofte.promises import sentences

        comparison = compare(self.promise, today=date(2026, 11, 30))
        with translation.override("en"):
            shown = sentences.of(comparison, 5)
        compared = [name for name in ("did", "wdd", "its", "event_study", "synthetic") if getattr(comparison, name)]
        self.assertEqual(len(compared), 5)
        for name in compared:  # the page marks the donor areas' names as Swedish: the words are the same
            self.assertEqual(strip_tags(shown[name]), getattr(comparison, name).sentence.replace("-", "−"), name)
        self.assertIn('<span lang="sv" dir="ltr">', shown["synthetic"])

    def test_it_finds_the_hot_spots_before_and_during_without_counts(self):
        before, during = compare(self.promise, today=date(2026, 11, 30)).hot_spots
        self.assertTrue(any(klass > 0 for _, _, klass in before.cells))
        self.assertEqual(set(asdict(before)), {"cell", "x0", "y0", "cells"})  # classes only, no counts
        self.assertTrue(all(len(cell) == 3 for cell in during.cells))

    def test_it_says_what_is_missing(self):
        self.promise.control_areas.clear()
        self.assertIn("control areas", compare(self.promise, today=date(2026, 11, 30)).note)

    @override_settings(LOFTE_SMALL_COUNT_THRESHOLD=500)
    def test_small_counts_give_no_verdict_and_no_counts(self):
        result = compare(self.promise, today=date(2026, 11, 30))
        self.assertIsNone(result.target)
        self.assertIsNone(result.wdd)
        self.assertIn("Too few incidents", result.note)

    def test_the_api_document_describes_every_result_of_the_comparison(self):
        """The report's outcomes are typed in the OpenAPI document, field by field, not an opaque object."""
        schemas = self.client.get("/api/v1/openapi.json").json()["components"]["schemas"]
        comparison = schemas["OutcomeComparison"]["properties"]
        for name, result in (("did", "DidResult"), ("wdd", "WddResult"), ("its", "ItsResult"),
                             ("event_study", "EventStudyResult"), ("synthetic", "SyntheticControlResult"),
                             ("harm", "HarmOutcome")):  # fmt: skip
            self.assertIn(f"#/components/schemas/{result}", str(comparison[name]), name)
            self.assertIn("sentence", schemas[result]["properties"], result)
        self.assertIn("rate_ratio_low", schemas["DidResult"]["properties"])
        self.assertEqual(set(schemas["HotSpotCells"]["properties"]), {"cell", "x0", "y0", "cells"})

    def test_the_report_api_gives_the_comparison_and_owners_choose_the_controls(self):
        data = self.client.get(f"/api/v1/promises/{self.promise.slug}/report").json()
        self.assertEqual(data["outcomes"]["wdd"]["wdd_local"], -84.0)
        self.assertEqual(data["outcomes"]["did"]["verdict"], "decrease")
        self.assertEqual(len(data["commitments"]), 1)
        self.client.force_login(self.owner)
        url = f"/en/personal/loften/{self.promise.slug}/andra/"
        form = {"title": "T", "problem": "P", "period_start": "2016-03-01", "period_end": "2017-02-28",
                "outcome_incident_types": ["Skadegörelse"], "control_areas": [], "buffer_m": "300",
                "reason": "Jämförelsen byggs om"}  # fmt: skip
        self.assertEqual(self.client.post(url, form).status_code, 302)
        self.promise.refresh_from_db()
        self.assertEqual((list(self.promise.control_areas.all()), self.promise.buffer_m), ([], 300))
        # Hjällbo is the other police area's: no source of counts until that organisation is a party.
        self.assertEqual(self.client.post(url, form | {"control_areas": [self.other_area.pk]}).status_code, 400)
        self.promise.parties.add(self.other_police)
        self.assertEqual(self.client.post(url, form | {"control_areas": [self.other_area.pk]}).status_code, 302)
        self.assertEqual(list(self.promise.control_areas.all()), [self.other_area])
        self.assertEqual(list(self.promise.donor_areas.all()), [])  # not in the form: none
        self.assertEqual(self.client.post(url, form | {"donor_areas": [self.donor.pk]}).status_code, 302)
        self.assertEqual(list(self.promise.donor_areas.all()), [self.donor])
        self.assertEqual(self.client.post(url, form | {"donor_areas": [self.promise.area_id]}).status_code, 400)

    def test_the_rationale_and_next_steps_are_in_the_report_and_the_api(self):
        self.promise.rationale, self.promise.next_steps_en = "Enkäten och dialogerna", "A new survey in 2018"
        self.promise.save()
        page = self.client.get(f"/en/loften/{self.promise.slug}/rapport/")
        self.assertContains(page, "Enkäten och dialogerna")  # no English text: the Swedish
        self.assertContains(page, "A new survey in 2018")
        data = self.client.get(f"/api/v1/promises/{self.promise.slug}").json()
        self.assertEqual((data["rationale"], data["next_steps_en"]), ("Enkäten och dialogerna", "A new survey in 2018"))

    def test_the_report_shows_the_comparison_with_a_chart_and_its_numbers(self):
        page = self.client.get(f"/en/loften/{self.promise.slug}/rapport/")
        self.assertContains(page, "How we kept our promise")
        self.assertContains(page, 'data-outcome="wdd"')
        self.assertContains(page, 'data-outcome="did"')
        body = page.content.decode()
        self.assertIn("<svg", body)
        self.assertIn("Incidents a month", body)  # the chart's text stays text
        for section in ("synthetic", "event-study", "its"):
            self.assertIn(f'data-outcome="{section}"', body)
        ids = re.findall(r'\bid="([^"]+)"', body)
        self.assertEqual(len(ids), len(set(ids)))  # several charts on one page, no id twice
        self.assertIn('<th scope="row">2016-03</th><td>13</td><td>20</td>', body.replace("\n", ""))
        self.assertContains(page, "0 of 1 measurable commitments kept.")

    @override_settings(LOFTE_SMALL_COUNT_THRESHOLD=15)
    def test_the_report_hides_monthly_numbers_below_the_threshold(self):
        page = self.client.get(f"/en/loften/{self.promise.slug}/rapport/")
        self.assertContains(page, "Some months have fewer than 15 incidents")
        body = page.content.decode()
        self.assertNotIn("Incidents a month", body)  # no monthly chart, and no table of months
        self.assertNotIn('<th scope="row">2016-03</th>', body)
        self.assertIn("Quarter by quarter", body)  # rate ratios, no counts

    def test_the_open_data_zip_is_aggregated_and_suppressed(self):
        import csv
        import io
        import zipfile

        answer = self.client.get(f"/en/loften/{self.promise.slug}/oppna-data.zip")
        self.assertEqual(answer["Content-Type"], "application/zip")
        archive = zipfile.ZipFile(io.BytesIO(answer.content))
        self.assertLessEqual(
            {"commitments.csv", "incidents_by_type_and_month.csv", "incidents_in_squares.geojson", "README.txt"},
            set(archive.namelist()),
        )
        table = list(csv.reader(io.StringIO(archive.read("incidents_by_type_and_month.csv").decode())))
        self.assertEqual(table[0][0], "type")
        for row in table[1:]:
            self.assertTrue(all(v in ("x", "<5") or v.isdigit() and (int(v) == 0 or int(v) >= 5) for v in row[1:]), row)
        self.assertNotIn('"Point"', archive.read("incidents_in_squares.geojson").decode())  # squares, no points

    def test_the_overview_lists_promises_with_their_outcome_and_exports_csv(self):
        import csv
        import io

        self.client.force_login(self.owner)
        page = self.client.get("/en/personal/oversikt/")
        self.assertContains(page, 'data-promise="published-promise"')
        self.assertContains(page, "fewer incidents than the comparison")
        self.assertContains(page, 'data-promise="draft-promise"')
        rows = list(csv.reader(io.StringIO(self.client.get("/en/personal/oversikt/?format=csv").content.decode())))
        self.assertEqual(rows[0][0], "promise")
        self.assertIn(["Löfte published-promise", "Biskopsgården"], [r[:2] for r in rows])
        filtered = self.client.get(f"/en/personal/oversikt/?organisation={self.other_police.pk}&year=2016")
        self.assertNotContains(filtered, 'data-promise="published-promise"')
        self.police.region, self.police.municipality = "Väst", "Göteborg"
        self.police.save()
        self.assertContains(self.client.get("/en/personal/oversikt/?region=Väst"), 'data-promise="published-promise"')
        self.assertContains(self.client.get("/en/personal/oversikt/"), ">Göteborg</option>")
        for query in ("region=Syd", "municipality=Malmö"):
            self.assertNotContains(self.client.get(f"/en/personal/oversikt/?{query}"), 'data-promise="published')
        self.client.force_login(self.outsider)
        self.assertNotContains(self.client.get("/en/personal/oversikt/"), 'data-promise="published-promise"')

    def test_the_pdf_is_made_once_for_many_readers(self):
        from unittest import mock

        from lofte.promises import views_report

        from .test_demo import skip_without_pango

        skip_without_pango(self)
        first = self.client.get(f"/en/loften/{self.promise.slug}/rapport.pdf")
        self.assertEqual((first.status_code, first["Content-Type"]), (200, "application/pdf"))
        with mock.patch.object(views_report, "render_report", side_effect=AssertionError("made again")):
            again = self.client.get(f"/en/loften/{self.promise.slug}/rapport.pdf")
        self.assertEqual(again.content, first.content)


class HarmTests(OutcomeData):
    """The harm-weighted comparison: a table loaded from CSV (bad rows named, nothing stored), then
    the promise's WDD weighted by it."""

    def write(self, text):
        import tempfile

        folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, folder)
        path = os.path.join(folder, "weights.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_it_weighs_the_comparison_by_harm_with_its_source(self):
        load(self.write("type,weight\nSkadegörelse,2.5\n"), source="Test index", dated=date(2020, 1, 1))
        result = compare(self.promise, today=date(2026, 11, 30)).harm
        # Area 240 -> 156, control 240 -> 240, ring 72 -> 84 against the control scaled to the ring.
        self.assertAlmostEqual(result.wdd, 2.5 * ((156 - 240) - 0 + (84 - 72) - 0), places=6)
        self.assertEqual((result.source, result.unit), ("Test index", "days"))
        page = self.client.get(f"/en/loften/{self.promise.slug}/rapport/")
        self.assertContains(page, "Weighted by the harm of each kind of incident (Test index, 2020-01-01)")

    def test_a_bad_row_names_its_line_and_field_and_keeps_the_table(self):
        load(self.write("type,weight\nRån,400\n"), source="A", dated=date(2020, 1, 1))
        for text, where in (
            ("type,weight\nRån,400\nMisshandel,abc\n", "line 3, field weight"),
            ("type,weight\nRån,-1\n", "line 2, field weight"),
            ("type,weight\nRån,1\nRån,2\n", "line 3, field type"),
            ("kind,weight\nRån,1\n", "line 1: missing column(s) type"),
        ):
            with self.assertRaises(InputProblem) as caught:
                load(self.write(text), source="B", dated=date(2021, 1, 1))
            self.assertIn(where, caught.exception.message)
        self.assertEqual(list(HarmWeight.objects.values_list("type", "weight", "source")), [("Rån", 400.0, "A")])

    def test_the_command_loads_the_table_and_names_a_bad_line(self):
        from django.core.management import CommandError, call_command

        call_command("harm-weights", self.write("type,weight\nRån,400\n"), source="S", dated="2020-01-01")
        self.assertEqual(HarmWeight.objects.get().weight, 400.0)
        with self.assertRaisesMessage(CommandError, "line 2, field weight"):
            call_command("harm-weights", self.write("type,weight\nRån,x\n"), source="S", dated="2020-01-01")

    def test_the_swedish_report_says_every_result_in_swedish(self):
        page = self.client.get(f"/loften/{self.promise.slug}/rapport/").content.decode().replace("\xa0", " ")
        self.assertIn(
            "Kvot 0,65 (95 % intervall 0,49 till 0,86): 35 % färre än jämförelsen förutsäger", page
        )  # t on the residual df
        self.assertIn("Med 3 områden är det minsta möjliga p 0,33", page)
        for english in ("Rate ratio", "fewer incidents than", "Level ratio", "No sign that", "synthetic twin ("):
            self.assertNotIn(english, page)
