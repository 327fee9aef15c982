"""The tertial analysis (issue 25, item 6): each count equals the events behind it, a planted rise is
called a rise and nothing else is, the places and the weekdays are counted, an action's place is
compared with the rest of the area, small counts are hidden from everyone but analysts, and the PDF
holds every section."""

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from pypdf import PdfReader

from lofte.incidents import importer
from lofte.incidents.models import ImportRun
from lofte.observations import tertial
from lofte.observations.models import Action, Category, Observation

from .base import PartnersTestCase
from .test_situation import record

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = tertial.Period(2017, 2)  # May to August 2017


class TertialTests(PartnersTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        rng = np.random.default_rng(8)
        rows = []
        gathering, graffiti = Category.objects.get(code="gathering"), Category.objects.get(code="graffiti")
        for year, rate in ((2016, 1.0), (2017, 4.0)):  # gatherings four times as often this year
            for day in range(123):
                when = date(year, 5, 1) + timedelta(days=day)
                for category, mean in ((gathering, rate), (graffiti, 2.0)):
                    for _ in range(rng.poisson(mean / 7)):  # `mean` a week
                        rows.append(Observation(area=cls.area, organisation=cls.housing, category=category,
                                                occurred_on=when, lon=cls.place.lon, lat=cls.place.lat,
                                                part_of_day="evening"))  # fmt: skip
        Observation.objects.bulk_create(rows)
        cls.counts = {
            (year, code): Observation.objects.filter(occurred_on__year=year, category__code=code).count()
            for year in (2016, 2017) for code in ("gathering", "graffiti")
        }  # fmt: skip
        records, n = [], 0
        for year in (2016, 2017):
            for day in range(0, 123, 3):
                n += 1
                when = datetime.combine(date(year, 5, 1) + timedelta(days=day), datetime.min.time(), STOCKHOLM)
                records.append(record(n, when.replace(hour=22), kind="Skadegörelse", lon=11.881, lat=57.721))
        records.append(record(n + 1, datetime(2017, 6, 1, 22, tzinfo=STOCKHOLM), kind="Rån"))
        # As police.uk gives a crime: its month only, from the first to the last day.
        month = replace(record(n + 2, datetime(2017, 7, 1, tzinfo=STOCKHOLM), kind="Inbrott"),
                        occurred_to=datetime(2017, 7, 31, 23, 59, tzinfo=STOCKHOLM))  # fmt: skip
        records.append(month)
        run = ImportRun.objects.create(source="test", format="test", file_name="t", file_sha256="t")
        importer.load(records, run)
        cls.guards = Action.objects.create(area=cls.area, organisation=cls.housing, title="Väktare på torget",
                                           place=cls.place, status="done", done_on=date(2017, 6, 15))  # fmt: skip

    def row(self, found, code):
        return next(r for r in found.rows if r.code == code)

    def test_it_counts_each_category_and_calls_only_the_planted_rise_a_rise(self):
        found = tertial.analyse(self.area, NOW, today=date(2017, 12, 31))
        gathering = self.row(found, "gathering").change
        self.assertEqual((gathering.before, gathering.after),
                         (self.counts[2016, "gathering"], self.counts[2017, "gathering"]))  # fmt: skip
        self.assertEqual(self.row(found, "vandalism").change.after, self.counts[2017, "graffiti"])
        self.assertEqual(self.row(found, "Skadegörelse").change.after, 41)
        self.assertEqual([(r.kind, r.code) for r in found.changed()], [("observation", "gathering")])
        self.assertGreater(gathering.ci_low, 1)
        # Every event of the tertial is in the evening where its time is known.
        self.assertEqual(found.parts.counts[3], self.counts[2017, "gathering"] + self.counts[2017, "graffiti"] + 42)
        # Only the incidents have an hour (the reports a part of the day): all 42 at ten in the evening;
        # the burglary known only to its month has no hour, part of the day or weekday, but is counted.
        self.assertEqual((found.hours.counts[22], sum(found.hours.counts)), (42, 42))
        self.assertEqual(self.row(found, "Inbrott").change.after, 1)
        self.assertEqual(sum(found.weekdays.counts), sum(r.change.after for r in found.rows) - 1)
        self.assertIsNone(found.hours.p_value)  # 42 events over 24 hours: too few to name a pattern
        (square,) = [p for p in found.places if p.name == "Vårväderstorget"]
        reports = self.counts[2017, "gathering"] + self.counts[2017, "graffiti"]
        self.assertEqual(square.after, reports + 2)  # and the robbery and the burglary

    def test_an_actions_place_is_compared_with_the_rest_of_the_area(self):
        (action,) = tertial.analyse(self.area, NOW, today=date(2017, 12, 31)).actions
        self.assertEqual((action.title, action.weeks), ("Väktare på torget", 8))
        self.assertIsNotNone(action.result)
        soon = tertial.analyse(self.area, NOW, today=date(2017, 6, 20)).actions[0]
        self.assertEqual((soon.weeks, soon.result), (0, None))  # five days after it: too soon

    def test_the_page_hides_small_counts_from_all_but_analysts_and_the_pdf_has_every_section(self):
        self.client.force_login(self.coordinator)
        page = self.client.get("/en/personal/omraden/bisk/tertial/?period=2017-2")
        self.assertContains(page, 'data-verdict="increase"')
        html = page.content.decode()
        robbery = html[html.index('data-change="Rån"') :]
        self.assertIn("<td>&lt;5</td>", robbery[: robbery.index("</tr>")])
        self.client.force_login(self.analyst)
        html = self.client.get("/en/personal/omraden/bisk/tertial/?period=2017-2").content.decode()
        robbery = html[html.index('data-change="Rån"') :]
        self.assertIn("<td>1</td>", robbery[: robbery.index("</tr>")])
        pdf = self.client.get("/en/personal/omraden/bisk/tertial.pdf?period=2017-2")
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        import io

        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        for heading in ("What rose and fell", "Where", "When", "Actions and their places", "Väktare på torget"):
            self.assertIn(heading, text)
        self.assertEqual(self.client.get("/en/personal/omraden/bisk/tertial/?period=2017-4").status_code, 400)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get("/en/personal/omraden/bisk/tertial/").status_code, 404)
        self.client.force_login(self.reporter)
        self.assertEqual(self.client.get("/en/personal/omraden/bisk/tertial.pdf").status_code, 403)

    def test_the_tertials_follow_each_other(self):
        self.assertEqual(tertial.Period.last_whole(date(2017, 9, 1)), NOW)
        self.assertEqual(tertial.Period.last_whole(date(2017, 2, 1)), tertial.Period(2016, 3))
        self.assertEqual((NOW.start, NOW.end), (date(2017, 5, 1), date(2017, 8, 31)))
