"""Observations in the area's one picture (issue 25, item 7): the situation page counts them by
category and month under the incidents' small-count rule, offers their points as a layer, and the
evidence matrix gives each problem the reports of its categories with their trend."""

import json
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from lofte.accounts.models import ApiToken
from lofte.dialogues.models import CandidateProblem
from lofte.incidents import importer
from lofte.incidents.models import ImportRun
from lofte.observations.models import Action, Category, Observation

from .base import PartnersTestCase
from .test_situation import record


class ObservationsInThePictureTests(PartnersTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        graffiti, event = Category.objects.get(code="graffiti"), Category.objects.get(code="event")
        rows = []
        # 2014-01 .. 2016-12: graffiti reported about six times a month, rising 4 % a month.
        cls.monthly = np.random.default_rng(3).poisson(6 * np.exp(0.04 * np.arange(36)))
        for month, n in enumerate(cls.monthly):
            year, m = 2014 + month // 12, month % 12 + 1
            for i in range(n):  # never on the 1st: the matrix's year begins on 2 January
                rows.append(Observation(area=cls.area, organisation=cls.housing, category=graffiti, lon=11.885,
                                        lat=57.725, occurred_on=date(year, m, 2 + i % 27)))  # fmt: skip
        rows += [Observation(area=cls.area, organisation=cls.housing, category=event, lon=11.885, lat=57.725,
                             occurred_on=date(2016, 5, 3)) for _ in range(2)]  # fmt: skip
        Observation.objects.bulk_create(rows)
        Action.objects.create(area=cls.area, organisation=cls.housing, title="Belysning vid torget", place=cls.place,
                              status="done", done_on=date(2016, 6, 1))  # fmt: skip
        Action.objects.create(area=cls.area, organisation=cls.housing, title="Förra årets", place=cls.place,
                              status="done", done_on=date(2015, 6, 1))  # fmt: skip
        Action.objects.create(area=cls.other_area, organisation=cls.other_police, title="Hjällbos",
                              place=cls.other_place)  # fmt: skip
        cls.vandalism = CandidateProblem.objects.create(area=cls.area, name="Skadegörelse")
        cls.vandalism.observation_categories.set([Category.objects.get(code="vandalism")])
        cls.events = CandidateProblem.objects.create(area=cls.area, name="Evenemang")
        cls.events.observation_categories.set([Category.objects.get(code="event")])

    def table(self, page):
        html = page.content.decode()
        rows = re.findall(r'<tr data-observed="(\w+)"><th scope="row">[^<]*</th>(.*?)</tr>', html, re.S)
        return {code: [c.strip() for c in re.findall(r"<td>(.*?)</td>", cells, re.S)] for code, cells in rows}

    def test_the_situation_page_counts_reports_under_the_small_count_rule(self):
        query = "?start=2016-01-01&end=2016-12-31"
        self.client.force_login(self.coordinator)
        page = self.client.get(f"/lagesbild/bisk/{query}")
        table = self.table(page)
        self.assertIn("&lt;5", table["event"][4])  # two events in May: hidden from the coordinator
        self.assertContains(page, 'data-observed-trend="too little data"')  # one year: the season or a trend?
        two_years = self.client.get("/lagesbild/bisk/?start=2015-01-01&end=2016-12-31")
        self.assertContains(two_years, 'data-observed-trend="increase"')
        shown = json.loads(re.search(r'id="situation-data" type="application/json">(.*?)</script>',
                                     page.content.decode(), re.S)[1])  # fmt: skip
        self.assertEqual(len(shown["points"]["features"]), self.monthly[24:].sum() + 2)
        self.assertEqual([a["name"] for a in shown["actions"]], ["Belysning vid torget (klar)"])
        self.client.force_login(self.analyst)
        full = self.table(self.client.get(f"/lagesbild/bisk/{query}"))
        self.assertEqual(full["event"][4], "2")
        self.assertEqual(full["vandalism"][0], str(self.monthly[24]))  # January 2016
        self.assertEqual(full["vandalism"][-1], str(self.monthly[24:].sum()))  # the year's total
        # What the coordinator sees of a count is the count; what is hidden is hidden, never changed.
        for code, cells in table.items():
            for shown, everything in zip(cells, full[code], strict=True):
                self.assertIn(shown, (everything,) if "abbr" not in shown else (shown,))

    def test_the_evidence_matrix_gives_each_problem_its_reports_and_their_trend(self):
        # The matrix counts the twelve months up to the area's latest incident: the last day of 2016.
        run = ImportRun.objects.create(source="test", format="test", file_name="t", file_sha256="t")
        importer.load([record(1, datetime(2016, 12, 31, 12, tzinfo=ZoneInfo("Europe/Stockholm")))], run)
        token = "Bearer " + ApiToken.issue(self.coordinator, "t")[1]
        rows = {r["problem"]: r for r in self.client.get("/api/v1/areas/bisk/evidence",
                                                         HTTP_AUTHORIZATION=token).json()}  # fmt: skip
        self.assertEqual(rows["Skadegörelse"]["observations"], self.monthly[24:].sum())
        self.assertEqual(rows["Skadegörelse"]["observation_trend"]["verdict"], "increase")
        self.assertEqual((rows["Evenemang"]["observations"], rows["Evenemang"]["observations_small"]), (None, True))


class ObservedOutcomeTests(PartnersTestCase):
    """Issue 25, item 7: a promise's outcome may be the partners' reports of its categories."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        gathering = Category.objects.get(code="gathering")
        rows = []
        for day in range(
            0, 730, 3
        ):  # 2015-03-01 .. 2017-02-27: a report every third day, none in the last year's spring
            when = date(2015, 3, 1) + timedelta(days=day)
            if date(2016, 3, 1) <= when <= date(2016, 8, 31) and day % 2:
                continue  # half as many in the promise's first six months
            rows.append(Observation(area=cls.area, organisation=cls.housing, category=gathering, occurred_on=when,
                                    lon=11.885, lat=57.725))  # fmt: skip
        Observation.objects.bulk_create(rows)
        # The promise's 365 days against the 365 before it: from 2 March 2015 (2016 is a leap year).
        cls.before = sum(1 for r in rows if date(2015, 3, 2) <= r.occurred_on < date(2016, 3, 1))
        cls.during = sum(1 for r in rows if r.occurred_on >= date(2016, 3, 1))

    def api(self, user, method, url, data=None):
        token = "Bearer " + ApiToken.issue(user, "t")[1]
        return getattr(self.client, method)(url, data, content_type="application/json", HTTP_AUTHORIZATION=token)

    def test_the_report_compares_the_promises_observation_categories_before_and_during(self):
        self.promise.outcome_observation_categories = ["gathering"]
        self.promise.save()
        observed = self.client.get("/api/v1/promises/published-promise/report").json()["observed"]
        self.assertEqual((observed["change"]["before"], observed["change"]["after"]), (self.before, self.during))
        self.assertEqual(observed["before"], ["2015-03-02", "2016-02-29"])
        self.assertLess(observed["change"]["ratio"], 1)
        page = self.client.get("/loften/published-promise/rapport/")
        self.assertContains(page, 'data-outcome="observed"')
        self.assertContains(page, "det finns inget kontrollområde")

    def test_a_promise_names_only_categories_that_exist_and_a_change_after_publishing_needs_a_reason(self):
        url = "/api/v1/promises/published-promise"
        refused = self.api(self.owner, "patch", url, {"outcome_observation_categories": ["nonsense"]})
        self.assertEqual((refused.status_code, refused.json()["errors"][0]["field"]),
                         (422, "outcome_observation_categories"))  # fmt: skip
        unexplained = self.api(self.owner, "patch", url, {"outcome_observation_categories": ["gathering"]})
        self.assertEqual(unexplained.status_code, 422)
        reason = "Samlingarna på torgen är en del av problemet."
        said = self.api(self.owner, "patch", url, {"outcome_observation_categories": ["gathering"], "reason": reason})
        self.assertEqual(said.status_code, 200, said.content)
        self.assertContains(self.client.get("/loften/published-promise/historik/"), "Samlingarna på torgen")

    def test_small_or_missing_counts_are_neither_shown_nor_judged(self):
        self.promise.outcome_observation_categories = ["event"]
        self.promise.save()
        Observation.objects.create(area=self.area, organisation=self.housing, occurred_on=date(2015, 5, 1),
                                   category=Category.objects.get(code="event"), lon=11.885, lat=57.725)  # fmt: skip
        observed = self.client.get("/api/v1/promises/published-promise/report").json()["observed"]
        self.assertEqual((observed["change"], observed["reason"]), (None, "small"))
