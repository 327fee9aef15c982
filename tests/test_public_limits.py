"""Limits on what the public may post: fixed one-hour windows counted atomically in the database,
votes per address and exercise, and a contact-details filter no spelling slips past (issue 21)."""

import sqlite3
import tempfile
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.test import TransactionTestCase, override_settings

from lofte.core import limits
from lofte.core.models import HourlyCount
from lofte.dialogues.models import OpinionExercise, OpinionStatement, OpinionVote

from .base import BaseTestCase

HOUR = 3600 * 480_000  # some clock hour's start, in seconds since 1970


class WindowTests(BaseTestCase):
    def test_it_counts_a_whole_clock_hour_and_starts_again_at_the_next(self):
        counts = [limits.count_in_hour("k", now=HOUR + s) for s in (0, 299, 301, 1800, 3599)]
        self.assertEqual(counts, [1, 2, 3, 4, 5])  # the cache's count expired 5 minutes after its last
        self.assertEqual(limits.count_in_hour("k", now=HOUR + 3600), 1)
        self.assertEqual(limits.counted_in_hour("k", now=HOUR + 3600), 1)
        self.assertEqual(limits.counted_in_hour("other", now=HOUR), 0)

    def test_it_forgets_hours_that_have_passed(self):
        limits.count_in_hour("a", now=HOUR)
        limits.count_in_hour("b", now=HOUR + 2 * 3600)
        self.assertEqual(list(HourlyCount.objects.values_list("name", flat=True)), ["b"])


class ConcurrentCountTests(TransactionTestCase):
    """Forty posts at once are forty counts: one statement increments and returns."""

    def test_it_counts_forty_concurrent_posts_exactly(self):
        got = self._on_django_connections() if connection.vendor == "postgresql" else self._on_a_sqlite_file()
        self.assertEqual(sorted(got), list(range(1, 41)))

    def _on_django_connections(self):
        got, barrier = [], threading.Barrier(40)

        def post():
            barrier.wait()
            try:
                got.append(limits.count_in_hour("crowd", now=HOUR))
            finally:
                connection.close()

        self._run(post)
        return got

    def _on_a_sqlite_file(self):
        # The test database is in memory, shared between threads through one cache and one lock; a
        # real installation's SQLite is a file, each process and thread with its own connection.
        path = Path(tempfile.mkdtemp()) / "counts.sqlite3"
        with sqlite3.connect(path) as setup:
            setup.execute("PRAGMA journal_mode=WAL")
            setup.execute(
                f"CREATE TABLE {limits.TABLE} (id INTEGER PRIMARY KEY, name TEXT, window_hour INTEGER, total INTEGER,"
                " UNIQUE (name, window_hour))"
            )
        got, barrier = [], threading.Barrier(40)

        def post():
            db = sqlite3.connect(path, timeout=30, isolation_level=None)
            barrier.wait()
            got.append(limits.increment(db.cursor(), "crowd", 1, placeholder="?"))
            db.close()

        self._run(post)
        return got

    @staticmethod
    def _run(post):
        threads = [threading.Thread(target=post) for _ in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


class OpinionVoteLimitTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.exercise = OpinionExercise.objects.create(area=cls.area, title="Torget")
        cls.statements = [OpinionStatement.objects.create(exercise=cls.exercise, text=f"S{k}") for k in range(3)]

    def vote(self, statement, **extra):
        return self.client.post(f"/asikter/{self.exercise.pk}/", {"statement": statement.pk, "vote": 1}, **extra)

    @override_settings(LOFTE_OPINION_VOTERS_PER_HOUR=3)
    def test_it_stops_one_address_that_drops_its_voter_cookie(self):
        for _ in range(3):
            self.client.cookies.clear()
            self.assertEqual(self.vote(self.statements[0]).status_code, 302)
        self.client.cookies.clear()
        refused = self.vote(self.statements[0])
        self.assertEqual(refused.status_code, 429)
        self.client.cookies.clear()
        self.assertEqual(self.vote(self.statements[0], REMOTE_ADDR="10.0.0.9").status_code, 302)
        self.assertEqual(OpinionVote.objects.count(), 4)

    @override_settings(LOFTE_OPINION_VOTES_PER_HOUR=2)
    def test_it_caps_the_votes_of_one_address_on_one_exercise(self):
        self.assertEqual(self.vote(self.statements[0]).status_code, 302)
        self.assertEqual(self.vote(self.statements[1]).status_code, 302)
        self.assertEqual(self.vote(self.statements[2]).status_code, 429)


@pytest.mark.parametrize(
    "text",
    [
        "Se HTTPS://example.se/x",
        "Gå till WWW.EXEMPEL.SE",
        "ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｓｅ",
        "ht\u200btps://example.se",
        "w\u200bww.example.se",
        "Mejla kalle @ example.com",
        "Mejla kalle(at)example.com",
        "Ring ０７０-１２３ ４５ ６７",
        "Läs mer på lofte.se",
    ],
)
def test_it_refuses_every_spelling_of_contact_details(text):
    from lofte.core.problems import InputProblem
    from lofte.dialogues import services

    with pytest.raises(InputProblem) as refused:
        services.submit("10.0.0.1", None, text)
    assert (refused.value.field, refused.value.status) == ("text", 422)


@pytest.mark.parametrize(
    "text",
    ["Torget känns otryggt på kvällarna.", "Mer belysning vid Vårväderstorget kl. 22.00-23.00", "t.ex. i parken"],
)
def test_it_lets_ordinary_statements_through(text):
    from lofte.core.personal_data import CONTACT_DETAILS, comparable

    assert not CONTACT_DETAILS.search(comparable(text))
