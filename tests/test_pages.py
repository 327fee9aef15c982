"""Public promise page in Swedish and English, the dashboard, login and logout."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.test import Client

from lofte.activities.models import Patrol
from lofte.promises.models import Update

from .base import BaseTestCase

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def text(response):
    return response.content.decode().replace("\xa0", " ")


class PromisePageTests(BaseTestCase):
    def setUp(self):
        self.client = Client()

    def test_it_shows_a_published_promise_in_swedish_by_default(self):
        response = self.client.get("/loften/published-promise/")
        self.assertEqual(response.status_code, 200)
        body = text(response)
        self.assertIn('lang="sv"', body)
        self.assertIn("Löfte published-promise", body)
        self.assertIn("Otrygghet på torgen", body)
        self.assertIn("Patrullera torgen minst 2,5 gånger per dag", body)
        self.assertIn("Det här lovade vi", body)
        self.assertIn("LPO Hisingen", body)

    def test_it_shows_the_english_texts_under_en(self):
        body = text(self.client.get("/en/loften/published-promise/"))
        self.assertIn('lang="en"', body)
        self.assertIn("Promise published-promise", body)
        self.assertIn("Patrol the squares at least 2.5 times a day", body)
        self.assertIn("What we promised", body)

    def test_it_formats_numbers_for_each_language(self):
        start = datetime(2016, 3, 1, 19, tzinfo=STOCKHOLM)
        Patrol.objects.bulk_create(
            [
                Patrol(
                    place=self.place,
                    organisation=self.police,
                    start=start + timedelta(hours=8 * i),
                    end=start + timedelta(hours=8 * i, minutes=12),
                )
                for i in range(1016)
            ]
        )
        sv = text(self.client.get("/loften/published-promise/"))
        self.assertIn('data-figure="visits">1 016<', sv)
        en = text(self.client.get("/en/loften/published-promise/"))
        self.assertIn('data-figure="visits">1,016<', en)

    def test_it_shows_less_than_a_kilogram_of_narcotics_in_grams_and_its_value_in_kronor(self):
        """A 45.5 g seizure read "kg narkotika i beslag 0,0 ... 0,0-0,0 miljoner kronor" (issue 24)."""
        from lofte.activities.models import Seizure, StreetPrice

        Seizure.objects.create(organisation=self.police, date=date(2016, 5, 2), area=self.area, place=self.place,
                               category="narcotics", kind="cannabis", quantity="45.5", unit="g")  # fmt: skip
        StreetPrice.objects.create(substance="cannabis", unit="g", low=100, high=150, valid_from=date(2016, 1, 1),
                                   source="test")  # fmt: skip
        sv = text(self.client.get("/loften/published-promise/"))
        self.assertIn('gram narkotika i beslag</dt><dd data-figure="narcotics-grams">45,5<', sv)
        self.assertIn("gatuvärde omkring 4 600–6 800 kronor", sv.replace("\xa0", " "))
        self.assertNotIn("kg narkotika", sv)
        self.assertNotIn("0,0–0,0", sv)
        en = text(self.client.get("/en/loften/published-promise/"))
        self.assertIn('data-figure="narcotics-grams">45.5<', en)
        self.assertIn("street value about 4,600–6,800 SEK (estimate)", en)

    def test_a_running_promise_counts_commitments_on_track_not_kept(self):
        """A one-month-old promise read "0 of 3 measurable commitments kept" while two were on track."""
        from django.utils import timezone

        from lofte.promises.models import Commitment, Promise

        today = timezone.localdate()
        Promise.objects.filter(pk=self.promise.pk).update(
            period_start=today - timedelta(days=30), period_end=today + timedelta(days=334)
        )
        start = datetime.combine(today - timedelta(days=30), datetime.min.time(), tzinfo=STOCKHOLM)
        visits = [(start + timedelta(hours=8 * i), start + timedelta(hours=8 * i, minutes=12)) for i in range(85)]
        patrols = [Patrol(place=self.place, organisation=self.police, start=a, end=b) for a, b in visits]
        Patrol.objects.bulk_create(patrols)
        Commitment.objects.create(promise=self.promise, position=2, text="Möte", kind="milestone",
                                  due_date=today - timedelta(days=5), done_date=today - timedelta(days=6))  # fmt: skip
        for url in ("/en/omraden/bisk/", "/en/loften/published-promise/rapport/"):
            page = self.client.get(url)
            self.assertContains(page, "1 of 1 measurable commitments under way are on track.")
            self.assertContains(page, "Of those due so far, 1 of 1 were kept.")
            self.assertNotContains(page, "measurable commitments kept")

    def test_it_hides_drafts_from_the_public_and_outsiders(self):
        self.assertEqual(self.client.get("/loften/draft-promise/").status_code, 404)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get("/loften/draft-promise/").status_code, 404)
        self.assertNotIn("draft-promise", text(self.client.get("/")))

    def test_it_shows_drafts_to_members_of_a_party_marked_as_drafts(self):
        self.client.force_login(self.coordinator)
        body = text(self.client.get("/loften/draft-promise/"))
        self.assertIn("utkast – inte publikt", body)

    def test_it_shows_updates_only_from_their_publication_date(self):
        Update.objects.create(
            commitment=self.patrol_commitment, published_on=datetime(2016, 5, 1).date(), text="Fler besök på kvällarna"
        )
        Update.objects.create(
            commitment=self.patrol_commitment, published_on=datetime(2999, 1, 1).date(), text="Hemlig framtida text"
        )
        body = text(self.client.get("/loften/published-promise/"))
        self.assertIn("Fler besök på kvällarna", body)
        self.assertNotIn("Hemlig framtida text", body)

    def test_it_says_outputs_are_not_outcomes(self):
        body = text(self.client.get("/en/loften/published-promise/"))
        self.assertIn("no change in safety can be claimed", body)

    def test_it_lists_public_promises(self):
        body = text(self.client.get("/"))
        self.assertIn("Löfte published-promise", body)
        self.assertNotIn("Löfte draft-promise", body)

    def test_it_offers_the_page_in_the_other_language(self):
        body = text(self.client.get("/loften/published-promise/"))
        self.assertIn('href="/en/loften/published-promise/"', body)


class DashboardTests(BaseTestCase):
    def test_it_requires_login(self):
        response = self.client.get("/personal/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])

    def test_it_lists_the_users_promises_with_status_counts(self):
        self.client.force_login(self.owner)
        body = text(self.client.get("/en/personal/"))
        self.assertIn("Promise published-promise", body)
        self.assertIn("Promise draft-promise", body)
        self.assertIn("not kept", body)

    def test_it_lists_nothing_for_an_outsider(self):
        self.client.force_login(self.outsider)
        body = text(self.client.get("/en/personal/"))
        self.assertNotIn("published-promise", body)
        self.assertIn("not a party to any promise", body)

    def test_it_logs_in_and_out(self):
        client = Client(enforce_csrf_checks=True)
        page = client.get("/en/login/")
        token = page.cookies["csrftoken"].value
        response = client.post(
            "/en/login/", {"username": "owner", "password": "password", "csrfmiddlewaretoken": token}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(client.get("/en/personal/").status_code, 200)
        token = client.cookies["csrftoken"].value
        client.post("/en/logout/", {"csrfmiddlewaretoken": token})
        self.assertEqual(client.get("/en/personal/").status_code, 302)

    def test_it_refuses_a_wrong_password(self):
        response = self.client.post("/en/login/", {"username": "owner", "password": "nope"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Wrong username or password", text(response))
