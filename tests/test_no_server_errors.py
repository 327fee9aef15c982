"""Hand-typed input that used to answer 500 answers 4xx naming what is wrong (issue 21)."""

import json
import re

from django.test import override_settings

from lofte.accounts.models import ApiToken, Role
from lofte.promises import charts

from .base import BaseTestCase, member


class HandTypedInputTests(BaseTestCase):
    def test_it_ignores_a_year_or_organisation_that_is_no_number(self):
        self.client.force_login(self.owner)
        for query in ("year=99999999999999999999", "year=²", "organisation=²", "organisation=99999999999999999999"):
            self.assertEqual(self.client.get(f"/en/personal/oversikt/?{query}").status_code, 200, query)

    def test_it_names_a_unit_that_is_no_number(self):
        self.client.force_login(self.officer)
        answer = self.client.post("/en/patrull/start/", {"place": self.place.pk, "unit": "²"}, follow=True)
        self.assertContains(answer, "Unknown unit.")

    def test_it_asks_for_an_area_that_is_no_number(self):
        admin = member("org-admin", self.police, Role.ADMIN)
        self.client.force_login(admin)
        answer = self.client.post(f"/en/personal/organisation/{self.police.pk}/omraden/", {"area": "²"})
        self.assertEqual(answer.status_code, 302)

    def test_it_refuses_an_organisation_id_too_large_for_the_database(self):
        headers = {"HTTP_AUTHORIZATION": "Bearer " + ApiToken.issue(self.owner, "t")[1]}
        body = {"area": "bisk", "slug": "x", "title": "X", "problem": "P", "period_start": "2018-01-01",
                "period_end": "2018-12-31", "parties": [99999999999999999999]}  # fmt: skip
        answer = self.client.post("/api/v1/promises/", json.dumps(body), content_type="application/json", **headers)
        self.assertEqual(answer.status_code, 422, answer.content)
        self.assertIn("parties", answer.content.decode())

    def test_it_refuses_a_map_query_it_cannot_read(self):
        self.client.force_login(self.analyst)
        base = "/api/v1/areas/bisk/situation/map"
        for query in ("bbox=.,.,.,.", "bbox=1,2,3", "start=2020-01-01&end=2019-01-01", "bbox=1..2,3,4,5"):
            answer = self.client.get(f"{base}?{query}")
            self.assertEqual(answer.status_code, 422, (query, answer.content))
            self.assertTrue(answer["Content-Type"].startswith("application/json"))

    def test_it_draws_a_name_with_dollars_as_text(self):
        svg = charts.monthly_svg(["2016-01", "2016-02"], [1, 2], [2, 1], start=1, title=r"Area $\foo{$",
                                 labels=(r"Area $\foo{$", "Control", "Month", "Count"))  # fmt: skip
        self.assertIn(r"Area $\foo{$", svg)

    def test_it_wraps_a_long_chart_title_within_the_figure(self):
        title = "Brott per månad i området och i kontrollområdena, med löftets månader skuggade och 95 % intervall"
        svg = charts.monthly_svg(["2016-01", "2016-02"], [1, 2], [2, 1], start=1, title=title,
                                 labels=("Området", "Kontroll", "Månad", "Antal"))  # fmt: skip
        lines = [text for text in re.findall(r">([^<>]+)<", svg) if text.strip() and text in title]
        self.assertEqual(" ".join(lines), title)
        # 7.5 inches at 10 pt: about 90 characters of DejaVu Sans, as the page and the PDF print it.
        self.assertTrue(all(len(line) <= 85 for line in lines), lines)

    @override_settings(LOFTE_MAX_BODY_MB=1)
    def test_it_answers_413_above_the_body_size_in_json_under_the_api(self):
        self.client.force_login(self.owner)
        big = json.dumps({"text": "x" * 1_100_000})
        answer = self.client.post("/api/v1/promises/", big, content_type="application/json")
        self.assertEqual((answer.status_code, answer["Content-Type"]), (413, "application/json"))
        answer = self.client.post("/en/personal/loften/nytt/", {"title": "x" * 1_100_000})
        self.assertEqual(answer.status_code, 413)
        # The import page takes files up to LOFTE_IMPORT_MAX_MB.
        self.client.force_login(self.analyst)
        answer = self.client.post("/en/personal/import/", {"format": "policeuk", "source": "x" * 1_100_000})
        self.assertEqual(answer.status_code, 400)


class ResourceCapTests(BaseTestCase):
    @override_settings(LOFTE_MAX_GRID_CELLS=100)
    def test_it_refuses_a_grid_finer_than_the_cap_in_words(self):
        self.client.force_login(self.analyst)
        # The area is about 650 x 1 140 m: 60 m cells give 11 x 19 cells, 110 m cells 6 x 11.
        refused = self.client.get("/en/lagesbild/bisk/?cell=60")
        self.assertContains(refused, "at most 100 are drawn. Choose 90 m or more.")
        self.assertNotContains(self.client.get("/en/lagesbild/bisk/?cell=110"), "are drawn")
