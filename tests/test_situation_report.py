"""The municipality's situation report (issue 26): every generated number equals the data behind it,
small counts never show, and the flow draft → comments → decided → published keeps each decided
version as it was; only the owner writes and decides, partners comment, others see nothing."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.test import override_settings

from lofte.accounts.models import Organisation, Role
from lofte.analysis.situation import compare_rates, rate_per_thousand
from lofte.incidents import importer
from lofte.incidents.models import ImportRun
from lofte.observations.models import Action, Category, Observation
from lofte.places.models import Population
from lofte.plans import services
from lofte.plans.check import check_measure
from lofte.plans.models import SituationReport

from .base import PartnersTestCase, member
from .test_situation import record

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def spread(n, year, first=0):
    """`n` times spread over the year, at ten in the evening."""
    step = 365 / n
    return [datetime(year, 1, 1, 22, tzinfo=STOCKHOLM) + timedelta(days=int(first + i * step)) for i in range(n)]


class ReportTestCase(PartnersTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        records, n = [], 0
        plan = [("Skadegörelse", 2015, 60), ("Skadegörelse", 2016, 90), ("Stöld", 2015, 40), ("Stöld", 2016, 40),
                ("Rån", 2016, 3)]  # fmt: skip
        for kind, year, count in plan:
            for when in spread(count, year):
                n += 1
                records.append(record(n, when, kind=kind, lon=11.885, lat=57.725))
        for when in spread(50, 2016):
            n += 1
            records.append(record(n, when, kind="Stöld", lon=12.025, lat=57.775))
        run = ImportRun.objects.create(source="test", format="test", file_name="t", file_sha256="t")
        importer.load(records, run)
        Population.objects.create(area=cls.area, year=2016, residents=10_000, source="SCB 2016")
        Population.objects.create(area=cls.other_area, year=2016, residents=20_000, source="SCB 2016")
        gathering = Category.objects.get(code="gathering")
        rows = [(2015, 10), (2016, 30)]
        Observation.objects.bulk_create(
            Observation(area=cls.area, organisation=cls.housing, category=gathering, occurred_on=when.date(),
                        lon=cls.place.lon, lat=cls.place.lat, part_of_day="evening")
            for year, count in rows for when in spread(count, year)
        )  # fmt: skip
        cls.municipality.areas.add(cls.other_area)  # the municipality as a whole, to compare with
        cls.analyst_sdf = member("sdf-analytiker", cls.municipality, Role.ANALYST)
        cls.sdf_admin = member("sdf-admin", cls.municipality, Role.ADMIN)
        cls.other_town = Organisation.objects.create(name="Annan kommun", kind="municipality")
        cls.other_town.areas.add(cls.other_area)
        cls.other_coordinator = member("annan-samordnare", cls.other_town, Role.OWNER)

    def make(self, **extra):
        fields = {"organisation": self.municipality, "area": self.area.code, "year": 2016,
                  "title": "Lägesbild Västra Hisingen 2016", "municipality_code": "1480",
                  "municipality_name": "Göteborg", "comparison_area": self.other_area.code,
                  "partners": [self.police.pk]} | extra  # fmt: skip
        return services.create(self.coordinator, **fields)


class FiguresTests(ReportTestCase):
    def test_it_counts_each_type_year_by_year_and_lets_no_small_count_show(self):
        incidents = self.make().figures["mapping"]["incidents"]
        self.assertEqual(incidents["years"], [2015, 2016])
        table = {r["type"]: [c["value"] for c in r["years"]] for r in incidents["rows"]}
        # The robberies (3) are too few to show: they join the other types, and thefts join them so
        # that the remainder of the totals is not a small count either.
        self.assertEqual(table, {"Skadegörelse": [60, 90], None: [40, 43]})
        self.assertEqual([c["value"] for c in incidents["total"]], [100, 133])
        self.assertNotIn("Rån", str(incidents))

    def test_it_gives_the_rate_per_thousand_and_compares_with_the_whole(self):
        figures = self.make().figures
        incidents, comparison = figures["mapping"]["incidents"], figures["mapping"]["comparison"]
        self.assertAlmostEqual(incidents["per_1000"]["per_1000"], 13.3)
        expected = rate_per_thousand(133, residents=10_000, years=1, dispersion=incidents["dispersion"])
        self.assertAlmostEqual(incidents["per_1000"]["ci_low"], expected.ci_low)
        self.assertEqual(comparison["per_1000"]["count"], 50)
        ratio = comparison["ratio"]
        self.assertAlmostEqual(ratio["ratio"], (133 / 10_000) / (50 / 20_000))
        phi = max(incidents["dispersion"], comparison["per_1000"]["dispersion"])
        self.assertAlmostEqual(ratio["ci_low"], compare_rates(133, 10_000, 50, 20_000, dispersion=phi).ci_low)
        self.assertEqual(ratio["verdict"], "increase")
        self.assertEqual(figures["analysis"]["priorities"]["deviating"][0]["against"], "Hjällbo")
        # Type by type: Hjällbo had no damage at all; the interval says "higher" without a ratio.
        (damage,) = comparison["types"]
        self.assertEqual((damage["type"], damage["ratio"], damage["verdict"]), ("Skadegörelse", None, "increase"))
        self.assertEqual([d["what"] for d in figures["analysis"]["priorities"]["deviating"]], ["all", "Skadegörelse"])

    def test_it_counts_the_partners_observations_this_year_against_last(self):
        rows = self.make().figures["mapping"]["observations"]["rows"]
        self.assertEqual([(r["category"], r["count"], r["before"]) for r in rows], [("gathering", 30, 10)])
        self.assertEqual(rows[0]["change"]["verdict"], "increase")

    def test_it_names_the_evening_in_the_wheel_and_no_season(self):
        wheel = self.make().figures["when_where"]["wheel"]
        self.assertEqual(wheel["known"]["hour"], 233)
        self.assertEqual(wheel["hour"]["counts"][22], 233)
        self.assertTrue(wheel["hour"]["shown"])
        self.assertEqual(wheel["hour"]["above"], [22])
        # Incidents spread evenly over the calendar: no month stands out.
        self.assertFalse(wheel["month"]["shown"])
        self.assertEqual(wheel["month"]["above"], [])

    def test_it_compares_reference_values_with_the_reports_interval(self):
        report = self.make()
        services.add_reference(self.coordinator, report, label="Hela landet", kind="incidents_per_1000",
                               value=5.0, year=2016, source="Brå, anmälda brott 2016")  # fmt: skip
        services.add_reference(self.coordinator, report, label="Nära", kind="incidents_per_1000",
                               value=13.0, year=2016, source="Brå")  # fmt: skip
        report.refresh_from_db()
        found = report.figures["mapping"]["references"]
        self.assertEqual([(r["label"], r["verdict"]) for r in found],
                         [("Hela landet", "increase"), ("Nära", "no measurable change")])  # fmt: skip
        self.assertAlmostEqual(found[0]["ours"]["value"], 13.3)


class FlowTests(ReportTestCase):
    def test_it_goes_from_draft_through_comments_to_a_published_decision(self):
        report = self.make()
        services.write(self.analyst_sdf, report, summary="Skadegörelsen ökar.", analysis="Kvällarna.")
        services.refer(self.coordinator, report)
        comment = services.comment(self.owner, report, organisation=self.police, text="Lägg till narkotikan.")
        services.answer(self.coordinator, comment, text="Tillagt under analys.")
        services.decide(self.coordinator, report, body="Kommunfullmäktige", on=date(2017, 3, 1),
                        reference_number="KS 2017/123")  # fmt: skip
        services.publish(self.sdf_admin, report)
        report.refresh_from_db()
        self.assertEqual(report.status, SituationReport.Status.PUBLISHED)
        self.assertEqual((report.decided_by_body, report.reference_number), ("Kommunfullmäktige", "KS 2017/123"))
        self.assertEqual(report.comments.get().answer, "Tillagt under analys.")

    def test_it_keeps_a_decided_version_and_starts_the_next_from_it(self):
        report = self.make()
        services.write(self.coordinator, report, summary="Version ett.")
        services.add_measure(self.coordinator, report, title="Belysning", problem="Otrygga torg",
                             responsible=self.municipality.pk, function="trygghetssamordnare")  # fmt: skip
        services.decide(self.coordinator, report, body="KF", on=date(2017, 3, 1), reference_number="1")
        frozen = report.figures
        for change in (lambda: services.write(self.coordinator, report, summary="Ändrad."),
                       lambda: services.refresh(self.coordinator, report),
                       lambda: services.add_reference(self.coordinator, report, label="x", kind="other", value=1,
                                                      year=2016, source="y")):  # fmt: skip
            with self.assertRaises(services.PlanError) as caught:
                change()
            self.assertEqual(caught.exception.status, 409)
        following = services.new_version(self.coordinator, report)
        self.assertEqual((following.version, following.previous, following.status), (2, report, "draft"))
        self.assertEqual((following.summary, following.measures.get().title), ("Version ett.", "Belysning"))
        services.write(self.coordinator, following, summary="Version två.")
        report.refresh_from_db()
        self.assertEqual((report.summary, report.figures, report.status), ("Version ett.", frozen, "decided"))
        with self.assertRaises(services.PlanError):
            services.new_version(self.coordinator, report)  # version 2 is not decided yet

    def test_it_refuses_a_decision_without_body_number_or_past_date(self):
        report = self.make()
        for body, number, on, field in (("", "1", date(2017, 1, 1), "decided_by_body"),
                                        ("KF", "", date(2017, 1, 1), "reference_number"),
                                        ("KF", "1", date.today() + timedelta(days=2), "decided_on")):  # fmt: skip
            with self.assertRaises(services.PlanError) as caught:
                services.decide(self.coordinator, report, body=body, on=on, reference_number=number)
            self.assertEqual(caught.exception.field, field)

    def test_it_keeps_personal_data_out_of_a_public_report(self):
        report = self.make()
        with self.assertRaises(services.PlanError) as caught:
            services.write(self.coordinator, report, analysis="Ring Anna på 070-123 45 67.")
        self.assertEqual(caught.exception.field, "analysis")
        with self.assertRaises(services.PlanError) as caught:
            services.add_reference(self.coordinator, report, label="Enkät", kind="other", value=1, year=2016,
                                   source="Anna Svensson, anna@example.org")  # fmt: skip
        self.assertEqual(caught.exception.field, "source")


class PermissionTests(ReportTestCase):
    def refused(self, call, status=403):
        with self.assertRaises(services.PlanError) as caught:
            call()
        self.assertEqual(caught.exception.status, status, caught.exception.message)

    def test_only_the_municipalitys_owners_and_analysts_make_and_write_it(self):
        self.refused(lambda: services.create(self.owner, organisation=self.police, area=self.area.code, year=2016,
                                             title="x", municipality_code="1480", municipality_name="G"))  # fmt: skip
        report = self.make()
        self.refused(lambda: services.write(self.owner, report, summary="Polisen skriver."))
        self.refused(lambda: services.decide(self.owner, report, body="KF", on=date(2017, 1, 1), reference_number="1"))
        self.refused(lambda: services.decide(self.analyst_sdf, report, body="KF", on=date(2017, 1, 1),
                                             reference_number="1"))  # fmt: skip

    def test_another_municipality_sees_and_reaches_nothing(self):
        report = self.make()
        from lofte.plans.permissions import reports

        self.assertFalse(reports.visible(self.other_coordinator).exists())
        self.assertFalse(reports.visible(self.outsider).exists())
        self.assertTrue(reports.visible(self.owner).filter(pk=report.pk).exists())  # the police: a partner
        self.assertFalse(reports.visible(self.reporter).exists())
        # Its own report cannot cover an area it does not hold, nor name parts, partners or measures of others.
        self.refused(lambda: services.create(self.other_coordinator, organisation=self.other_town,
                                             area=self.area.code, year=2016, title="x", municipality_code="1480",
                                             municipality_name="G"), 422)  # fmt: skip
        theirs = services.create(self.other_coordinator, organisation=self.other_town, area=self.other_area.code,
                                 year=2016, title="x", municipality_code="1480", municipality_name="G")  # fmt: skip
        self.refused(lambda: services.add_measure(self.other_coordinator, theirs, title="x", problem="y",
                                                  promise=self.promise.pk), 422)  # fmt: skip
        self.refused(lambda: services.add_measure(self.other_coordinator, theirs, title="x", problem="y",
                                                  responsible=self.police.pk), 422)  # fmt: skip
        self.refused(lambda: services.comment(self.other_coordinator, report, organisation=self.other_town,
                                              text="x"), 409)  # fmt: skip
        services.refer(self.coordinator, report)
        self.refused(lambda: services.comment(self.other_coordinator, report, organisation=self.other_town,
                                              text="Hej"))  # fmt: skip
        self.refused(lambda: services.comment(self.owner, report, organisation=self.other_town, text="Hej"))

    def test_partners_are_organisations_that_hold_the_area(self):
        self.refused(lambda: self.make(partners=[self.other_police.pk]), 422)
        self.assertEqual(list(self.make(partners=[self.police.pk, self.housing.pk]).partners.order_by("name")),
                         [self.housing, self.police])  # fmt: skip


class MeasureTests(ReportTestCase):
    def test_it_links_a_promise_and_an_action_of_the_area(self):
        report = self.make()
        action = Action.objects.create(area=self.area, organisation=self.housing, title="Väktare", status="done",
                                       done_on=date(2016, 6, 1))  # fmt: skip
        promise = services.add_measure(self.coordinator, report, title="Medborgarlöfte", problem="Våld på torgen",
                                       promise=self.promise.pk)  # fmt: skip
        guards = services.add_measure(self.coordinator, report, title="Väktare", problem="Samlingar",
                                      action=action.pk)  # fmt: skip
        self.assertEqual((promise.promise, guards.action), (self.promise, action))
        self.assertEqual(check_measure(promise, report.figures), [])

    def test_the_check_asks_for_who_what_when_and_a_detectable_indicator(self):
        report = self.make()
        vague = services.add_measure(self.coordinator, report, title="Mer trygghet", problem="Otrygghet")
        self.assertEqual({f.rule for f in check_measure(vague, report.figures)}, {"responsible", "measurable"})
        clear = services.add_measure(
            self.coordinator, report, title="Belysning", problem="Skadegörelse", responsible=self.municipality.pk,
            function="trygghetssamordnare", starts=date(2017, 1, 1), ends=date(2017, 12, 31),
            follow_up="Årligen i lägesbilden", incident_types=["Skadegörelse"],
        )  # fmt: skip
        self.assertEqual(check_measure(clear, report.figures), [])
        # The other types' row is no indicator of its own: a type without a row is not judged.
        with override_settings(LOFTE_SMALL_COUNT_THRESHOLD=5):
            services.change_measure(self.coordinator, clear, incident_types=["Rån"])
            self.assertEqual(check_measure(clear, report.figures), [])

    def test_a_decided_plans_measures_change_only_in_status(self):
        report = self.make()
        measure = services.add_measure(self.coordinator, report, title="Belysning", problem="Otrygga torg")
        services.decide(self.coordinator, report, body="KF", on=date(2017, 3, 1), reference_number="1")
        services.change_measure(self.coordinator, measure, status="done", status_note="Klart i maj.")
        with self.assertRaises(services.PlanError):
            services.change_measure(self.coordinator, measure, title="Annat")
        with self.assertRaises(services.PlanError):
            services.change_measure(self.owner, measure, status="cancelled")


class PageTests(ReportTestCase):
    def decided(self):
        report = self.make()
        services.write(self.coordinator, report, consequences="Otrygghet på torgen.", signal_crimes="Skottlossning.")
        services.add_measure(self.coordinator, report, title="Medborgarlöfte", problem="Våld på torgen",
                             promise=self.promise.pk)  # fmt: skip
        services.refer(self.coordinator, report)
        services.comment(self.owner, report, organisation=self.police, text="Bra underlag.")
        services.decide(self.coordinator, report, body="Kommunfullmäktige", on=date(2017, 3, 1),
                        reference_number="KS 2017/12")  # fmt: skip
        return report

    def test_a_coordinator_makes_a_report_on_the_page_and_the_police_comment(self):
        self.client.force_login(self.coordinator)
        response = self.client.post("/personal/lagesbilder/ny/", {
            "organisation": self.municipality.pk, "title": "Lägesbild 2016", "year": 2016, "municipality_code": "1480",
            "municipality_name": "Göteborg", "area": self.area.code, "comparison_area": self.other_area.code,
            "partners": [self.police.pk], "review_months": 12,
        })  # fmt: skip
        report = SituationReport.objects.get()
        self.assertRedirects(response, f"/personal/lagesbilder/{report.pk}/")
        page = self.client.get(f"/personal/lagesbilder/{report.pk}/").content.decode()
        self.assertIn('data-type="Skadegörelse"', page)
        self.assertIn("Arbetsversion", page)
        self.client.post(f"/personal/lagesbilder/{report.pk}/steg/refer/")
        self.client.force_login(self.owner)
        self.client.post(f"/personal/lagesbilder/{report.pk}/kommentar/",
                         {"organisation": self.police.pk, "text": "Lägg till narkotikan."})  # fmt: skip
        self.assertEqual(report.comments.get().organisation, self.police)
        self.assertEqual(self.client.post(f"/personal/lagesbilder/{report.pk}/steg/publish/").status_code, 403)
        self.assertEqual(self.client.post(f"/personal/lagesbilder/{report.pk}/beslut/",
                                          {"body": "KF", "on": "2017-01-01", "reference_number": "1"}).status_code,
                         403)  # fmt: skip
        self.assertEqual(self.client.get(f"/personal/lagesbilder/{report.pk}/texter/").status_code, 403)

    def test_another_municipality_and_the_public_reach_no_working_version(self):
        report = self.make()
        for user in (self.other_coordinator, self.outsider, self.reporter):
            self.client.force_login(user)
            for url in (f"/personal/lagesbilder/{report.pk}/", f"/personal/lagesbilder/{report.pk}.pdf"):
                self.assertEqual(self.client.get(url).status_code, 404, (user, url))
            self.assertEqual(self.client.post(f"/personal/lagesbilder/{report.pk}/steg/figures/").status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get("/kommun/1480/lagesbild/2016/").status_code, 404)
        self.assertEqual(self.client.get(f"/kommun/1480/lagesbild/2016/{self.area.code}/").status_code, 404)
        services.decide(self.coordinator, report, body="KF", on=date(2017, 3, 1), reference_number="1")
        self.assertEqual(self.client.get("/kommun/1480/lagesbild/2016/").status_code, 404)  # decided, not published

    def test_the_published_report_has_every_section_as_a_page_a_tagged_pdf_and_open_data(self):
        from io import BytesIO
        from zipfile import ZipFile

        from pypdf import PdfReader

        report = self.decided()
        services.publish(self.coordinator, report)
        page = self.client.get("/kommun/1480/lagesbild/2016/").content.decode()
        for section in ("4 § 1 p.", "4 § 2 p.", "4 § 3 p.", "5 §", "Kommunfullmäktige", "KS 2017/12",
                        "Otrygghet på torgen.", "Skottlossning.", "Bra underlag.", 'data-wheel="hour"'):  # fmt: skip
            self.assertIn(section, page)
        self.assertNotIn("Rån", page)
        pdf = self.client.get(f"/kommun/1480/lagesbild/2016/{self.area.code}/lagesbild.pdf")
        reader = PdfReader(BytesIO(pdf.content))
        root = reader.trailer["/Root"]
        self.assertEqual((root["/Lang"], bool(root["/MarkInfo"]["/Marked"])), ("sv", True))
        self.assertIn("/StructTreeRoot", root)
        text = " ".join(p.extract_text() for p in reader.pages)
        headings = ("Kartläggning", "Annan information av betydelse", "Var och när", "Analys", "Ställningstagande")
        for heading in headings:
            self.assertIn(heading, text)
        archive = ZipFile(BytesIO(self.client.get(
            f"/kommun/1480/lagesbild/2016/{self.area.code}/oppna-data.zip").content))  # fmt: skip
        rows = archive.read("incidents_by_type_and_year.csv").decode()
        self.assertIn("Skadegörelse,2016,90", rows)
        self.assertIn("(other types),2016,43", rows)
        self.assertNotIn("Rån", rows)
        self.assertIn("Medborgarlöfte", archive.read("action_plan.csv").decode())


class ApiTests(ReportTestCase):
    def test_it_gives_the_published_versions_to_everyone_and_the_working_ones_to_their_makers(self):
        from lofte.accounts.models import ApiToken

        report = self.make()
        services.decide(self.coordinator, report, body="KF", on=date(2017, 3, 1), reference_number="1")
        services.publish(self.coordinator, report)
        draft = services.new_version(self.coordinator, report)
        url = "/api/v1/municipalities/1480/situation-reports/"
        public = self.client.get(url).json()
        self.assertEqual([(r["version"], r["status"]) for r in public], [(1, "published")])
        incidents = public[0]["figures"]["mapping"]["incidents"]
        self.assertEqual([c["value"] for c in incidents["total"]], [100, 133])
        self.assertNotIn("Rån", str(public))
        for user, versions in ((self.owner, [2, 1]), (self.other_coordinator, [1]), (self.reporter, [1])):
            token = "Bearer " + ApiToken.issue(user, "t")[1]
            found = self.client.get(url, HTTP_AUTHORIZATION=token).json()
            self.assertEqual([r["version"] for r in found], versions, user)
        self.assertEqual(self.client.get(url + "?year=2015").json(), [])
        self.assertEqual(draft.status, "draft")


class FollowUpTests(ReportTestCase):
    def test_the_next_report_follows_up_each_measure_against_its_baseline(self):
        from lofte.plans.follow_up import follow_up

        earlier = self.make(year=2015, title="Lägesbild 2015")
        services.add_measure(self.coordinator, earlier, title="Belysning", problem="Skadegörelse",
                             incident_types=["Skadegörelse"], responsible=self.municipality.pk)  # fmt: skip
        services.add_measure(self.coordinator, earlier, title="Väktare", problem="Samlingar",
                             observation_category="gathering")  # fmt: skip
        services.add_measure(self.coordinator, earlier, title="Medborgarlöfte", problem="Våld",
                             promise=self.promise.pk)  # fmt: skip
        services.decide(self.coordinator, earlier, body="KF", on=date(2016, 3, 1), reference_number="1")
        found = follow_up(earlier, today=date(2016, 12, 31))
        lighting, guards, promise = found["measures"]
        self.assertEqual((found["year"], found["baseline_year"]), (2016, 2015))
        self.assertEqual((lighting["indicator"]["baseline"], lighting["indicator"]["now"]), (60, 90))
        self.assertAlmostEqual(lighting["indicator"]["ratio"], 1.5)
        self.assertEqual((guards["indicator"]["baseline"], guards["indicator"]["now"]), (10, 30))
        self.assertEqual(guards["indicator"]["verdict"], "increase")
        self.assertEqual(promise["promise"]["slug"], self.promise.slug)
        self.assertEqual(sum(promise["promise"]["commitments"].values()), 1)
        # The 2016 report opens with it.
        later = self.make()
        self.assertEqual(later.figures["follow_up"]["measures"], found["measures"])
        self.client.force_login(self.owner)
        page = self.client.get(f"/personal/lagesbilder/{later.pk}/").content.decode()
        self.assertIn("Uppföljning av åtgärdsplanen 2015", page)
        self.assertIn('data-measure="Belysning"', page)
        self.assertContains(self.client.get(f"/personal/lagesbilder/{earlier.pk}/uppfoljning/"), "Väktare")

    def test_a_small_indicator_hides_its_ratio(self):
        from lofte.plans.follow_up import follow_up

        report = self.make(year=2015, title="Lägesbild 2015")
        services.add_measure(self.coordinator, report, title="Rån", problem="Rån", incident_types=["Rån"])
        services.decide(self.coordinator, report, body="KF", on=date(2016, 3, 1), reference_number="1")
        indicator = follow_up(report, today=date(2016, 12, 31))["measures"][0]["indicator"]
        self.assertEqual((indicator["baseline"], indicator["now"], indicator["ratio"]), (0, None, None))


class ReminderTests(ReportTestCase):
    def test_it_reminds_the_owners_once_when_the_decided_report_is_older_than_its_period(self):
        from django.core import mail

        from lofte.plans import reminders

        self.coordinator.email = "samordnare@example.org"
        self.coordinator.save()
        report = self.make(review_months=12)
        services.decide(self.coordinator, report, body="KF", on=date(2017, 3, 15), reference_number="1")
        self.assertEqual(reminders.send_due(today=date(2018, 3, 14)), 0)
        self.assertEqual(reminders.send_due(today=date(2018, 3, 15)), 1)
        self.assertEqual(mail.outbox[0].to, ["samordnare@example.org"])
        self.assertIn("Lägesbild Västra Hisingen 2016", mail.outbox[0].subject)
        self.assertEqual(reminders.send_due(today=date(2018, 6, 1)), 0)  # once per version
        self.assertEqual(reminders.months_later(date(2016, 1, 31), 1), date(2016, 2, 29))


class ApiRefusalTests(ReportTestCase):
    def test_it_answers_404_for_what_is_not_a_municipality_code(self):
        self.assertEqual(self.client.get("/api/v1/municipalities/göteborg/situation-reports/").status_code, 404)
        self.assertEqual(self.client.get("/api/v1/municipalities/9999/situation-reports/").json(), [])


class VoicesAndPlacesTests(ReportTestCase):
    def test_it_counts_published_statements_by_theme_and_the_places_holding_half(self):
        from lofte.dialogues.models import Dialogue, Statement, Theme

        theme, other = (
            Theme.objects.create(area=self.area, name="Torget"),
            Theme.objects.create(area=self.area, name="Skolan"),
        )
        meeting = Dialogue.objects.create(area=self.area, held_on=date(2016, 4, 1), place="Torget", format="meeting")
        older = Dialogue.objects.create(area=self.area, held_on=date(2012, 4, 1), place="Torget", format="meeting")
        for dialogue, status, themes in ((meeting, "published", [theme, other]), (meeting, "published", [theme]),
                                         (meeting, "pending", [theme]), (older, "published", [theme])):  # fmt: skip
            Statement.objects.create(area=self.area, dialogue=dialogue, text="Otryggt", status=status).themes.set(
                themes
            )
        figures = self.make().figures
        dialogues = figures["voices"]["dialogues"]
        # Published statements of 2014-2016 only: the pending one and the one from 2012 are not counted.
        self.assertEqual(dialogues["statements"], 2)
        self.assertEqual([(t["theme"], t["count"]) for t in dialogues["themes"]], [("Torget", 2), ("Skolan", 1)])
        # Every incident of the year lies at Vårväderstorget: it alone holds all of them.
        self.assertEqual(figures["when_where"]["places"], [{"place": "Vårväderstorget", "count": 133, "share": 1.0}])

    def test_it_weighs_the_years_incidents_by_the_harm_index_where_one_is_loaded(self):
        from lofte.incidents.models import HarmWeight

        HarmWeight.objects.create(type="Skadegörelse", weight=3.5, unit="days", source="SCHI", dated=date(2020, 1, 1))
        HarmWeight.objects.create(type="Rån", weight=400, unit="days", source="SCHI", dated=date(2020, 1, 1))
        harm = self.make().figures["mapping"]["harm"]
        # The robberies have no row of their own (a small count): their harm is not published either.
        self.assertEqual(harm["rows"], [{"type": "Skadegörelse", "harm": 90 * 3.5}])
        self.assertEqual((harm["unit"], harm["source"]), ("days", "SCHI"))


class CoverageTests(ReportTestCase):
    def test_a_draft_changes_its_parts_and_partners_and_its_figures_follow(self):
        report = self.make(partners=[])
        self.client.force_login(self.coordinator)
        response = self.client.post(f"/personal/lagesbilder/{report.pk}/omfattning/", {
            "parts": [self.area.code], "comparison_area": "", "partners": [self.police.pk, self.housing.pk],
        })  # fmt: skip
        self.assertEqual(response.status_code, 302)
        report.refresh_from_db()
        self.assertEqual(list(report.partners.order_by("name")), [self.housing, self.police])
        self.assertIsNone(report.figures["mapping"]["comparison"])
        self.assertEqual([p["code"] for p in report.figures["mapping"]["parts"]], [self.area.code])
        # Another organisation cannot be named a partner, nor an area the user may not read a part.
        with self.assertRaises(services.PlanError):
            services.configure(
                self.coordinator, report, parts=[], comparison_area=None, partners=[self.other_police.pk]
            )
        with self.assertRaises(services.PlanError):
            services.configure(self.other_coordinator, report, parts=[], comparison_area=None, partners=[])
