"""The PostgreSQL leg of `make test` runs only the tests that touch a database.

A test that opens no database connection gives the same answer on either database, and pytest-django
refuses database access to every test that has not asked for it (a Django TestCase or
TransactionTestCase, the `db` fixtures, the `django_db` marker), so a test without any of those is
database-free by construction. With LOFTE_ONLY_DATABASE_TESTS set (the Makefile's PostgreSQL leg),
only the others are collected, and the tests marked `database`: they reach the database the suite runs
against by another way (a child process, as `lofte backup` is tested).
"""

import os

from django.test import TransactionTestCase

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                     "live_server"}  # fmt: skip


def touches_database(item) -> bool:
    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):  # Django's TestCase is one too
        return True
    if item.get_closest_marker("django_db") or item.get_closest_marker("database"):
        return True
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "database: reaches the suite's database outside Django's test database (e.g. in a child process)"
    )
    config.addinivalue_line(
        "markers", "slow: drives a browser, child processes or large inputs; `make test-fast` leaves it out"
    )
    config.addinivalue_line(
        "markers", "sqlite_only: gives the same answer on every database; the PostgreSQL leg leaves it out"
    )


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("LOFTE_ONLY_DATABASE_TESTS"):
        return
    kept = [item for item in items if touches_database(item) and not item.get_closest_marker("sqlite_only")]
    dropped = [item for item in items if item not in kept]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
