"""Partners' observations in the area's picture: month by month per category for the situation page,
and per problem with its trend for the evidence matrix (issue 25, item 7).

Reports are counted as on the week's page (once each, under their main category). A trend is fitted
over whole months from the area's first report, as the incidents' is from their first record: months
before reporting began are not months without events.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from lofte.analysis import situation as pure
from lofte.incidents.situation import Filters, whole_months
from lofte.places.models import Area

from .models import Category, Observation
from .weekly import MAIN_CATEGORY


@dataclass(frozen=True)
class ObservationMonths:
    months: list[str]  # ["2016-03", ...]
    rows: list[tuple[str, list[int]]]  # [(main category code, [reports per month])], the list's order
    total: list[int]  # reports per month
    trend: pure.Trend


def _month_keys(start: date, end: date) -> list[str]:
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    return [f"{m // 12}-{m % 12 + 1:02d}" for m in range(first, last + 1)]


def months(area: Area, start: date, end: date, *, categories: list[str] | None = None) -> ObservationMonths:
    """The area's reports from `start` to `end` per main category and month, and the trend of their
    total beyond the season (`analysis.situation.poisson_trend`). `categories`: codes of categories
    (a main category takes its subcategories), or every one."""
    rows = Observation.objects.filter(area=area)
    if categories is not None:
        rows = rows.filter(Q(category__code__in=categories) | Q(category__parent__code__in=categories))
    began = rows.order_by("occurred_on").values_list("occurred_on", flat=True).first()
    counted = (
        rows.filter(occurred_on__gte=start, occurred_on__lte=end)
        .annotate(main=MAIN_CATEGORY, month=TruncMonth("occurred_on"))
        .values_list("main", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    keys = _month_keys(start, end)
    position = {key: i for i, key in enumerate(keys)}
    table: dict[str, np.ndarray] = {}
    for code, month, n in counted:
        table.setdefault(code, np.zeros(len(keys), dtype=int))[position[f"{month:%Y-%m}"]] += n
    order = list(Category.objects.filter(parent=None).values_list("code", flat=True))
    ordered = sorted(table, key=lambda c: order.index(c) if c in order else len(order))
    total = sum(table.values(), np.zeros(len(keys), dtype=int))
    filters = Filters(start=start, end=end)
    month_numbers = np.arange(start.year * 12 + start.month - 1, end.year * 12 + end.month)
    trend = pure.poisson_trend(
        whole_months(total, filters, began=began, ended=end),
        month_of_year=whole_months(month_numbers, filters, began=began, ended=end) % 12 + 1,
    )
    return ObservationMonths(keys, [(c, table[c].tolist()) for c in ordered], total.tolist(), trend)


def points(area: Area, start: date, end: date) -> dict[str, Any]:
    """GeoJSON of the area's reports from `start` to `end` (at most 5 000, the latest), labelled by
    their main category's code."""
    rows = (
        Observation.objects.filter(area=area, occurred_on__gte=start, occurred_on__lte=end)
        .annotate(main=MAIN_CATEGORY)
        .order_by("-occurred_on")
        .values_list("lon", "lat", "main")[:5000]
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": {"type": code}}
            for lon, lat, code in rows
        ],
    }
