"""The public promise page and the promise API are computed once per change of their data: a new
patrol, seizure, commitment or update shows at once, and visitors without a session share one page."""

import re
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

from django.core.cache import cache

from lofte.activities import services
from lofte.promises import follow_up

from .base import BaseTestCase

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def visits(page):
    return int(re.search(r'data-figure="visits">(\d+)<', page.content.decode()).group(1))


class PublicCacheTests(BaseTestCase):
    def setUp(self):
        cache.clear()
        self.url = f"/en/loften/{self.promise.slug}/"

    def patrol(self, day):
        start = datetime(2016, 5, day, 20, tzinfo=STOCKHOLM)
        services.log_patrol(self.officer, place=self.place.pk, start=start, end=start.replace(minute=20))

    def test_it_shows_a_new_patrol_at_once(self):
        self.patrol(1)
        self.assertEqual(visits(self.client.get(self.url)), 1)
        self.patrol(2)
        self.assertEqual(visits(self.client.get(self.url)), 2)
        api = self.client.get(f"/api/v1/promises/{self.promise.slug}").json()
        self.assertEqual(api["outputs"]["visits"], 2)

    def test_it_reads_the_records_once_for_many_visitors(self):
        first = self.client.get(self.url).content
        with mock.patch.object(follow_up, "records_for", side_effect=AssertionError("computed again")):
            self.assertEqual(self.client.get(self.url).content, first)
            self.client.get(f"/api/v1/promises/{self.promise.slug}")  # the API shares the numbers

    def test_it_keeps_no_page_for_people_with_a_session(self):
        self.client.force_login(self.owner)
        page = self.client.get(self.url)
        self.assertContains(page, "csrfmiddlewaretoken")  # the logout form: personal, never kept
        self.client.logout()
        anonymous = self.client.get(self.url)
        self.assertNotContains(anonymous, "csrfmiddlewaretoken")

    def test_a_new_update_or_commitment_shows_at_once(self):
        self.client.get(self.url)
        self.patrol_commitment.text_en = "Patrol the squares three times a day"
        self.patrol_commitment.save()
        self.assertContains(self.client.get(self.url), "three times a day")

    def test_it_keeps_one_page_whatever_the_query_string(self):
        kept = []
        original = cache.set

        def counting(key, *args, **kwargs):
            if key.startswith("promise-page:"):
                kept.append(key)
            return original(key, *args, **kwargs)

        with mock.patch.object(cache, "set", side_effect=counting):
            for n in range(5):
                self.assertEqual(self.client.get(f"{self.url}?x={n}").status_code, 200)
            self.client.get(self.url)
        self.assertEqual(len(kept), 1)  # the query strings were answered, not kept
        self.assertNotIn("x=0", self.client.get(self.url).content.decode())  # nobody's query string is served
