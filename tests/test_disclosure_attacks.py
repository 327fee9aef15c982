"""The two differencing attacks of issue 21, played against the product: what one publishes beside
another never fixes a small count."""

import csv
import io
import json
import zipfile
from datetime import date, datetime

import numpy as np

from lofte.incidents import importer
from lofte.incidents.models import ImportRun

from .test_outcomes import STOCKHOLM, OutcomeData
from .test_situation import record
from .test_suppression import feasible_range


class OpenDataBesideTheComparisonTests(OutcomeData):
    """The open-data zip's table of every type beside the outcome comparison's monthly series."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        robberies = [record(90_000 + k, datetime(2016, month, 12, 20, tzinfo=STOCKHOLM), kind="Rån",
                            lon=11.885, lat=57.725) for k, month in enumerate([4, 5, 5, 6])]  # fmt: skip
        importer.load(robberies, ImportRun.objects.create(source="r", format="r", file_name="r", file_sha256="r"))

    def test_no_small_count_follows_from_the_table_and_the_monthly_outcome(self):
        answer = self.client.get(f"/en/loften/{self.promise.slug}/oppna-data.zip")
        archive = zipfile.ZipFile(io.BytesIO(answer.content))
        table = list(csv.reader(io.StringIO(archive.read("incidents_by_type_and_month.csv").decode())))
        comparison = json.loads(archive.read("outcome_comparison.json"))
        months = table[0][1:-1]
        types = [row[0] for row in table[1:-1]]
        self.assertEqual(types, ["Skadegörelse", "Rån"])  # every type its own row
        self.assertTrue(comparison["target_monthly"])  # the outcome's monthly series is published beside it
        shown = np.array([[np.nan if v in ("x", "<5") else float(v) for v in row[1:]] for row in table[1:]])
        outcome = {m: v for m, v in zip(comparison["months"], comparison["target_monthly"])}
        published, truth = [], np.zeros((len(types), len(months)))
        for k, month in enumerate(months):  # the published sums and, for the oracle, their values
            mask = np.zeros(truth.shape, dtype=bool)
            mask[0, k] = True
            truth[0, k] = outcome[month]
            published.append(mask)
        small = [(i, j) for i, row in enumerate(table[1:]) for j, v in enumerate(row[1:]) if v == "<5"]
        self.assertTrue(small)
        for at in small:
            low, high = feasible_range(shown, at, published, truth)
            self.assertLess(low, high, f"{table[1 + at[0]][0]} {table[0][1 + at[1]]} follows from what is shown")


class ComparisonAreaConsentTests(OutcomeData):
    """Another organisation's area is no source of counts without its consent: an owner cannot make it
    a control area and read its small counts by changing the incident types between two requests."""

    def test_an_owner_cannot_compare_with_another_organisations_area(self):
        from lofte.promises import planning

        self.promise.control_areas.clear()
        with self.assertRaisesRegex(planning.PlanningError, "control_areas"):
            planning.change_promise(self.owner, self.promise, control_areas=[self.other_area.pk])
        with self.assertRaisesRegex(planning.PlanningError, "donor_areas"):
            planning.change_promise(self.owner, self.promise, donor_areas=[self.other_area.pk])
        self.client.force_login(self.owner)
        page = self.client.get(f"/en/personal/loften/{self.promise.slug}/andra/")
        self.assertNotIn(f'value="{self.other_area.pk}"', page.content.decode())
        # An area no organisation holds (a reference area the site's administrator set up) can be one.
        planning.change_promise(self.owner, self.promise, donor_areas=[self.donor.pk])
        self.assertEqual(list(self.promise.donor_areas.all()), [self.donor])
        self.assertEqual(date(2016, 3, 1), self.promise.period_start)
