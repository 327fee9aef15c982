"""Residents per area and year (issue 26, first step): SCB's tables and a municipality's are read with
every trap named, imported idempotently and atomically, and turned into incidents a year per 1 000
residents on the situation page and in its API."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from lofte.accounts.models import ApiToken
from lofte.incidents import importer
from lofte.incidents.models import ImportRun
from lofte.places import population
from lofte.places.models import Population

from .base import BaseTestCase
from .test_situation import record

# As SCB's PX-Web writes a table of regions by year: a title line, `;`, quoted names, Windows-1252.
SCB_WIDE = (
    '"Folkmängd efter region och år"\r\n'
    '"region";"2015";"2016";"2017"\r\n'
    '"701 Norra Biskopsgården";"12 001";"12 230";".."\r\n'
    '"702 Södra Biskopsgården";"11 020";"11 105";"11 350"\r\n'
    '"201 Hjällbo";"7 900";"7 950";"8 010"\r\n'
    '"101 Kungsladugård";"10 000";"10 100";"10 200"\r\n'
)
MAPPING = {
    "skip_lines": 1,
    "columns": {"area": "region"},
    "areas": {"701 Norra Biskopsgården": "bisk", "702 Södra Biskopsgården": "bisk", "201 Hjällbo": "hjallbo"},
}


class PopulationTests(BaseTestCase):
    def write(self, tmp, text, encoding="cp1252"):
        path = tmp / "folkmangd.csv"
        path.write_bytes(text.encode(encoding))
        return path

    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path):
        self.tmp = tmp_path

    def test_it_reads_scbs_wide_table_adding_up_an_areas_regions(self):
        result = population.run(self.write(self.tmp, SCB_WIDE), mapping=MAPPING, source="SCB")
        self.assertEqual((result.imported, result.updated, result.unchanged), (6, 0, 0))
        (reject,) = result.rejects  # 2017 of Norra Biskopsgården: SCB's ".."
        self.assertEqual((reject.position, reject.field), (3, "2017"))
        self.assertIn("no figure (..)", reject.reason)
        figures = dict(Population.objects.filter(area=self.area).values_list("year", "residents"))
        self.assertEqual(figures, {2015: 12001 + 11020, 2016: 12230 + 11105, 2017: 11350})
        self.assertEqual(Population.objects.get(area=self.other_area, year=2016).residents, 7950)
        # The same file again changes nothing; a revised figure is updated.
        self.assertEqual(population.run(self.write(self.tmp, SCB_WIDE), mapping=MAPPING, source="SCB").unchanged, 6)
        revised = SCB_WIDE.replace('"7 950"', '"7 960"')
        self.assertEqual(population.run(self.write(self.tmp, revised), mapping=MAPPING, source="SCB").updated, 1)

    def test_a_long_table_names_each_bad_line_and_stores_nothing_on_a_crash(self):
        text = "\ufeffområde,år,invånare\nbisk,2016,23335\nokänt,2016,100\nbisk,2016,1\nbisk,tjugo,5\nhjallbo,2016,-4\n"
        mapping = {"columns": {"area": "område", "year": "år", "residents": "invånare"}}
        path = self.write(self.tmp, text, "utf-8")
        result = population.run(path, mapping=mapping)
        self.assertEqual(result.imported, 1)
        self.assertEqual([(r.position, r.field) for r in result.rejects],
                         [(3, "område"), (4, "område"), (5, "år"), (6, "invånare")])  # fmt: skip
        self.assertIn("no area with the code 'okänt'", result.rejects[0].reason)
        self.assertIn("twice", result.rejects[1].reason)
        Population.objects.all().delete()

        def crash(*args):
            raise RuntimeError("disk full")

        original = population._store
        population._store = lambda *args: (original(*args), crash())  # the first figure is written, then a crash
        try:
            with pytest.raises(RuntimeError):
                population.run(self.write(self.tmp, SCB_WIDE), mapping=MAPPING)
        finally:
            population._store = original
        self.assertFalse(Population.objects.exists())

    def test_the_command_imports_and_writes_the_rejects(self):
        path = self.write(self.tmp, SCB_WIDE)
        mapping = self.tmp / "map.toml"
        mapping.write_text('skip_lines = 1\n[columns]\narea = "region"\n[areas]\n"702 Södra Biskopsgården" = "bisk"\n',
                           encoding="utf-8")  # fmt: skip
        out = StringIO()
        call_command("import-population", str(path), "--mapping", str(mapping), "--source", "SCB 2018", stdout=out)
        self.assertIn("imported 3", out.getvalue())
        self.assertEqual(Population.objects.get(area=self.area, year=2017).source, "SCB 2018")

    def test_the_situation_page_gives_incidents_a_year_per_thousand_residents(self):
        stockholm = ZoneInfo("Europe/Stockholm")
        records = [record(i, datetime(2016, 1 + i % 12, 10, 20, tzinfo=stockholm)) for i in range(48)]
        importer.load(records, ImportRun.objects.create(source="t", format="t", file_name="t", file_sha256="t"))
        Population.objects.create(area=self.area, year=2015, residents=24000, source="SCB")
        query = "?start=2016-01-01&end=2016-12-31"
        token = "Bearer " + ApiToken.issue(self.coordinator, "t")[1]
        rate = self.client.get(f"/api/v1/areas/bisk/situation{query}", HTTP_AUTHORIZATION=token).json()["per_1000"]
        self.assertEqual((rate["year"], rate["residents"]), (2015, 24000))  # the latest figure before the period's end
        self.assertAlmostEqual(rate["per_1000"], 48 / (24000 * 366 / 365.25) * 1000)
        self.assertLess(rate["ci_low"], rate["per_1000"])
        self.client.force_login(self.coordinator)
        self.assertContains(self.client.get(f"/lagesbild/bisk/{query}"), 'data-figure="per-1000"')
        # A hidden total hides its rate too.
        few = self.client.get("/api/v1/areas/bisk/situation?start=2016-01-01&end=2016-01-31", HTTP_AUTHORIZATION=token)
        self.assertEqual((few.json()["total"], few.json()["per_1000"]), (None, None))
