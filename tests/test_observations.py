"""Partners' observations (EST, issue 25): reporters report in their organisation's areas and see their
own reports only; the area's organisations share the picture; bad input is named; a report sent again
after a lost connection is stored once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lofte.accounts.models import ApiToken, Role
from lofte.core.personal_data import personal_data
from lofte.observations.models import Category, Observation

from .base import PartnersTestCase, member


class ObservationTests(PartnersTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other_reporter = member("rapportor-2", cls.housing, Role.REPORTER)
        cls.foreign_reporter = member("rapportor-hjallbo", cls.other_police, Role.REPORTER)

    def api(self, user, method, url, data=None, **headers):
        token = "Bearer " + ApiToken.issue(user, "t")[1]
        call = getattr(self.client, method)
        return call(url, data, content_type="application/json", HTTP_AUTHORIZATION=token, **headers)

    def test_a_reporter_reports_on_the_phone_page_and_sees_only_their_own_reports(self):
        self.client.force_login(self.reporter)
        page = self.client.get("/rapportera/")
        self.assertContains(page, "Vårväderstorget (Biskopsgården)")
        self.assertContains(page, '<optgroup label="Skadegörelse">')
        self.assertContains(page, "inga namn, personnummer eller telefonnummer")
        yesterday = timezone.localdate() - timedelta(days=1)
        sent = self.client.post("/rapportera/", {
            "organisation": self.housing.pk, "category": "graffiti", "occurred_on": yesterday.isoformat(),
            "part_of_day": "evening", "place": self.place.pk, "count": "3", "description": "Tre nya taggar på muren",
        }, follow=True)  # fmt: skip
        self.assertContains(sent, "Rapporterat: Skadegörelse: Klotter")
        (stored,) = Observation.objects.all()
        self.assertEqual((stored.organisation, stored.area, stored.place, stored.count, stored.created_by),
                         (self.housing, self.area, self.place, 3, self.reporter))  # fmt: skip
        self.assertEqual((stored.lon, stored.lat), (self.place.lon, self.place.lat))
        self.assertContains(sent, "Dina senaste rapporter")
        # The reporter's colleague sees none of it; the area's other organisations see all of it.
        self.assertEqual(self.api(self.other_reporter, "get", "/api/v1/observations/").json(), [])
        (seen,) = self.api(self.owner, "get", "/api/v1/observations/?area=bisk").json()
        self.assertEqual((seen["category"], seen["organisation"], seen["count"]), ("graffiti", "Bostadsbolaget", 3))
        self.assertEqual(self.api(self.outsider, "get", "/api/v1/observations/").json(), [])
        self.assertEqual(len(self.api(self.reporter, "get", "/api/v1/observations/").json()), 1)
        # Nothing else opens to a reporter.
        for url in ("/lagesbild/bisk/", "/enkater/", "/personal/import/", "/patrull/"):
            self.assertIn(self.client.get(url).status_code, (403, 404), url)

    def test_a_report_sent_three_times_with_one_key_is_stored_once(self):
        body = {"category": "gathering", "occurred_on": timezone.localdate().isoformat(), "lon": 11.885,
                "lat": 57.725, "count": 12, "description": "Ungdomar samlade vid entrén"}  # fmt: skip
        answers = [self.api(self.reporter, "post", "/api/v1/observations/", body, HTTP_IDEMPOTENCY_KEY="k-1")
                   for _ in range(3)]  # fmt: skip
        self.assertEqual([a.status_code for a in answers], [201, 201, 201])
        self.assertEqual({a.json()["id"] for a in answers}, {Observation.objects.get().pk})
        self.assertEqual(Observation.objects.get().area, self.area)  # the point found its area
        again = self.api(self.reporter, "post", "/api/v1/observations/", body | {"count": 13},
                         HTTP_IDEMPOTENCY_KEY="k-1")  # fmt: skip
        self.assertEqual(again.status_code, 422)
        self.assertEqual(Observation.objects.count(), 1)

    def test_bad_reports_are_refused_naming_the_field(self):
        today = timezone.localdate()
        good = {"category": "fight", "occurred_on": today.isoformat(), "place": self.place.pk}
        for change, field in [
            ({"category": "nonsense"}, "category"),
            ({"occurred_on": (today + timedelta(days=1)).isoformat()}, "occurred_on"),
            ({"occurred_on": "1999-12-31"}, "occurred_on"),
            ({"place": self.other_place.pk}, "place"),
            ({"place": None, "lon": 12.5, "lat": 57.0}, "lon"),
            ({"place": None}, "place"),
            ({"count": 0}, "count"),
            ({"description": "Det var Kalle, ring 070-123 45 67"}, "description"),
            ({"description": "Han heter 19121212-1212"}, "description"),
            ({"organisation": self.police.pk}, "organisation"),
        ]:
            answer = self.api(self.reporter, "post", "/api/v1/observations/", good | change)
            self.assertIn(answer.status_code, (400, 403, 422), (change, answer.content))
            self.assertEqual(answer.json()["errors"][0]["field"], field, (change, answer.content))
        self.assertFalse(Observation.objects.exists())
        self.assertEqual(self.api(self.foreign_reporter, "post", "/api/v1/observations/", good).status_code, 422)
        self.assertEqual(self.api(self.reporter, "post", "/api/v1/observations/", good).status_code, 201)

    def test_a_time_gives_the_day_and_the_part_of_the_day(self):
        at = (timezone.localtime() - timedelta(days=2)).replace(hour=22, minute=15, second=0, microsecond=0)
        body = {"category": "illegal_driving", "occurred_at": at.isoformat(), "place": self.place.pk}
        made = self.api(self.reporter, "post", "/api/v1/observations/", body).json()
        self.assertEqual((made["occurred_on"], made["part_of_day"]), (at.date().isoformat(), "evening"))

    def test_the_categories_are_est_s_in_swedish_and_english(self):
        rows = {row["code"]: row for row in self.client.get("/api/v1/observation-categories/").json()}
        self.assertEqual(rows["graffiti"], {"code": "graffiti", "name": "Klotter", "name_en": "Graffiti",
                                            "parent": "vandalism"})  # fmt: skip
        self.assertEqual({code for code, row in rows.items() if row["parent"] is None},
                         {"vandalism", "gathering", "disorder", "unsafe_place", "event"})  # fmt: skip
        Category.objects.filter(code="fire").update(active=False)
        self.assertNotIn("fire", {row["code"] for row in self.client.get("/api/v1/observation-categories/").json()})


@pytest.mark.parametrize(
    "text, found",
    [
        ("Klotter på Vårväderstorget 12, port 4", []),
        ("20 ungdomar kl 21-23 den 2016-05-03", []),
        ("Personnummer 19121212-1212", ["a personal identity number"]),
        ("811218-9876 var där", ["a personal identity number"]),
        ("811218-9875 är inget personnummer", []),
        ("Ring 070-123 45 67", ["a phone number"]),
        ("+46 31 123456", ["a phone number"]),
        ("mejla a.b@example.se", ["an e-mail address"]),
    ],
)
def test_it_finds_personal_data_that_has_a_shape(text, found):
    from django.utils import translation

    with translation.override("en"):
        assert personal_data(text) == found


MAPPING = {
    "source": "embrace",
    "columns": {"id": "Id", "date": "Datum", "category": "Kategori", "x": "X", "y": "Y", "crs": "EPSG:3006",
                "place": "Plats", "count": "Antal", "description": "Beskrivning"},
    "categories": {"Klotter": "graffiti", "Samling": "gathering", "Belysning": "poor_lighting"},
}  # fmt: skip


class ImportTests(PartnersTestCase):
    """`lofte import-observations`: years of reports from another system, each row checked as a report
    from the phone page is, bad lines named, idempotent and atomic."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()

    def write(self, rows, tmp):
        from pathlib import Path

        path = Path(tmp) / "rapporter.csv"
        lines = ["Id;Datum;Kategori;X;Y;Plats;Antal;Beskrivning", *rows]
        path.write_text("\ufeff" + "\r\n".join(lines) + "\r\n", encoding="utf-8")
        return path

    def test_it_imports_good_rows_names_bad_ones_and_changes_nothing_the_second_time(self):
        import tempfile

        from pyproj import Transformer

        from lofte.observations import imports

        x, y = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True).transform(11.885, 57.725)
        inside = f"{x:.1f};{y:.1f}".replace(".", ",")
        future = (timezone.localdate() + timedelta(days=3)).isoformat()
        rows = [
            f"E1;2016-05-02;Klotter;{inside};;3;Taggar på muren",
            "E2;2016-05-03;Samling;;;Vårväderstorget;12;Ungdomar vid entrén",
            f"E3;2016-05-04;Okänd sak;{inside};;1;",
            f"E4;{future};Klotter;{inside};;1;",
            "E5;2016-05-05;Belysning;300000;6300000;;1;",
            "E6;2016-05-06;Belysning;;;Ingenstans;1;",
            f"E7;2016-05-07;Klotter;{inside};;många;",
            f"E8;2016-05-08;Klotter;{inside};;1;Ring 070-123 45 67",
        ]
        with tempfile.TemporaryDirectory() as tmp:
            path = self.write(rows, tmp)
            first = imports.run(path, mapping=MAPPING, organisation=self.housing)
            self.assertEqual((first.imported, first.unchanged, first.updated), (2, 0, 0))
            self.assertEqual(
                [(r.position, r.field) for r in first.rejects],
                [(4, "Kategori"), (5, "Datum"), (6, "X"), (7, "Plats"), (8, "Antal"), (9, "Beskrivning")],
            )
            graffiti = Observation.objects.get(source_id="E1")
            self.assertEqual((graffiti.category.code, graffiti.area, graffiti.count, graffiti.source),
                             ("graffiti", self.area, 3, "embrace"))  # fmt: skip
            self.assertAlmostEqual(graffiti.lon, 11.885, places=5)
            self.assertEqual(Observation.objects.get(source_id="E2").place, self.place)
            again = imports.run(path, mapping=MAPPING, organisation=self.housing)
            self.assertEqual((again.imported, again.unchanged, again.updated), (0, 2, 0))
            corrected = self.write([rows[0].replace(";3;", ";4;"), rows[1]], tmp)
            fixed = imports.run(corrected, mapping=MAPPING, organisation=self.housing)
            self.assertEqual((fixed.imported, fixed.unchanged, fixed.updated), (0, 1, 1))
            self.assertEqual(Observation.objects.get(source_id="E1").count, 4)

    def test_a_crash_halfway_leaves_the_database_as_it_was(self):
        import tempfile
        from unittest import mock

        from lofte.observations import imports

        rows = [f"F{n};2016-05-0{n};Samling;;;Vårväderstorget;2;" for n in range(1, 5)]
        real_store = imports._store
        calls = []

        def crash_on_the_third(*args):
            calls.append(1)
            if len(calls) == 3:
                raise RuntimeError("the server went down")
            real_store(*args)

        with (
            tempfile.TemporaryDirectory() as tmp,
            mock.patch.object(imports, "_store", crash_on_the_third),
            self.assertRaises(RuntimeError),
        ):
            imports.run(self.write(rows, tmp), mapping=MAPPING, organisation=self.housing)
        self.assertFalse(Observation.objects.exists())

    def test_the_command_names_the_organisation_and_writes_the_rejects(self):
        import tempfile
        from io import StringIO
        from pathlib import Path

        from django.core.management import CommandError, call_command

        with tempfile.TemporaryDirectory() as tmp:
            path = self.write(["G1;2016-05-02;Samling;;;Vårväderstorget;5;", "G2;inte en dag;Samling;;;;1;"], tmp)
            (Path(tmp) / "map.toml").write_text(
                '[columns]\nid = "Id"\ndate = "Datum"\ncategory = "Kategori"\nplace = "Plats"\ncount = "Antal"\n'
                '[categories]\nSamling = "gathering"\n', encoding="utf-8"
            )  # fmt: skip
            out = StringIO()
            call_command("import-observations", str(path), mapping=str(Path(tmp) / "map.toml"),
                         organisation="Bostadsbolaget", stdout=out)  # fmt: skip
            self.assertIn("imported 1, unchanged 0, updated 0, rejected 1", out.getvalue())
            written = (Path(tmp) / "rapporter.csv.rejects.csv").read_text(encoding="utf-8")
            self.assertIn("rapporter,line,3,Datum,not a day", written)
            with self.assertRaisesMessage(CommandError, "no such organisation"):
                call_command("import-observations", str(path), mapping=str(Path(tmp) / "map.toml"),
                             organisation="Ingen")  # fmt: skip
