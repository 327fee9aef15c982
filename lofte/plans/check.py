"""The promise check's rules applied to each measure of an action plan: responsible, measurable,
detectable (Brå finds plans whose measures nobody owns and nobody can follow up).

- responsible: an organisation and a function answer for it (a promise has its parties, an action its
  organisation);
- measurable: it says when, how it is followed up and with which indicator (incident types, a category
  of observations, a citizen promise's own evaluation or an action's record);
- detectable: a fall in the indicator's incidents the size the plan can hope for shows in a year's
  comparison (`analysis.periods.detectable_fall` at 80 % power, from the report year's count).
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from lofte.analysis.periods import detectable_fall

from .models import Measure

# A measure whose indicator needs a larger fall than this to be seen in a year is flagged.
LARGEST_HOPE = 0.5


@dataclass(frozen=True)
class MeasureFinding:
    rule: str  # responsible, measurable or detectable
    message: str


def check_measure(measure: Measure, figures: dict[str, Any] | None) -> list[MeasureFinding]:
    found = []
    answers = measure.responsible_id or measure.promise_id or measure.action_id
    if not answers:
        found.append(MeasureFinding("responsible", _("Name the organisation responsible for the measure.")))
    elif not measure.function and not (measure.promise_id or measure.action_id):
        found.append(
            MeasureFinding("responsible", _("Name the function that answers for it (e.g. trygghetssamordnare)."))
        )
    indicator = measure.incident_types or measure.observation_category_id or measure.promise_id or measure.action_id
    if not indicator:
        found.append(MeasureFinding("measurable", _(
            "Choose an indicator: incident types, a category of observations, a citizen promise or an action."
        )))  # fmt: skip
    if not (measure.starts and measure.ends) and not measure.promise_id:
        found.append(MeasureFinding("measurable", _("Say when the measure starts and ends.")))
    if not measure.follow_up and not (measure.promise_id or measure.action_id):
        found.append(MeasureFinding("measurable", _("Say how the measure will be followed up, and by whom.")))
    if measure.incident_types and figures:
        count, phi = indicator_count(figures, measure.incident_types)
        if count is not None:
            fall = detectable_fall(count, dispersion=phi)
            if fall is None or fall < 1 - LARGEST_HOPE:
                found.append(MeasureFinding("detectable", _(
                    "The indicator's %(count)s incidents a year show only a fall of more than half in a year's "
                    "comparison: choose more types, a longer follow-up, or expect no measurable change."
                ) % {"count": count}))  # fmt: skip
    return found


def indicator_count(figures: dict[str, Any], types: list[str]) -> tuple[int | None, float]:
    """The report year's incidents of `types` as the report publishes them (None when one of them has
    no row of its own or is hidden) and the dispersion of the area's monthly counts."""
    incidents = figures["mapping"]["incidents"]
    rows = {r["type"]: r for r in incidents["rows"] if r["type"] is not None}
    total = 0
    for name in types:
        row = rows.get(name)
        value = row["years"][-1]["value"] if row and row["years"] else None
        if value is None:
            return None, 1.0
        total += value
    return total, float(incidents.get("dispersion") or 1.0)
