"""The weekly picture of an area (issue 25, item 4): every count equals the data it comes from, the
expected count equals the weekly core's on a series built here by hand, a planted week is called more
than usual and an ordinary one is not, the disclosure rule holds on the page, the API and the e-mail,
and the weekly e-mail goes once a week to members who asked and who may still read the area."""

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.core import mail
from django.test import override_settings

from lofte.accounts.models import ApiToken, Membership
from lofte.analysis.weekly import expected_week
from lofte.incidents import importer
from lofte.incidents.models import ImportRun
from lofte.observations import digest, weekly
from lofte.observations.models import Category, Observation, WeeklyDigest

from .base import PartnersTestCase
from .test_situation import record

STOCKHOLM = ZoneInfo("Europe/Stockholm")
FIRST = date(2015, 3, 2)  # a Monday: the area's first week of reports
PLANTED = date(2017, 3, 20)  # 2017-W12: a gathering at the square every evening
ORDINARY = date(2017, 3, 13)  # 2017-W11


class WeeklyPictureTests(PartnersTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        rng = np.random.default_rng(4)
        weeks = (PLANTED - FIRST).days // 7 + 1
        cls.gatherings = rng.poisson(1.5, weeks)
        cls.gatherings[-1] = 12
        cls.graffiti = rng.poisson(2.0, weeks)
        gathering, graffiti = Category.objects.get(code="gathering"), Category.objects.get(code="graffiti")
        rows = []
        for week in range(weeks):
            monday = FIRST + timedelta(weeks=week)
            for category, counts in ((gathering, cls.gatherings), (graffiti, cls.graffiti)):
                for i in range(counts[week]):
                    rows.append(Observation(area=cls.area, organisation=cls.housing, category=category,
                                            occurred_on=monday + timedelta(days=i % 7), lon=11.885, lat=57.725,
                                            count=5, created_by=cls.reporter))  # fmt: skip
        Observation.objects.bulk_create(rows)
        # Police incidents: vandalism about three a week, a robbery now and then, two in the planted week.
        records, n = [], 0
        cls.vandalism = rng.poisson(3.0, weeks)
        cls.robberies = rng.poisson(0.3, weeks)
        cls.robberies[-1] = 2
        for week in range(weeks):
            when = datetime.combine(FIRST + timedelta(weeks=week, days=2), datetime.min.time(), STOCKHOLM)
            for kind, counts in (("Skadegörelse", cls.vandalism), ("Rån", cls.robberies)):
                for _ in range(counts[week]):
                    n += 1
                    records.append(record(n, when.replace(hour=21), kind=kind))
        # As police.uk gives a crime: its month only. It cannot be put in a week, and is left out.
        records.append(replace(record(n + 1, datetime(2016, 6, 1, tzinfo=STOCKHOLM), kind="Inbrott"),
                               occurred_to=datetime(2016, 6, 30, 23, 59, tzinfo=STOCKHOLM)))  # fmt: skip
        run = ImportRun.objects.create(source="test", format="test", file_name="test", file_sha256="t")
        importer.load(records, run)

    def row(self, found, code):
        return next(r for r in found.rows if r.code == code)

    def test_it_counts_each_week_from_the_data_and_expects_what_the_core_expects(self):
        found = weekly.week_picture(self.area, PLANTED)
        self.assertEqual(found.label, "2017-W12")
        gathering = self.row(found, "gathering").result
        self.assertEqual(gathering.count, 12)  # reports, not their "how many" (5 each)
        self.assertEqual(self.row(found, "vandalism").result.count, self.graffiti[-1])  # graffiti is vandalism
        self.assertEqual(self.row(found, "Skadegörelse").result.count, self.vandalism[-1])
        self.assertEqual(self.row(found, "unsafe_place").result.count, 0)
        self.assertEqual(found.years, {"observation": 2, "incident": 2})
        self.assertNotIn("Inbrott", [r.code for r in found.rows])  # known only to its month
        by_hand = expected_week(self.gatherings, b=2, w=3)
        self.assertEqual((gathering.expected, gathering.low, gathering.high, gathering.p_value),
                         (by_hand.expected, by_hand.low, by_hand.high, by_hand.p_value))  # fmt: skip
        self.assertEqual(len(found.points), self.gatherings[-1] + self.graffiti[-1])

    def test_it_calls_the_planted_week_more_than_usual_and_the_week_before_not(self):
        self.assertEqual([(r.kind, r.code) for r in weekly.week_picture(self.area, PLANTED).unusual()],
                         [("observation", "gathering")])  # fmt: skip
        ordinary = weekly.week_picture(self.area, ORDINARY)
        self.assertEqual(ordinary.unusual(), [])
        self.assertEqual(self.row(ordinary, "gathering").result.count, self.gatherings[-2])

    def test_a_new_area_expects_nothing_until_it_has_a_year_of_history(self):
        found = weekly.week_picture(self.area, FIRST + timedelta(weeks=40))
        self.assertEqual(found.years, {"observation": 0, "incident": 0})
        self.assertEqual({r.result.reason for r in found.rows}, {"short_history"})
        self.assertEqual(found.unusual(), [])

    def test_a_new_observation_shows_at_once(self):
        before = self.row(weekly.week_picture(self.area, PLANTED), "event").result.count
        Observation.objects.create(area=self.area, organisation=self.housing, occurred_on=PLANTED,
                                   category=Category.objects.get(code="event"), lon=11.885, lat=57.725)  # fmt: skip
        self.assertEqual(self.row(weekly.week_picture(self.area, PLANTED), "event").result.count, before + 1)

    def test_the_page_shows_the_week_to_the_areas_members_and_hides_small_incident_counts(self):
        self.client.force_login(self.coordinator)
        page = self.client.get("/personal/omraden/bisk/vecka/?week=2017-W12")
        self.assertContains(page, "Bisk")
        self.assertContains(page, 'data-unusual="gathering"')
        self.assertContains(page, "Samling av personer som skapar otrygghet")
        # Two robberies: a small count, hidden with its verdict from everyone but analysts.
        self.assertRegex(page.content.decode(), r'data-row="Rån"><th scope="row">Rån</th>\s*<td><abbr')
        self.assertContains(page, 'rel="prev"')
        self.client.force_login(self.analyst)
        page = self.client.get("/personal/omraden/bisk/vecka/?week=2017-w12")
        self.assertRegex(page.content.decode(), r'data-row="Rån"><th scope="row">Rån</th>\s*<td>2</td>')
        self.assertEqual(self.client.get("/personal/omraden/bisk/vecka/?week=2017-W60").status_code, 400)
        self.assertEqual(self.client.get("/personal/omraden/bisk/vecka/?week=2999-W01").status_code, 400)
        self.assertEqual(self.client.get("/personal/omraden/bisk/vecka/?week=0001-W01").status_code, 400)
        # Another area's members, and reporters, see nothing of it.
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get("/personal/omraden/bisk/vecka/").status_code, 404)
        self.client.force_login(self.reporter)
        self.assertEqual(self.client.get("/personal/omraden/bisk/vecka/").status_code, 403)

    def test_the_default_week_is_the_latest_with_data(self):
        self.client.force_login(self.coordinator)
        self.assertContains(self.client.get("/personal/omraden/bisk/vecka/"), "2017-W12")

    def test_the_api_gives_each_category_with_the_disclosure_rule(self):
        def week(user):
            token = "Bearer " + ApiToken.issue(user, "t")[1]
            return self.client.get("/api/v1/areas/bisk/week?week=2017-W12", HTTP_AUTHORIZATION=token)

        answer = week(self.coordinator).json()
        self.assertEqual((answer["week"], answer["start"], answer["end"]), ("2017-W12", "2017-03-20", "2017-03-26"))
        rows = {r["category"]: r for r in answer["categories"]}
        self.assertEqual((rows["gathering"]["count"], rows["gathering"]["unusual"], rows["gathering"]["kind"]),
                         (12, True, "observation"))  # fmt: skip
        self.assertEqual((rows["Rån"]["count"], rows["Rån"]["unusual"]), (None, None))
        self.assertEqual(answer["suppressed_below"], 5)
        self.assertEqual({r["category"]: r["count"] for r in week(self.analyst).json()["categories"]}["Rån"], 2)
        self.assertEqual(week(self.outsider).status_code, 404)
        self.assertEqual(week(self.reporter).status_code, 403)
        token = "Bearer " + ApiToken.issue(self.coordinator, "t")[1]
        bad = self.client.get("/api/v1/areas/bisk/week?week=17-12", HTTP_AUTHORIZATION=token)
        self.assertEqual(bad.status_code, 422)

    @override_settings(LOFTE_PUBLIC_URL="https://lofte.example")
    def test_the_weekly_email_goes_once_a_week_to_members_who_asked(self):
        self.coordinator.email, self.owner.email = "samordnare@example.se", "kommunpolis@example.se"
        self.coordinator.save()
        self.owner.save()
        for user in (self.coordinator, self.owner):
            self.client.force_login(user)
            self.client.post("/personal/omraden/bisk/vecka/e-post/", {"wanted": "1"})
        self.assertEqual(WeeklyDigest.objects.count(), 2)
        # The police owner leaves; the municipality's coordinator gets the week, once.
        Membership.objects.filter(user=self.owner).delete()
        monday_after = PLANTED + timedelta(days=7)
        self.assertEqual(digest.send_due(today=monday_after), 1)
        (sent,) = mail.outbox
        self.assertEqual(sent.to, ["samordnare@example.se"])
        self.assertIn("2017-W12", sent.subject)
        self.assertIn("Samling av personer som skapar otrygghet: 12", sent.body)
        self.assertIn("https://lofte.example/personal/omraden/bisk/vecka/?week=2017-W12", sent.body)
        self.assertNotIn("Rån", sent.body)
        self.assertEqual(WeeklyDigest.objects.get().user, self.coordinator)  # the owner's wish is dropped
        self.assertEqual(digest.send_due(today=monday_after + timedelta(days=2)), 0)
        self.client.force_login(self.coordinator)
        self.client.post("/personal/omraden/bisk/vecka/e-post/", {"wanted": "0"})
        self.assertFalse(WeeklyDigest.objects.exists())
        self.assertEqual(self.client.get("/personal/omraden/bisk/vecka/e-post/").status_code, 405)

    def test_incidents_near_midnight_count_on_their_local_day(self):
        """SQLite counts per UTC day; the hours whose local day differs are converted apart."""
        from lofte.incidents.inside import AreaIncidents
        from lofte.incidents.models import Incident

        times = [
            datetime(2018, 7, 1, 23, 30, tzinfo=STOCKHOLM),  # summer, a Sunday night: 21:30 UTC
            datetime(2018, 7, 2, 0, 30, tzinfo=STOCKHOLM),  # Monday: 22:30 UTC on the Sunday
            datetime(2018, 12, 30, 23, 59, tzinfo=STOCKHOLM),  # winter, Sunday: 22:59 UTC
            datetime(2018, 12, 31, 0, 1, tzinfo=STOCKHOLM),  # Monday: 23:01 UTC on the Sunday
            datetime(2018, 12, 31, 1, 0, tzinfo=STOCKHOLM),  # Monday: 00:00 UTC
        ]
        records = [record(90_000 + i, when, kind="Midnatt") for i, when in enumerate(times)]
        run = ImportRun.objects.create(source="test", format="test", file_name="midnight", file_sha256="m")
        importer.load(records, run)
        counts = AreaIncidents.of(self.area).daily_counts(Incident.objects.filter(type="Midnatt"))
        days = {row.day.date(): row.n for row in counts.itertuples()}
        self.assertEqual(days, {date(2018, 7, 1): 1, date(2018, 7, 2): 1, date(2018, 12, 30): 1, date(2018, 12, 31): 2})
        found = weekly.compute(self.area, date(2018, 12, 31))
        self.assertEqual(self.row(found, "Midnatt").result.count, 2)
