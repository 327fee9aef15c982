"""Bulk writing of incident rows: the one module with SQL for each database.

Rows are loaded into a temporary staging table without indexes (SQLite: executemany
on the raw connection; PostgreSQL: COPY), then merged into the incident table by
(source, source_id) in a few set-based statements. The caller wraps a run in one
transaction, so a file is imported completely or not at all.
"""

from datetime import timezone

from django.db import connection

from .models import Incident

TABLE = Incident._meta.db_table
COLUMNS = ("source", "source_id", "occurred_from", "occurred_to", "published_at", "type", "nature",
           "lon", "lat", "x", "y", "accuracy", "place_text", "url", "area_id", "place_id",
           "content_hash", "raw", "import_run_id")
STAGE = "lofte_incident_stage"


def postgres():
    return connection.vendor == "postgresql"


def db_time(value):
    """A datetime as a bulk load wants it."""
    if value is None or postgres():
        return value
    # Django's SQLite backend stores UTC without an offset: "YYYY-MM-DD HH:MM:SS[.ffffff]".
    return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ")


def create_stage():
    with connection.cursor() as cursor:
        if not postgres():
            # A large page cache keeps the incident table's indexes in memory while merging.
            cursor.execute("PRAGMA cache_size = -262144")
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} AS SELECT {', '.join(COLUMNS)}, 0 AS position "
                       f"FROM {TABLE} WHERE 1 = 0")


def raw_connection():
    """The DB-API connection of this thread's transaction, to hand to a worker thread."""
    connection.ensure_connection()
    return connection.connection


def load_stage(rows, raw):
    """Append rows (COLUMNS order, then the record's position in the file) to the staging table.

    `raw` is `raw_connection()` of the importing thread: a worker thread may load one
    batch while that thread parses the next, as long as only one of them uses it at a time.
    """
    names = ", ".join(COLUMNS) + ", position"
    if postgres():
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY {STAGE} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        marks = ", ".join("?" * (len(COLUMNS) + 1))
        raw.executemany(f"INSERT INTO {STAGE} ({names}) VALUES ({marks})", rows)


def merge(*, source, repeats):
    """Merge the staging table into the incident table; return (imported, unchanged, updated).

    With `repeats`, a source id staged more than once keeps only its last copy.
    """
    key = "i.source = s.source AND i.source_id = s.source_id"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {TABLE} WHERE source = %s)", [source])
        known_source = cursor.fetchone()[0]
        if repeats:
            cursor.execute(f"CREATE INDEX {STAGE}_key ON {STAGE} (source, source_id, position)")
            cursor.execute(f"DELETE FROM {STAGE} WHERE EXISTS (SELECT 1 FROM {STAGE} later "
                           f"WHERE later.source = {STAGE}.source AND later.source_id = {STAGE}.source_id "
                           f"AND later.position > {STAGE}.position)")
        if not known_source:  # a first import of this source: nothing to compare with
            cursor.execute(f"SELECT COUNT(*), 0, 0 FROM {STAGE}")
        else:
            cursor.execute(
                f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN i.content_hash = s.content_hash THEN 1 ELSE 0 END), 0), "
                f"COALESCE(SUM(CASE WHEN i.content_hash <> s.content_hash THEN 1 ELSE 0 END), 0) "
                f"FROM {STAGE} s LEFT JOIN {TABLE} i ON {key}"
            )
        total, unchanged, updated = cursor.fetchone()
        if updated:
            changes = ", ".join(f"{c} = s.{c}" for c in COLUMNS if c not in ("source", "source_id"))
            target = "i" if postgres() else TABLE  # SQLite's UPDATE cannot alias its table
            cursor.execute(f"UPDATE {TABLE}{' i' if postgres() else ''} SET {changes} FROM {STAGE} s "
                           f"WHERE {target}.source = s.source AND {target}.source_id = s.source_id "
                           f"AND {target}.content_hash <> s.content_hash")
        imported = total - unchanged - updated
        if imported:
            names = ", ".join(COLUMNS)
            select = f"SELECT {', '.join('s.' + c for c in COLUMNS)} FROM {STAGE} s"
            if unchanged + updated:
                select += f" WHERE NOT EXISTS (SELECT 1 FROM {TABLE} i WHERE {key})"
            cursor.execute(f"INSERT INTO {TABLE} ({names}) {select}")
        cursor.execute(f"DROP TABLE {STAGE}")
    return imported, unchanged, updated
