"""Bulk writing of incident rows: the one module with SQL for each database.

New records go straight into the incident table (SQLite: executemany on the raw connection;
PostgreSQL: COPY); records whose content changed are updated by (source, source_id). Which
is which is decided before writing, from the digests of what is stored (`Stored`). A load into
the empty table drops its indexes first and builds them once at the end. The caller wraps a
run in one transaction, so a file is imported completely or not at all.
"""

import hashlib
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from django.db import connection

from .models import Incident

TABLE = Incident._meta.db_table
COLUMNS = (
    "source",
    "source_id",
    "occurred_from",
    "occurred_to",
    "published_at",
    "type",
    "nature",
    "lon",
    "lat",
    "x",
    "y",
    "accuracy",
    "place_text",
    "url",
    "area_id",
    "place_id",
    "content_hash",
    "raw",
    "import_run_id",
)
# What a prepared row holds: every column but the run's source and import run, which the
# statements carry as parameters once per batch instead of once per row.
ROW_COLUMNS = tuple(c for c in COLUMNS if c not in ("source", "import_run_id"))


def postgres() -> bool:
    return connection.vendor == "postgresql"


def db_time(value: datetime | None) -> datetime | str | None:
    """A datetime as a bulk load wants it."""
    if value is None or postgres():
        return value
    # Django's SQLite backend stores UTC without an offset: "YYYY-MM-DD HH:MM:SS[.ffffff]".
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def key_of(source_ids: Sequence[str]) -> np.ndarray:
    """64-bit keys of source ids, for comparing a file with what is stored without a lookup per row."""
    blake2b = hashlib.blake2b
    return np.fromiter(
        (int.from_bytes(blake2b(s.encode(), digest_size=8).digest(), "little", signed=True) for s in source_ids),
        dtype=np.int64,
        count=len(source_ids),
    )


class Stored:
    """The keys and content digests of one source's stored records, sorted by key."""

    def __init__(self, source: str, chunk: int = 100_000) -> None:
        keys, digests = [np.array([], dtype=np.int64)], [np.array([], dtype="S24")]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT source_id, content_hash FROM {TABLE} WHERE source = %s", [source])
            while rows := cursor.fetchmany(chunk):  # a million ids as Python strings would cost 250 MB
                ids, hashes = zip(*rows)
                keys.append(key_of(ids))
                digests.append(np.array(hashes, dtype="S24"))
        all_keys, all_digests = np.concatenate(keys), np.concatenate(digests)
        order = np.argsort(all_keys)
        self.keys, self.digests = all_keys[order], all_digests[order]

    def __len__(self) -> int:
        return len(self.keys)

    def classify(self, source_ids: Sequence[str], digests: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(stored?, unchanged?) boolean arrays for records with these ids and content digests."""
        if not len(self.keys):
            none = np.zeros(len(source_ids), dtype=bool)
            return none, none
        keys = key_of(source_ids)
        at = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        stored = self.keys[at] == keys
        unchanged = stored & (self.digests[at] == np.array(digests, dtype="S24"))
        return stored, unchanged


def table_is_empty() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {TABLE})")
        return bool(cursor.fetchone()[0])


def drop_indexes() -> list[str]:
    """Drop the incident table's indexes before a bulk load into the empty table (DDL is part
    of the transaction). Returns the statements that build them again.

    Building an index once from the loaded rows costs a fraction of keeping it sorted row by
    row; for the unique (source, source_id) index it halves the load. While it is gone, the
    importer must not look rows up by source id (it holds later copies of an id back).
    On PostgreSQL this locks the (empty) table against readers until the import commits.
    """
    with connection.cursor() as cursor:
        if postgres():
            # Indexes that back a constraint (the primary key) stay.
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                " AND tablename = %s AND indexname NOT IN"
                " (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                [TABLE, TABLE],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [TABLE],
            )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in indexes]


def create_indexes(statements: Iterable[str]) -> None:
    """Build the indexes `drop_indexes` dropped; a duplicate source id fails the run here."""
    with connection.cursor() as cursor:
        if postgres():
            # The loaded rows' deferred foreign-key checks are pending: run them now, since
            # PostgreSQL builds no index on a table with pending trigger events.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        else:
            # SQLite sorts an index's keys in runs as large as the page cache and merges them;
            # runs that fit the processor's caches sort faster than one run of everything.
            cursor.execute("PRAGMA cache_size = -2048")
        for sql in statements:
            cursor.execute(sql)


def prepare() -> None:
    with connection.cursor() as cursor:
        if not postgres():
            # A page cache for the incident table's indexes while rows go in among stored ones,
            # and for spilling a bulk load's pages. 32 MiB: four times as much was not faster
            # within this machine's noise and cost 150 MB of peak memory.
            cursor.execute("PRAGMA cache_size = -32768")


def raw_connection() -> Any:
    """The DB-API connection of this thread's transaction, to hand to a worker thread."""
    connection.ensure_connection()
    return connection.connection


def write(
    raw: Any, source: str, run_id: int, inserts: list[tuple[Any, ...]], updates: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """Insert new rows and update changed ones (rows in ROW_COLUMNS order) of `source` on `raw`.

    A worker thread may write one batch while the importing thread prepares the next, as long
    as only one of them uses the connection at a time. Updates come after the inserts (a later
    copy of an id in the file updates the row its first copy inserted). Returns the rows that
    were meant as updates but found nothing to update (an id whose 64-bit key matched
    another's); those are inserted.
    """
    insert, update = (_postgres_writers if postgres() else _sqlite_writers)(raw, source, run_id)
    insert(inserts)
    missed = [row for row in updates if update(row) == 0]
    insert(missed)
    return missed


_NAMES = ", ".join(("source", "import_run_id") + ROW_COLUMNS)
_CHANGES = ", ".join(f"{c} = %s" for c in ("import_run_id",) + ROW_COLUMNS[1:])


def _update_parameters(source: str, run_id: int, row: tuple[Any, ...]) -> tuple[Any, ...]:
    return (run_id, *row[1:], source, row[0])


# insert(rows) and update(row) -> the number of rows updated, for one import run on one connection.
Writers = tuple[Callable[[list[tuple[Any, ...]]], None], Callable[[tuple[Any, ...]], int]]


def _postgres_writers(raw: Any, source: str, run_id: int) -> Writers:
    def insert(rows: list[tuple[Any, ...]]) -> None:
        if rows:
            with raw.cursor() as cursor, cursor.copy(f"COPY {TABLE} ({_NAMES}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((source, run_id, *row))

    def update(row: tuple[Any, ...]) -> int:
        with raw.cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} SET {_CHANGES} WHERE source = %s AND source_id = %s",
                _update_parameters(source, run_id, row),
            )
            return int(cursor.rowcount)

    return insert, update


def _sqlite_writers(raw: Any, source: str, run_id: int) -> Writers:
    # The source and the run are literals of the statement (escaped), not parameters of every row.
    literal_source = "'" + source.replace("'", "''") + "'"
    statement = (
        f"INSERT INTO {TABLE} ({_NAMES}) VALUES ({literal_source}, {int(run_id)}, {', '.join('?' * len(ROW_COLUMNS))})"
    )
    changes = _CHANGES.replace("%s", "?")

    def insert(rows: list[tuple[Any, ...]]) -> None:
        if rows:
            raw.executemany(statement, rows)

    def update(row: tuple[Any, ...]) -> int:
        cursor = raw.execute(
            f"UPDATE {TABLE} SET {changes} WHERE source = ? AND source_id = ?", _update_parameters(source, run_id, row)
        )
        return int(cursor.rowcount)

    return insert, update
