"""What of an area's incidents a user may see: the one disclosure rule of the page, the CSV export
and the API (DESIGN.md section 7).

Members of an organisation linked to the area see the situation picture in aggregate, with counts
below ``LOFTE_SMALL_COUNT_THRESHOLD`` suppressed and a grid instead of points. Analysts of those
organisations see every count, the incident points and the rows, and each such read is logged.
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lofte.analysis.suppression import protect_counts, protect_table
from lofte.core.disclosure import visible_counts
from lofte.places.models import Area
from lofte.places.permissions import areas

from .maps import HotSpotLayers, Squares
from .situation import Situation

audit = logging.getLogger("lofte.audit")


def area_for_situation(user: Any, code: str) -> Area:
    """The area whose situation picture ``user`` may read: 403 without any membership, else 404."""
    if not areas.can(user, "situation"):
        raise PermissionDenied
    area: Area | None = areas.visible(user, "situation").filter(code=code).first()
    if area is None:
        raise Http404("No such area")
    return area


@dataclass(frozen=True)
class Cell:
    """A published count: `value` None when hidden, because it is `small` or to protect a small one."""

    value: int | None
    small: bool = False
    complementary: bool = False

    def text(self) -> int | str:
        """As a file shows it: the count, "<5" when small, "x" when hidden to protect a small one."""
        if self.value is not None:
            return self.value
        return f"<{settings.LOFTE_SMALL_COUNT_THRESHOLD}" if self.small else "x"


@dataclass(frozen=True)
class TableRow:
    type: str | None  # None: the other types together
    months: list[Cell]
    total: Cell


@dataclass(frozen=True)
class CountTable:
    rows: list[TableRow]
    monthly_total: list[Cell]
    total: Cell

    def csv_rows(self, months: list[str]) -> list[list[object]]:
        """The table as CSV rows: a header, a row per type and one for all types, with totals."""
        rows: list[list[object]] = [["type", *months, "total"]]
        for row in self.rows:
            name = row.type if row.type is not None else "(other types)"
            rows.append([name, *(c.text() for c in row.months), row.total.text()])
        if self.rows:
            rows.append(["(all types)", *(c.text() for c in self.monthly_total), self.total.text()])
        return rows


@dataclass(frozen=True)
class Disclosure:
    """How much of one area's incidents one user sees."""

    username: str
    area: Area
    full: bool  # every count, points and rows (analysts)

    @property
    def suppressed_below(self) -> int | None:
        return None if self.full else settings.LOFTE_SMALL_COUNT_THRESHOLD

    def counts(self, values: Sequence[float]) -> list[int | None]:
        """Counts as they may be shown: None where suppressed."""
        return visible_counts(values, full=self.full)

    def count_table(
        self, result: Situation, *, published: Iterable[tuple[Iterable[str], Iterable[str]]] = ()
    ) -> "CountTable":
        """Types x months with their totals; for others than analysts, small counts hidden and as many
        further counts as it takes that no hidden one follows from the totals, nor from the sums
        `published` beside the table: (types, months) pairs, each the sum of those types' counts over
        those months (e.g. a promise's outcome incidents month by month). The types of a published sum
        must each have a row of their own (none among the other types)."""
        names: list[str | None] = [name for name, _ in result.table]
        rows = [row for _, row in result.table] + ([result.other_types] if result.other_types else [])
        return self.table_of(names + [None] * (len(rows) - len(names)), rows, result.months, published=published)

    def table_of(
        self,
        names: list[str | None],
        rows: list[list[int]],
        months: list[str],
        *,
        published: Iterable[tuple[Iterable[str], Iterable[str]]] = (),
    ) -> "CountTable":
        """Any table of counts (`rows` named `names`, None for "the others", by `months`) as
        `count_table` protects it: the situation page's observations use it too."""
        counts = np.array(rows, dtype=float).reshape(len(rows), len(months))
        threshold = settings.LOFTE_SMALL_COUNT_THRESHOLD
        named = np.array(names, dtype=object)
        masks = [np.isin(named, list(types))[:, None] & np.isin(months, list(m))[None, :] for types, m in published]
        protected = protect_table(counts, threshold=1 if self.full else threshold, published=masks or None)

        def cells(values: np.ndarray, small: np.ndarray, complementary: np.ndarray) -> list[Cell]:
            return [
                Cell(None if v != v else int(v), bool(s), bool(c))
                for v, s, c in zip(values.tolist(), small.tolist(), complementary.tolist(), strict=True)
            ]

        small, complementary, m = protected.small, protected.complementary, len(months)
        table_rows = [
            TableRow(
                name,
                cells(protected.cells[i], small[i, :m], complementary[i, :m]),
                cells(protected.row_totals[i : i + 1], small[i, m:], complementary[i, m:])[0],
            )
            for i, name in enumerate(names)
        ]
        return CountTable(
            rows=table_rows,
            monthly_total=cells(protected.column_totals, small[-1, :m], complementary[-1, :m]),
            total=cells(np.array([protected.total]), small[-1, m:], complementary[-1, m:])[0],
        )

    def top_places(self, result: Situation) -> list[tuple[str, int | None]]:
        return list(
            zip([name for name, _ in result.top_places], self.counts([n for _, n in result.top_places]), strict=True)
        )

    def cells(self, layers: HotSpotLayers) -> dict[str, Any]:
        """The hot-spot grid's GeoJSON cells, with small counts (`n`) hidden unless the user sees everything."""
        if self.full:
            return layers.cells
        features = layers.cells["features"]
        shown = protect_counts([f["properties"]["n"] for f in features], threshold=settings.LOFTE_SMALL_COUNT_THRESHOLD)
        return {
            "type": "FeatureCollection",
            "features": [
                {**f, "properties": {**f["properties"], "n": None if v != v else int(v)}}
                for f, v in zip(features, shown.tolist(), strict=True)
            ],
        }

    def squares(self, squares: Squares) -> dict[str, Any]:
        """GeoJSON: counts in the map's squares, small ones and those that would give them back
        hidden unless the user sees everything."""
        return squares.geojson(threshold=None if self.full else settings.LOFTE_SMALL_COUNT_THRESHOLD)

    def log(self, what: str, n: int) -> None:
        audit.info("%s: user=%s area=%s n=%s", what, self.username, self.area.code, n)


def disclosure_for(user: Any, area: Area) -> Disclosure:
    return Disclosure(username=user.get_username(), area=area, full=areas.can(user, "see_points", area))
