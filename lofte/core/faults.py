"""Faults of the machine that a person can act on, told in words instead of a traceback.

A full disk stops SQLite with "database or disk is full" and PostgreSQL with SQLSTATE 53100
(disk_full) or "No space left on device": the transaction is rolled back, so nothing of it was
stored, and the same command succeeds once space is freed.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

FULL_MARKERS = ("database or disk is full", "no space left on device", "could not extend file")


class DatabaseFull(Exception):
    """The database could not grow: nothing of the interrupted work was stored."""


def is_disk_full(exc: BaseException) -> bool:
    cause = exc.__cause__ or exc
    return getattr(cause, "pgcode", None) == "53100" or any(m in str(exc).lower() for m in FULL_MARKERS)


def where_the_database_is() -> str:
    settings = connection.settings_dict
    return (
        str(settings["NAME"]) if settings["ENGINE"].endswith("sqlite3") else f"{settings['NAME']} on {settings['HOST']}"
    )


@contextmanager
def full_disk_told(what: str) -> Iterator:
    """Turn a full disk under `what` (e.g. "the import") into DatabaseFull with a clear message."""
    try:
        yield
    except Exception as exc:  # Django's DatabaseError, or the driver's own from a raw connection
        if not is_disk_full(exc):
            raise
        raise DatabaseFull(
            f"the disk of the database ({where_the_database_is()}) is full: nothing of {what} was stored. "
            "Free some space and run it again."
        ) from exc
