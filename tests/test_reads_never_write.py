"""Reads never write (DESIGN.md section 4): every public page and public API endpoint leaves the
database as it was, even with a patrol visit left open past the longest allowed visit; survey results
are computed once and served from the cache until their inputs change. "Every" is every GET row of
the permission matrix (tests/test_permission_matrix.py, which has a row for each route and operation)
that a visitor without a login may open."""

import re
from datetime import timedelta
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lofte.activities.models import Patrol
from lofte.activities.services import close_stale_visits
from lofte.places.models import Place
from lofte.promises.progress import promise_outputs
from lofte.surveys import results
from lofte.surveys.models import Survey

from .demo_copy import DemoTestCase

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE)


def public_urls(promise, survey):
    for prefix in ("", "/en"):
        yield f"{prefix}/"
        yield f"{prefix}/loften/{promise.slug}/"
        yield f"{prefix}/enkater/{survey.slug}/resultat/"
        yield f"{prefix}/enkat/"
        yield f"{prefix}/login/"
    yield "/api/v1/promises/"
    yield f"/api/v1/promises/{promise.slug}"
    yield f"/api/v1/surveys/{survey.slug}/results"
    yield "/api/v1/openapi.json"


class ReadsNeverWriteTests(DemoTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()  # the demo, copied in (cls.promise)
        cls.survey = Survey.objects.get(published=True)
        place = Place.objects.filter(area=cls.promise.area).first()
        started = timezone.now() - timedelta(hours=5)
        cls.stale = Patrol.objects.create(
            place=place, organisation=cls.promise.parties.first(), start=started, end=None, source=Patrol.Source.MANUAL
        )

    def test_public_pages_and_api_write_nothing(self):
        for url in public_urls(self.promise, self.survey):
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            writes = [q["sql"] for q in queries if WRITES.match(q["sql"])]
            self.assertEqual(writes, [], url)
        self.assertIsNone(Patrol.objects.get(pk=self.stale.pk).end)

    def test_every_page_and_operation_a_visitor_may_open_writes_nothing(self):
        from lofte.accounts.models import Organisation
        from lofte.dialogues.models import OpinionExercise
        from lofte.plans.models import SituationReport

        from .test_permission_matrix import API, OPEN, PAGES

        objects = {
            "promises": [self.promise],
            "commitments": list(self.promise.commitments.all()),
            "areas": [self.promise.area],
            "surveys": [self.survey],
            "opinions": list(OpinionExercise.objects.all()),
            "organisations": list(Organisation.objects.filter(pk=self.promise.parties.first().pk)),
            "published": list(SituationReport.objects.filter(status="published")),
            "any": [None],
        }
        from lofte.surveys.models import Wave

        Organisation.objects.filter(pk=self.promise.parties.first().pk).update(
            logo=b"\x89PNG logo", logo_changed_at=timezone.now()
        )
        self.survey.wave = Wave.objects.filter(survey=self.survey).order_by("opens_on").first().pk
        rows = {name: row for name, row in {**PAGES, **API}.items() if row[0] == "GET"}
        opened = set()
        for name, (_, url, _, kind) in rows.items():
            for obj in objects.get(kind, []) if kind else [None]:
                address = url.format(o=obj).replace("/bisk/", f"/{self.promise.area.code}/")  # the matrix's area
                with CaptureQueriesContext(connection) as queries:
                    response = self.client.get(address)
                    if response.streaming:
                        b"".join(response.streaming_content)
                if response.status_code == 200:
                    opened.add(name)
                    writes = [q["sql"] for q in queries if WRITES.match(q["sql"])]
                    self.assertEqual(writes, [], address)
        # Not vacuous: every page marked open to anyone was opened and checked, and the public promise's.
        must = {name for name, row in rows.items() if row[2] == OPEN} | {
            "promise",
            "promise-report",
            "promise-open-data",
        }
        self.assertLessEqual(must, opened, must - opened)

    def test_a_visit_left_open_counts_as_ended_at_the_limit_before_and_after_it_is_closed(self):
        before = promise_outputs(self.promise, today=self.promise.period_end)
        self.stale.start = timezone.make_aware(timezone.datetime(2016, 6, 1, 20))
        self.stale.save()
        derived = promise_outputs(self.promise, today=self.promise.period_end)
        self.assertEqual(derived.visits, before.visits + 1)
        self.assertEqual(close_stale_visits(), 1)
        stored = promise_outputs(self.promise, today=self.promise.period_end)
        self.assertEqual((stored.visits, stored.patrol_hours), (derived.visits, derived.patrol_hours))

    def test_survey_results_are_weighted_once_until_a_response_changes(self):
        cache.clear()  # the other tests of this class read the same waves
        with mock.patch.object(results, "_design", wraps=results._design) as weighting:
            first = self.client.get(f"/en/enkater/{self.survey.slug}/resultat/").content
            self.assertEqual(weighting.call_count, 2)  # the baseline and the follow-up
            self.assertEqual(self.client.get(f"/en/enkater/{self.survey.slug}/resultat/").content, first)
            self.assertEqual(weighting.call_count, 2)
            results.waves_to_compare(self.survey)[1].responses_changed()
            self.client.get(f"/en/enkater/{self.survey.slug}/resultat/")
            self.assertEqual(weighting.call_count, 3)
