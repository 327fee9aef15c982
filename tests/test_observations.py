"""Partners' observations (EST, issue 25): reporters report in their organisation's areas and see their
own reports only; the area's organisations share the picture; bad input is named; a report sent again
after a lost connection is stored once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lofte.accounts.models import ApiToken, Organisation, Role
from lofte.core.personal_data import personal_data
from lofte.observations.categories import seed
from lofte.observations.models import Category, Observation

from .base import BaseTestCase, member


class ObservationTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        seed(Category)  # a flush by a transactional test elsewhere in the run empties the migration's rows
        cls.housing = Organisation.objects.create(name="Bostadsbolaget", kind="housing")
        cls.housing.areas.add(cls.area)
        cls.reporter = member("rapportor", cls.housing, Role.REPORTER)
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
