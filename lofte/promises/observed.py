"""The promise's outcome in the partners' observations: the area's reports of the promise's observation
categories during the promise against as long before it (`analysis.periods.compare_periods`).

There is no control area: partners report in their own areas only, so a change may be in the
reporting as much as in the place, and the report says so. Reports before the area's first report of
those categories are not counted as weeks without any; a count below the small-count threshold is
neither shown nor judged.
"""

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Q

from lofte.analysis.periods import PeriodChange, compare_periods, weekly_counts
from lofte.observations.models import Observation
from lofte.observations.weekly import labels

from .models import Promise


@dataclass(frozen=True)
class ObservedOutcome:
    categories: list[str]  # their names in the active language
    before: tuple[date, date]
    during: tuple[date, date]
    change: PeriodChange | None  # None: no reports before the promise, or a count too small to show
    reason: str  # why there is no change: "no_reports_before", "small" or ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _weeks(days: list[date], start: date, end: date) -> np.ndarray:
    return weekly_counts([(day - start).days for day in days], length=(end - start).days + 1)


def observed_outcome(promise: Promise, today: date) -> ObservedOutcome | None:
    """None when the promise names no observation categories or has not begun."""
    codes = list(promise.outcome_observation_categories or [])
    if not codes or today < promise.period_start:
        return None
    during = (promise.period_start, min(promise.period_end, today))
    length = (during[1] - during[0]).days + 1
    before = (promise.period_start - timedelta(days=length), promise.period_start - timedelta(days=1))
    rows = Observation.objects.filter(area_id=promise.area_id).filter(
        Q(category__code__in=codes) | Q(category__parent__code__in=codes)
    )
    began = rows.order_by("occurred_on").values_list("occurred_on", flat=True).first()
    names = list(labels(codes).values())
    if began is None or began >= promise.period_start:
        return ObservedOutcome(names, before, during, None, "no_reports_before")
    before = (max(before[0], began), before[1])
    days_before = list(rows.filter(occurred_on__range=before).values_list("occurred_on", flat=True))
    days_during = list(rows.filter(occurred_on__range=during).values_list("occurred_on", flat=True))
    threshold = settings.LOFTE_SMALL_COUNT_THRESHOLD
    if any(0 < len(d) < threshold for d in (days_before, days_during)):
        return ObservedOutcome(names, before, during, None, "small")
    change = compare_periods(_weeks(days_before, *before), _weeks(days_during, *during))
    return ObservedOutcome(names, before, during, change, "")
