"""Limits on public inputs: fixed one-hour windows counted atomically in the database.

The cache's counters were neither fixed nor atomic: Django's `incr` sets the value again with the
default lifetime (so a count lived five minutes from its last increment, not an hour from its first)
and reads before it writes (so concurrent posts were undercounted). Here each count is one row per
name and clock hour, incremented by a single INSERT … ON CONFLICT … RETURNING, which SQLite (3.35+)
and PostgreSQL both run atomically; the same statement serves both.
"""

import time
from typing import Any

from django.db import connection

from .models import HourlyCount

TABLE = HourlyCount._meta.db_table
INCREMENT = (
    f"INSERT INTO {TABLE} (name, window_hour, total) VALUES ({{p}}, {{p}}, 1) "
    f"ON CONFLICT (name, window_hour) DO UPDATE SET total = {TABLE}.total + 1 RETURNING total"
)


def current_hour(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // 3600)


def increment(cursor: Any, name: str, hour: int, *, placeholder: str = "%s") -> int:
    """Add one to `name`'s count in `hour` through a DB-API `cursor`; return the new count."""
    cursor.execute(INCREMENT.format(p=placeholder), [name, hour])
    return int(cursor.fetchone()[0])


def count_in_hour(name: str, *, now: float | None = None) -> int:
    """Count one more of `name` (e.g. a client's wrong survey codes) in this clock hour; return how
    many there are in it now, this one included."""
    hour = current_hour(now)
    with connection.cursor() as cursor:
        total = increment(cursor, name, hour)
        if total == 1:  # the first count of a new hour: forget the hours that have passed (indexed)
            HourlyCount.objects.filter(window_hour__lt=hour - 1).delete()
    return total


def counted_in_hour(name: str, *, now: float | None = None) -> int:
    """How many of `name` this clock hour has counted so far (nothing is counted)."""
    found = HourlyCount.objects.filter(name=name, window_hour=current_hour(now)).values_list("total", flat=True)
    return next(iter(found), 0)
