"""The demo scenario for the tests that start from it: built once per test process (about 9 s, more on
PostgreSQL), then copied in for each live-server test (whose database is emptied after it) and for
each `DemoTestCase` class (into the class's transaction, rolled back after it), a fraction of a second.

On SQLite the copy is a named in-memory database made with SQLite's backup API and attached to the
test database's connection, so that rows can be copied back inside a transaction too; on PostgreSQL
every table is copied once into a schema of its own and back (the schema survives the flushes between
tests, which empty only the tables Django knows)."""

import os
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
        uri = f"file:{SCHEMA}_{os.getpid()}?mode=memory&cache=shared"
        copy = sqlite3.connect(uri, uri=True, check_same_thread=False)  # lives as long as this handle
        connection.connection.backup(copy)
        _attach(uri)
        return copy, uri
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
        copy[0].backup(connection.connection)
        return
    names = [connection.ops.quote_name(table) for table in copy]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")
        for name in names:
            cursor.execute(f"INSERT INTO {name} SELECT * FROM {SCHEMA}.{name}")
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(statement)


def _attach(uri):
    """Attach the SQLite copy to the test connection (outside a transaction, which ATTACH needs)."""
    with connection.cursor() as cursor:
        names = {row[1] for row in cursor.execute("PRAGMA database_list").fetchall()}
        if SCHEMA not in names:
            cursor.execute(f"ATTACH DATABASE '{uri}' AS {SCHEMA}")


def _copy_rows_in():
    """The copy's rows in place of the database's, inside the caller's transaction."""
    copy = _copy[connection.alias]
    if connection.vendor != "sqlite":
        _restore(copy)  # TRUNCATE and INSERT … SELECT are transactional on PostgreSQL
        return
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'DELETE FROM main."{table}"')
        for table in tables:
            cursor.execute(f'INSERT INTO main."{table}" SELECT * FROM {SCHEMA}."{table}"')


def prepare_copy():
    """Outside any transaction (a test class's setUpClass): this process's copy of the demo, made if
    there is none; the database is left empty as a flush leaves it."""
    if connection.in_atomic_block:
        return
    if connection.alias in _copy:
        if connection.vendor == "sqlite":
            _attach(_copy[connection.alias][1])  # the connection may be new
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
