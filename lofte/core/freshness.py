"""What a cached result was computed from, read in one round trip to the database.

A cache key that names the data behind a result (how many rows of each kind, the newest id and the
latest change) makes a new patrol or a new import show at once, with no signal to forget and nothing
to clear. Asking for it must cost less than the result: one query, whatever the number of kinds.

Building that query through the ORM costs more than running it (a promise's twelve querysets took
about 6 ms of a cached page's 8 ms of CPU on PostgreSQL, issue 23): `Fingerprint` compiles it once
and runs the SQL as often as asked, for callers whose querysets are the same every time.
"""

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet


@dataclass(frozen=True)
class Fingerprint:
    """The compiled fingerprint query of some (queryset, field) parts; `read()` runs it."""

    sql: str
    params: tuple[Any, ...]
    parts: int

    @classmethod
    def of(cls, parts: list[tuple[QuerySet, str]]) -> "Fingerprint":
        selects, params = [], []
        for k, (rows, field) in enumerate(parts):
            inner = rows.order_by().annotate(fp_id=F("pk"), fp_at=F(field)).values_list("fp_id", "fp_at")
            sql, inner_params = inner.query.sql_with_params()
            selects.append(
                f"SELECT {k} AS part, COUNT(*) AS n, CAST(MAX(s{k}.fp_id) AS TEXT) AS top,"
                f" CAST(MAX(s{k}.fp_at) AS TEXT) AS last FROM ({sql}) s{k}"
            )
            params.extend(inner_params)
        return cls(" UNION ALL ".join(selects), tuple(params), len(parts))

    def read(self) -> list[tuple[object, ...]]:
        """(count, newest id, latest value) of each part, as text, in one query."""
        if not self.parts:
            return []
        with connection.cursor() as cursor:
            cursor.execute(self.sql, list(self.params))
            found = {row[0]: tuple(row[1:]) for row in cursor.fetchall()}
        return [found[k] for k in range(self.parts)]
