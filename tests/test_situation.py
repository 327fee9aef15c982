"""The situation picture: page, CSV export and API, with roles and small-count suppression."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
from django.core.cache import cache
from django.test import override_settings

from lofte.accounts.models import ApiToken
from lofte.incidents import importer
from lofte.incidents.models import ImportRun
from lofte.ingest.common import CRIME, EXACT, MUNICIPALITY_CENTROID, SUMMARY, IncidentRecord

from .base import BaseTestCase

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def record(i, when, kind="Skadegörelse", lon=11.885, lat=57.725, nature=CRIME, accuracy=EXACT):
    return IncidentRecord(
        source="test",
        source_id=str(i),
        position=i,
        occurred_from=when,
        occurred_to=when,
        published_at=None,
        type=kind,
        nature=nature,
        lon=lon,
        lat=lat,
        accuracy=accuracy,
        fingerprint=str(i),
    )


def body(response):
    """The text of a response, streamed or not."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


class SituationTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        records, n = [], 0
        for month in range(1, 13):
            when = datetime(2016, month, 10, 20, tzinfo=STOCKHOLM)
            for _ in range(10):  # 10 acts of vandalism at the square every month
                n += 1
                records.append(record(n, when))
            n += 1
            records.append(record(n, when, kind="Rån", lon=11.888, lat=57.722))  # one robbery a month
        n += 1
        records.append(record(n, datetime(2016, 5, 1, tzinfo=STOCKHOLM), kind="Sammanfattning natt", nature=SUMMARY))
        n += 1
        records.append(record(n, datetime(2016, 5, 1, tzinfo=STOCKHOLM), accuracy=MUNICIPALITY_CENTROID))
        n += 1
        records.append(record(n, datetime(2016, 5, 1, tzinfo=STOCKHOLM), lon=12.025, lat=57.775))  # other area
        run = ImportRun.objects.create(source="test", format="test", file_name="test", file_sha256="t")
        importer.load(records, run)
        cls.query = "?start=2016-01-01&end=2016-12-31"

    def test_it_counts_located_incidents_by_type_and_month(self):
        self.client.force_login(self.analyst)
        response = self.client.get("/en/lagesbild/bisk/" + self.query)
        self.assertEqual(response.status_code, 200)
        result = response.context["result"]
        self.assertEqual(result.total, 132)  # no summary, no centroid, nothing from the other area
        self.assertEqual(result.types, [("Skadegörelse", 120), ("Rån", 12)])
        self.assertEqual(result.table[1], ("Rån", [1] * 12))
        # Records from 10 January to 10 December: ten whole months, and a trend within a year cannot
        # be told from the season (issue 22).
        self.assertEqual((result.trend.verdict, result.trend.reason), ("too little data", "season"))
        self.assertEqual(result.top_places, [("Vårväderstorget", 120)])
        self.assertContains(response, "No trend over 10 months: a rise or fall within less than two years")

    def test_a_longer_period_gives_the_trend_beyond_the_season_from_where_the_records_begin(self):
        """Issue 22: the months of a period before the area's records begin read as months without
        incidents (a steady area "rose"); from 24 whole months on the trend has a term per month of
        the year. The records run from 10 January to 10 December 2016: February to November, ten
        months, refused. With 2017's and records from 31 December 2015 to 1 January 2018, the 24 whole
        months of 2016 and 2017, whatever the period around them."""
        self.client.force_login(self.analyst)
        result = self.client.get("/en/lagesbild/bisk/?start=2014-01-01&end=2018-12-31").context["result"]
        self.assertEqual((result.trend.months, result.trend.reason, result.trend.seasonal), (10, "season", True))
        days = [datetime(2017, m, 10, 20, tzinfo=STOCKHOLM) for m in range(1, 13) for _ in range(11)]
        days += [datetime(2015, 12, 31, 20, tzinfo=STOCKHOLM), datetime(2018, 1, 1, 1, tzinfo=STOCKHOLM)]
        importer.load(
            [record(10_000 + i, day) for i, day in enumerate(days)],
            ImportRun.objects.create(source="t", format="t", file_name="t", file_sha256="u"),
        )
        cache.clear()
        response = self.client.get("/en/lagesbild/bisk/?start=2014-01-01&end=2018-12-31")
        trend = response.context["result"].trend
        self.assertEqual((trend.months, trend.seasonal, trend.verdict), (24, True, "no measurable change"))
        self.assertContains(response, "Estimated change beyond the season")

    def test_it_suppresses_small_counts_for_non_analysts(self):
        self.client.force_login(self.owner)
        response = self.client.get("/en/lagesbild/bisk/" + self.query)
        rows = {row.type: row for row in response.context["counts"].rows}
        self.assertEqual([c.value for c in rows["Rån"].months], [None] * 12)
        self.assertTrue(all(c.small for c in rows["Rån"].months))
        self.assertContains(response, "&lt;5")
        self.assertEqual(response.context["points_url"], "")
        counts = [f["properties"]["count"] for f in response.context["map_data"]["layer"]["features"]]
        self.assertNotIn(1, counts)

    def test_hidden_counts_cannot_be_worked_out_from_the_totals(self):
        # Every month: 10 acts of vandalism and 1 robbery. A month's total minus the shown
        # vandalism gave the robbery back; now the vandalism of those months is hidden too.
        self.client.force_login(self.owner)
        counts = self.client.get("/en/lagesbild/bisk/" + self.query).context["counts"]
        vandalism = next(row for row in counts.rows if row.type == "Skadegörelse")
        self.assertTrue(all(c.complementary and c.value is None for c in vandalism.months))
        self.assertEqual([c.value for c in counts.monthly_total], [11] * 12)
        self.assertEqual(counts.total.value, 132)
        data = self.client.get("/api/v1/areas/bisk/situation" + self.query).json()
        for month in range(12):
            column = [row["months"][month] for row in data["by_type"]]
            self.assertGreaterEqual(column.count(None), 2)  # never one hidden value beside its total

    def test_it_shows_points_only_to_analysts_and_logs_the_read(self):
        self.client.force_login(self.analyst)
        page = self.client.get("/en/lagesbild/bisk/" + self.query)
        self.assertNotIn("Rån", str(page.context["map_data"]))  # the page itself embeds no incident
        self.assertEqual(page.context["points_url"], "/api/v1/areas/bisk/situation/map")
        view = "&bbox=11.87,57.71,11.90,57.74"
        with self.assertLogs("lofte.audit", level="INFO") as logs:
            layer = self.client.get(page.context["points_url"] + self.query + view).json()
        self.assertEqual((layer["aggregated"], len(layer["features"])), (False, 132))
        self.assertIn("incident points read: user=analyst area=bisk n=132", logs.output[0])
        self.client.force_login(self.owner)
        layer = self.client.get(page.context["points_url"] + self.query + view).json()
        self.assertTrue(layer["aggregated"])
        self.assertTrue(all(f["geometry"]["type"] == "Polygon" for f in layer["features"]))

    def test_a_view_with_too_many_incidents_gets_squares(self):
        from lofte.api import situation as api

        self.client.force_login(self.analyst)
        url = "/api/v1/areas/bisk/situation/map" + self.query + "&bbox=11.87,57.71,11.90,57.74"
        original, api.MAX_FEATURES = api.MAX_FEATURES, 100
        try:
            layer = self.client.get(url).json()
        finally:
            api.MAX_FEATURES = original
        self.assertTrue(layer["aggregated"])
        self.assertEqual(sum(f["properties"]["count"] for f in layer["features"]), 132)
        self.assertEqual(self.client.get(url.replace("bbox=11.87", "bbox=x")).status_code, 422)

    def test_it_refuses_people_without_a_membership_and_redirects_the_public(self):
        self.assertEqual(self.client.get("/lagesbild/bisk/").status_code, 302)
        from django.contrib.auth.models import User

        loner = User.objects.create_user("loner", password="x")
        self.client.force_login(loner)
        self.assertEqual(self.client.get("/lagesbild/bisk/").status_code, 403)
        self.assertEqual(self.client.get("/lagesbild/nowhere/").status_code, 403)

    def test_it_reports_bad_filters(self):
        self.client.force_login(self.owner)
        response = self.client.get("/en/lagesbild/bisk/?start=2017-01-01&end=2016-01-01")
        self.assertContains(response, "The period must start before it ends")
        self.assertEqual(self.client.get("/en/lagesbild/bisk/export.csv?start=x").status_code, 400)

    def test_it_keeps_fine_grids_and_wide_kernels_for_analysts(self):
        self.client.force_login(self.owner)
        page = self.client.get("/en/lagesbild/bisk/" + self.query + "&cell=10&bandwidth=20000")
        self.assertEqual(set(page.context["form"].errors), {"cell", "bandwidth"})
        self.assertIsNone(page.context["result"])
        self.client.force_login(self.analyst)
        page = self.client.get("/en/lagesbild/bisk/" + self.query + "&cell=20&bandwidth=3000")
        self.assertEqual(page.context["form"].errors, {})

    def test_it_exports_text_that_a_spreadsheet_will_not_run(self):
        run = ImportRun.objects.create(source="attack", format="test", file_name="x", file_sha256="x")
        importer.load([record(999, datetime(2016, 6, 1, tzinfo=STOCKHOLM), kind='=HYPERLINK("http://x","y")')], run)
        self.client.force_login(self.analyst)
        rows = list(csv.reader(io.StringIO(body(self.client.get("/lagesbild/bisk/export.csv" + self.query)))))
        self.assertIn('\'=HYPERLINK("http://x","y")', [r[3] for r in rows])
        self.assertTrue(all(not r[3].startswith("=") for r in rows))
        self.client.force_login(self.owner)
        rows = list(csv.reader(io.StringIO(body(self.client.get("/lagesbild/bisk/export.csv" + self.query)))))
        self.assertTrue(all(not r[0].startswith("=") for r in rows))

    def test_it_exports_rows_for_analysts_and_suppressed_counts_for_others(self):
        self.client.force_login(self.analyst)
        rows = list(csv.reader(io.StringIO(body(self.client.get("/lagesbild/bisk/export.csv" + self.query)))))
        self.assertEqual(rows[0][:4], ["source", "source_id", "occurred_from", "type"])
        self.assertEqual(len(rows), 133)
        self.client.force_login(self.owner)
        rows = list(csv.reader(io.StringIO(body(self.client.get("/lagesbild/bisk/export.csv" + self.query)))))
        self.assertEqual(rows[0][:2], ["type", "2016-01"])
        self.assertEqual(rows[0][-1], "total")
        self.assertEqual(rows[1], ["Skadegörelse"] + ["x"] * 12 + ["120"])
        self.assertEqual(rows[2], ["Rån"] + ["<5"] * 12 + ["12"])
        self.assertEqual(rows[3], ["(all types)"] + ["11"] * 12 + ["132"])

    def test_it_filters_by_type_and_period(self):
        self.client.force_login(self.analyst)
        response = self.client.get("/en/lagesbild/bisk/?start=2016-03-01&end=2016-05-31&type=Rån")
        self.assertEqual(response.context["result"].total, 3)
        self.assertEqual(response.context["result"].months, ["2016-03", "2016-04", "2016-05"])

    def test_it_renders_only_the_results_for_htmx(self):
        self.client.force_login(self.owner)
        response = self.client.get("/en/lagesbild/bisk/" + self.query, HTTP_HX_REQUEST="true")
        self.assertNotContains(response, "<html")
        self.assertContains(response, 'data-figure="total"')

    def test_the_api_suppresses_for_owners_and_not_for_analyst_tokens(self):
        _, key = ApiToken.issue(self.analyst, "t")
        data = self.client.get("/api/v1/areas/bisk/situation" + self.query, HTTP_AUTHORIZATION=f"Bearer {key}").json()
        self.assertEqual((data["total"], data["suppressed_below"]), (132, None))
        self.assertEqual(data["by_type"][1], {"type": "Rån", "total": 12, "months": [1] * 12})
        self.client.force_login(self.owner)
        data = self.client.get("/api/v1/areas/bisk/situation" + self.query).json()
        self.assertEqual(data["by_type"][1]["months"], [None] * 12)
        self.assertEqual(data["suppressed_below"], 5)
        self.assertEqual((data["trend"]["verdict"], data["trend"]["reason"]), ("too little data", "season"))
        layer = self.client.get("/api/v1/areas/bisk/situation/map" + self.query).json()
        self.assertEqual(layer["type"], "FeatureCollection")

    def test_the_api_refuses_the_public(self):
        self.assertEqual(self.client.get("/api/v1/areas/bisk/situation").status_code, 403)

    @override_settings(LOFTE_SMALL_COUNT_THRESHOLD=11)
    def test_the_threshold_is_a_setting(self):
        self.client.force_login(self.owner)
        data = self.client.get("/api/v1/areas/bisk/situation" + self.query).json()
        self.assertEqual(data["by_type"][0]["months"], [None] * 12)


class SituationHotSpotTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        rng = np.random.default_rng(1)
        records = []
        when = datetime(2016, 6, 1, 20, tzinfo=STOCKHOLM)
        for i in range(200):  # a cluster at the square
            records.append(record(i + 1, when, lon=11.885 + rng.normal(0, 0.0003), lat=57.725 + rng.normal(0, 0.0002)))
        for i in range(100):  # and background over the area
            records.append(record(1000 + i, when, lon=rng.uniform(11.8805, 11.8895), lat=rng.uniform(57.7205, 57.7295)))
        run = ImportRun.objects.create(source="test", format="test", file_name="test", file_sha256="t")
        importer.load(records, run)

    def test_it_finds_the_hot_spot_and_the_concentration(self):
        self.client.force_login(self.analyst)
        response = self.client.get("/en/lagesbild/bisk/?start=2016-01-01&end=2016-12-31&cell=50")
        layers = response.context["layers"]
        assert layers.cell == 50 and layers.hot > 0
        hot_cells = [f for f in layers.cells["features"] if f["properties"]["gi_class"] >= 2]
        centres = [np.mean(f["geometry"]["coordinates"][0][:4], axis=0) for f in hot_cells]
        assert all(abs(lon - 11.885) < 0.003 and abs(lat - 57.725) < 0.002 for lon, lat in centres)
        assert layers.concentration.generalized_gini > 0.5
        self.assertContains(response, "Half of the incidents happened in")
        assert response.context["lorenz"][0] == (0.0, 100.0)

    def test_cell_counts_are_suppressed_for_non_analysts(self):
        self.client.force_login(self.owner)
        response = self.client.get("/en/lagesbild/bisk/?start=2016-01-01&end=2016-12-31&cell=50")
        counts = [f["properties"]["n"] for f in response.context["map_data"]["cells"]["features"]]
        assert not any(n is not None and 0 < n < 5 for n in counts)
        assert None in counts

    # Numbers meant for machines (SVG coordinates, data attributes) never take the language's decimal
    # comma: on the Swedish page the concentration curve was a tangle of "0,95,84,19".
    def test_svg_points_and_data_attributes_parse_in_both_languages(self):
        import re

        self.client.force_login(self.analyst)
        for prefix in ("", "/en"):
            page = self.client.get(f"{prefix}/lagesbild/bisk/?start=2016-01-01&end=2016-12-31&cell=50").content.decode()
            points = re.search(r'<polyline [^>]*points="([^"]+)"', page).group(1).split()
            pairs = [tuple(float(v) for v in point.split(",")) for point in points]
            assert all(len(pair) == 2 and 0 <= pair[0] <= 100 and 0 <= pair[1] <= 100 for pair in pairs), prefix
            assert 0 < float(re.search(r'data-gini="([^"]+)"', page).group(1)) < 1, prefix

    # The map's frame: the promise's period by default, places with their names, a legend, and the
    # tile server's attribution.
    def test_the_default_period_is_the_promise_of_the_area(self):
        self.client.force_login(self.owner)
        page = self.client.get("/en/lagesbild/bisk/")
        period = page.context["form"].cleaned_data
        self.assertEqual((period["start"], period["end"]), (date(2016, 3, 1), date(2017, 2, 28)))

    def test_the_map_names_the_places_and_has_a_legend(self):
        self.client.force_login(self.owner)
        page = self.client.get("/en/lagesbild/bisk/?start=2016-01-01&end=2016-12-31")
        self.assertEqual([p["name"] for p in page.context["map_data"]["places"]], ["Vårväderstorget"])
        self.assertContains(page, 'class="legend"')
        self.assertContains(page, "places of the area, with their names")

    @override_settings(LOFTE_TILES_URL="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                       LOFTE_TILES_ATTRIBUTION="© OpenStreetMap contributors")  # fmt: skip
    def test_tiles_come_with_their_attribution(self):
        self.client.force_login(self.owner)
        page = self.client.get("/en/lagesbild/bisk/?start=2016-01-01&end=2016-12-31")
        self.assertContains(page, 'data-attribution="© OpenStreetMap contributors"')
        self.assertNotContains(page, "No background map is configured")
