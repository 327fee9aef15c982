"""The demo scenario for the tests that start from it: built once per test process (about 9 s, more on
PostgreSQL), then copied in for each live-server test (whose database is emptied after it) and for
each `DemoTestCase` class (into the class's transaction, rolled back after it), a fraction of a second.

On SQLite the copy is an in-memory database made with SQLite's backup API, copied back with it into an
emptied database and row by row into a transaction; on PostgreSQL every table is copied once into a
schema of its own and back (the schema survives the flushes between tests, which empty only the
tables Django knows)."""

import sqlite3

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import TestCase

from lofte.demo import scenario
from lofte.promises.models import Promise

SCHEMA = "lofte_demo_copy"
_copy: dict = {}  # this process's copy of the demo's database


def load_demo():
    """The demo scenario in the (empty) test database: built the first time, copied in after that."""
    if Promise.objects.filter(slug=scenario.SLUG).exists():
        return
    if connection.alias not in _copy:
        scenario.build()
        _copy[connection.alias] = _take()
        return
    _restore(_copy[connection.alias])
    ContentType.objects.clear_cache()  # ids as in the copy, not as the flush's post-migrate made them


def _take():
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        return copy
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SCHEMA}")
        for table in tables:
            name = connection.ops.quote_name(table)
            cursor.execute(f"CREATE TABLE {SCHEMA}.{name} AS TABLE {name}")
    return tables


def _restore(copy):
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy.backup(connection.connection)
        return
    names = [connection.ops.quote_name(table) for table in copy]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")
        for name in names:
            cursor.execute(f"INSERT INTO {name} SELECT * FROM {SCHEMA}.{name}")
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(statement)


def _copy_rows_in():
    """The copy's rows in place of the database's, inside the caller's transaction."""
    copy = _copy[connection.alias]
    if connection.vendor != "sqlite":
        _restore(copy)  # TRUNCATE and INSERT … SELECT are transactional on PostgreSQL
        return
    # SQLite's backup cannot write into a database inside a transaction, and ATTACH cannot happen in
    # one: the rows go over in Python (the demo is about 24 000 rows, a fraction of a second).
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'DELETE FROM "{table}"')
        for table in tables:
            rows = copy.execute(f'SELECT * FROM "{table}"').fetchall()
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                cursor.connection.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)


def prepare_copy():
    """Outside any transaction (a test class's setUpClass): this process's copy of the demo, made if
    there is none; the database is left empty as a flush leaves it."""
    if connection.in_atomic_block:
        return
    if connection.alias in _copy:
        return
    scenario.build()
    _copy[connection.alias] = _take()
    call_command("flush", verbosity=0, interactive=False, database=connection.alias)


class DemoTestCase(TestCase):
    """A TestCase whose classes start from the demo, as `lofte demo` builds it: copied into the class's
    transaction (`cls.promise` is the demo's promise) instead of built again for each class."""

    @classmethod
    def setUpClass(cls):
        prepare_copy()
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        if connection.alias in _copy:
            _copy_rows_in()
            ContentType.objects.clear_cache()  # ids as in the copy
            cls.promise = Promise.objects.get(slug=scenario.SLUG)
        else:  # no copy could be made (the class began inside a transaction): build it here
            cls.promise = scenario.build()
