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

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import shapely
from django.db import connection
from django.db.models import Max, Min, Q, QuerySet
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
            elif outline.intersects(other_outline):
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

        sql, params = rows.filter(self.sure).values_list(*columns).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            sure = pd.DataFrame(cursor.fetchall(), columns=columns)
        maybe = self.maybe_frame(rows, columns)
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
        maybe = self.maybe_frame(Incident.objects.exclude(occurred_from=None), ["occurred_from"])["occurred_from"]
        firsts = [t for t in (sure["first"], maybe.min() if len(maybe) else None) if t is not None]
        lasts = [t for t in (sure["last"], maybe.max() if len(maybe) else None) if t is not None]
        return min(firsts, default=None), max(lasts, default=None)

    def types(self) -> list[str]:
        """The incident types of the area, in alphabetical order."""
        sure = set(Incident.objects.filter(self.sure).values_list("type", flat=True).distinct())
        return sorted(sure | set(self.maybe_frame(Incident.objects.all(), ["type"])["type"]))

    def maybe_frame(self, rows: QuerySet[Any], columns: list[str]) -> pd.DataFrame:
        """The rows stored under a partly overlapping area whose point lies inside this one."""
        import pandas as pd

        fields = [*columns, *(c for c in ("lon", "lat") if c not in columns)]
        frame = pd.DataFrame(list(rows.filter(self.maybe).values_list(*fields)), columns=fields)
        if len(frame):
            outline = shape(self.area.polygon)
            frame = frame[shapely.contains_xy(outline, frame["lon"].to_numpy(float), frame["lat"].to_numpy(float))]
        return frame[columns].reset_index(drop=True)
