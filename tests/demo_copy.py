"""The demo scenario for the live-server tests, whose database is emptied after each test: built once
per test process (about 9 s, more on PostgreSQL), then copied back in for each test (a fraction of a
second). On SQLite the copy is SQLite's backup API between in-memory databases; on PostgreSQL every
table is copied once into a schema of its own and back (the schema survives the flushes between tests,
which empty only the tables Django knows)."""

import sqlite3

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction

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
