"""The one meaning of "the incidents of an area", for the situation page, its export and the API.

An incident belongs to an area when it is counted (not a summary or a notice), placed (an exact or
snapped point, never a municipality's centre) and its point lies inside the area's outline.

Each incident stores the smallest area its point lies in, found at import and found again by
`locate.relocate` whenever an area or place is added, moved or removed (`signals.py`; by hand:
`lofte locate-incidents`). So the incidents of an area are those stored under it or under an area
its outline covers, and, of those stored under an area that only partly overlaps it, the ones whose
point lies inside it: only those few are tested one by one.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import shapely
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, Max, Min, Q, QuerySet
from django.db.models.expressions import RawSQL
from shapely.geometry import shape

from lofte.ingest.common import COUNTED
from lofte.places.models import Area

from .locate import PLACEABLE
from .models import Incident

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class AreaIncidents:
    area: Area
    sure: Q  # stored under the area or an area it covers: inside by construction
    maybe: Q  # stored under an area that partly overlaps it, in its bounding box: inside when the point is

    @classmethod
    def of(cls, area: Area) -> AreaIncidents:
        outline = shape(area.polygon)
        covered, partial = [area.pk], []
        neighbours = Area.objects.exclude(pk=area.pk).filter(
            min_lon__lte=area.max_lon, max_lon__gte=area.min_lon, min_lat__lte=area.max_lat, max_lat__gte=area.min_lat
        )
        for other in neighbours:
            other_outline = shape(other.polygon)
            if outline.covers(other_outline):
                covered.append(other.pk)
            elif outline.relate_pattern(other_outline, "T********"):
                # Interiors meet. A neighbour that only touches (a district beside another) holds no
                # point inside this outline (`maybe_frame` asks for the interior), and reading its rows
                # in the bounding box cost a city report seconds per district.
                partial.append(other.pk)
        counted = Q(nature__in=COUNTED, accuracy__in=PLACEABLE)
        in_box = Q(lon__gte=area.min_lon, lon__lte=area.max_lon, lat__gte=area.min_lat, lat__lte=area.max_lat)
        maybe = counted & in_box & Q(area__in=partial) if partial else Q(pk__in=[])
        return cls(area, counted & Q(area__in=covered), maybe)

    def frame(self, rows: QuerySet[Any], columns: list[str]) -> pd.DataFrame:
        """`columns` of the incidents of the area among `rows` (a filtered Incident queryset).

        Rows are read without Django's per-value converters, which cost more than reading them;
        times are converted once for the whole column (UTC).
        """
        import pandas as pd

        sure = _read(rows.filter(self.sure), columns)
        maybe = self.maybe_frame(rows, columns, raw=True)
        frame = pd.concat([sure, maybe], ignore_index=True) if len(maybe) else sure
        if "occurred_from" in columns:
            frame["occurred_from"] = pd.to_datetime(frame["occurred_from"], utc=True, format="mixed")
        return frame

    def latest(self) -> datetime | None:
        """When the area's latest incident happened (None when it has none)."""
        return self.span()[1]

    def span(self) -> tuple[datetime | None, datetime | None]:
        """When the area's earliest and latest incidents happened (None when it has none): where its
        records begin and end. One aggregate and one read of the partly overlapping areas' rows."""
        sure = Incident.objects.filter(self.sure).aggregate(first=Min("occurred_from"), last=Max("occurred_from"))
        rows = Incident.objects.exclude(occurred_from=None)
        if sure["first"] is not None:  # only a row outside the span found so far can widen it
            rows = rows.filter(Q(occurred_from__lt=sure["first"]) | Q(occurred_from__gt=sure["last"]))
        maybe = self.maybe_frame(rows, ["occurred_from"])["occurred_from"]
        firsts = [t for t in (sure["first"], maybe.min() if len(maybe) else None) if t is not None]
        lasts = [t for t in (sure["last"], maybe.max() if len(maybe) else None) if t is not None]
        return min(firsts, default=None), max(lasts, default=None)

    def types(self) -> list[str]:
        """The incident types of the area, in alphabetical order."""
        sure = set(Incident.objects.filter(self.sure).values_list("type", flat=True).distinct())
        return sorted(sure | set(self.maybe_frame(Incident.objects.exclude(type__in=sure), ["type"])["type"]))

    def daily_counts(self, rows: QuerySet[Any]) -> pd.DataFrame:
        """The area's incidents among `rows` counted per type and local day: columns `type`, `day`
        (datetime64, local midnight) and `n`.

        Counted in the database, so that five years of a city's incidents are not read row by row (1
        000 000 rows took 3.9 s to read, issue 25). PostgreSQL counts per local day itself; SQLite,
        which has no time zones, counts per UTC day, and apart per UTC hour for the hours whose local
        day can differ from the UTC day (22 and 23 in Stockholm), which are then converted here.
        """
        import pandas as pd

        sql, params = rows.filter(self.sure).values_list("type", "occurred_from").query.sql_with_params()
        if connection.vendor == "postgresql":
            grouped = (f"SELECT type, (occurred_from AT TIME ZONE %s)::date::text, NULL, COUNT(*) FROM ({sql}) s"
                       " GROUP BY 1, 2")  # fmt: skip
            params = (settings.TIME_ZONE, *params)
        else:
            late = ", ".join(str(h) for h in _hours_of_another_local_day())
            grouped = (f"SELECT type, substr(occurred_from, 1, 10), CASE WHEN CAST(substr(occurred_from, 12, 2)"
                       f" AS INTEGER) IN ({late or -1}) THEN substr(occurred_from, 1, 13) END, COUNT(*)"
                       f" FROM ({sql}) s GROUP BY 1, 2, 3")  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(grouped, params)
            found = pd.DataFrame(cursor.fetchall(), columns=["type", "day", "hour", "n"])
        day = pd.to_datetime(found["day"], format="ISO8601")
        hours = found["hour"].notna()
        if hours.any():
            utc = pd.to_datetime(found.loc[hours, "hour"] + ":00", format="%Y-%m-%d %H:%M", utc=True)
            day[hours] = utc.dt.tz_convert(settings.TIME_ZONE).dt.tz_localize(None).dt.normalize()
        counts = pd.DataFrame({"type": found["type"], "day": day, "n": found["n"].astype(int)})
        maybe = self.maybe_frame(rows, ["type", "occurred_from"], raw=True)
        if len(maybe):
            when = pd.to_datetime(maybe["occurred_from"], utc=True, format="mixed").dt.tz_convert(settings.TIME_ZONE)
            extra = maybe.assign(day=when.dt.tz_localize(None).dt.normalize(), n=1)[["type", "day", "n"]]
            counts = pd.concat([counts, extra], ignore_index=True)
        return counts.groupby(["type", "day"])["n"].sum().reset_index()

    def maybe_frame(self, rows: QuerySet[Any], columns: list[str], *, raw: bool = False) -> pd.DataFrame:
        """The rows stored under a partly overlapping area whose point lies inside this one. `raw`: read
        without Django's converters (times as the database gives them, for `pd.to_datetime`): a
        district whose outline strays a hair beyond its city's reads all its rows this way."""
        import pandas as pd

        fields = [*columns, *(c for c in ("lon", "lat") if c not in columns)]
        maybe = rows.filter(self.maybe)
        frame = _read(maybe, fields) if raw else pd.DataFrame(list(maybe.values_list(*fields)), columns=fields)
        if len(frame):
            outline = shape(self.area.polygon)
            frame = frame[shapely.contains_xy(outline, frame["lon"].to_numpy(float), frame["lat"].to_numpy(float))]
        return frame[columns].reset_index(drop=True)


def known_to_the_day() -> RawSQL:
    """The condition of an incident whose time is known to within a day (police.uk's rows give only
    their month, from its first day to its last), in the database's own terms: Django's
    `F("occurred_from") + timedelta(days=1)` runs a Python function per row on SQLite, 3.8 s of the
    weekly picture's 5 s for a district's million incidents."""
    table = Incident._meta.db_table
    if connection.vendor == "sqlite":
        within = f'julianday("{table}"."occurred_to") - julianday("{table}"."occurred_from") <= 1'
    else:
        within = f'"{table}"."occurred_to" <= "{table}"."occurred_from" + interval \'1 day\''
    return RawSQL(f'("{table}"."occurred_to" IS NULL OR {within})', [], output_field=BooleanField())


def _read(rows: QuerySet[Any], columns: list[str]) -> pd.DataFrame:
    """`columns` of `rows` as a DataFrame, read without Django's per-value converters, which cost more
    than reading them (times come as the database gives them)."""
    import pandas as pd

    try:
        sql, params = rows.values_list(*columns).query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing (no partly overlapping area)
        return pd.DataFrame([], columns=columns)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return pd.DataFrame(cursor.fetchall(), columns=columns)


@functools.cache
def _hours_of_another_local_day() -> tuple[int, ...]:
    """The UTC hours at which the local day (settings.TIME_ZONE) can differ from the UTC day, in
    winter or summer: 22 and 23 in Stockholm (UTC+1 and +2)."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(settings.TIME_ZONE)
    hours = set()
    for month in (1, 7):
        offset = datetime(2020, month, 1, tzinfo=zone).utcoffset() or timedelta(0)
        shift = offset.total_seconds() / 3600
        if shift > 0:
            hours |= set(range(24 - math.ceil(shift), 24))
        elif shift < 0:
            hours |= set(range(0, math.ceil(-shift)))
    return tuple(sorted(hours))
