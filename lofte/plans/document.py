"""The situation report as a document: its stored figures turned into the rows a page, the PDF and the
open data show, with names in the reader's language. Nothing here computes a figure: the numbers are
those `figures.generate` kept with the version."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lofte.observations import weekly

from .check import check_measure
from .models import Measure, SituationReport


@dataclass(frozen=True)
class CycleRow:
    label: str
    count: int | None
    ratio: float | None
    low: float | None
    high: float | None
    mark: str  # "above", "below" or ""


def document(report: SituationReport, *, staff: bool = False) -> dict[str, Any]:
    """The template context of the report's document (`plans/_document.html`). `staff` adds the
    check of each measure."""
    figures = report.figures or {}
    wheel = (figures.get("when_where") or {}).get("wheel")
    observations = (figures.get("mapping") or {}).get("observations") or {"rows": []}
    names = weekly.labels(row["category"] for row in observations["rows"])
    measures = list(
        report.measures.select_related(
            "responsible", "promise", "action__organisation", "observation_category"
        ).prefetch_related("promise__parties")
    )
    return {
        "report": report,
        "figures": figures,
        "threshold": figures.get("suppressed_below", settings.LOFTE_SMALL_COUNT_THRESHOLD),
        "english": get_language() == "en",
        "partners": list(report.partners.order_by("name")),
        "parts": list(report.parts.order_by("name")),
        "observation_rows": [
            row | {"label": names.get(row["category"], row["category"])} for row in observations["rows"]
        ],
        "wheel": _wheel(wheel) if wheel else None,
        "measures": [(m, check_measure(m, figures) if staff else []) for m in measures],
        "comments": list(report.comments.select_related("organisation")),
        "causes": [_tree(c) for c in (figures.get("analysis") or {}).get("causes", [])],
        "written": {row["key"]: row for row in report.written()},
        "wheel_parts": _wheel_parts(wheel) if wheel else [],
        "deviations": _deviations(figures),
        "staff_links": staff,
        "measure_statuses": dict(Measure.Status.choices),
    }


def follow_up_context(report: SituationReport) -> dict[str, Any]:
    """The follow-up page of `report`'s plan: computed as it stands today (a read: nothing is kept)."""
    from .figures import json_ready
    from .follow_up import follow_up

    return {
        "report": report,
        "fu": json_ready(follow_up(report)) if report.is_decided else None,
        "threshold": settings.LOFTE_SMALL_COUNT_THRESHOLD,
        "measure_statuses": dict(Measure.Status.choices),
    }


def _deviations(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Where the area measurably lies above what it is compared with: the whole, or a reference value."""
    found = list(((figures.get("analysis") or {}).get("priorities") or {}).get("deviating") or [])
    references = (figures.get("mapping") or {}).get("references") or []
    return found + [{"label": r["label"]} for r in references if r["verdict"] == "increase"]


def _wheel_parts(wheel: dict[str, Any]) -> list[tuple[str, list[CycleRow], str, str]]:
    """(heading, rows, sentence, key) of the wheel's month, weekday and hour tables."""
    shown = _wheel(wheel)
    parts = [(_("Month"), shown["month_rows"], shown["sentences"]["month"], "month")] if wheel["month"] else []
    parts.append((_("Weekday"), shown["weekday_rows"], shown["sentences"]["weekday"], "weekday"))
    parts.append((_("Hour"), shown["hour_rows"], shown["sentences"]["hour"], "hour"))
    return parts


def _wheel(wheel: dict[str, Any]) -> dict[str, Any]:
    months = [str(MONTHS[m + 1]) for m in wheel["months_of_year"]]
    return wheel | {
        "month_rows": _rows(wheel["month"], months) if wheel["month"] else [],
        "weekday_rows": _rows(wheel["weekday"], [str(WEEKDAYS[d]) for d in range(7)]),
        "hour_rows": _rows(wheel["hour"], [f"{h:02d}" for h in range(24)]),
        "sentences": {
            "month": _sentence(wheel["month"], months, _("months")) if wheel["month"] else "",
            "weekday": _sentence(wheel["weekday"], [str(WEEKDAYS[d]) for d in range(7)], _("weekdays")),
            "hour": _sentence(
                wheel["hour"], [_("%(hour)s o'clock") % {"hour": f"{h:02d}"} for h in range(24)], _("hours")
            ),  # fmt: skip
        },
    }


def _rows(cycle: dict[str, Any], labels: list[str]) -> list[CycleRow]:
    return [
        CycleRow(
            label,
            cycle["counts"][i],
            cycle["ratio"][i],
            cycle["ci_low"][i],
            cycle["ci_high"][i],
            "above" if i in cycle["above"] else "below" if i in cycle["below"] else "",
        )  # fmt: skip
        for i, label in enumerate(labels)
    ]


def _sentence(cycle: dict[str, Any], labels: list[str], what: str) -> str:
    """What the cycle shows, in words: a pattern only where the data show one."""
    if cycle["p_value"] is None:
        return _("Too few incidents to tell the %(what)s apart.") % {"what": what}
    if not cycle["shown"]:
        return _("No measurable pattern: the %(what)s differ no more than chance gives.") % {"what": what}
    above = ", ".join(labels[i] for i in cycle["above"])
    below = ", ".join(labels[i] for i in cycle["below"])
    parts = [capfirst(_("The %(what)s differ more than chance gives.") % {"what": what})]
    if above:
        parts.append(_("More than an even spread: %(which)s.") % {"which": above})
    if below and len(cycle["above"]) + len(cycle["below"]) == len(labels):
        parts.append(_("Fewer: all the others."))
    elif below:
        parts.append(_("Fewer: %(which)s.") % {"which": below})
    return " ".join(parts)


def _tree(promise: dict[str, Any]) -> dict[str, Any]:
    """A promise's causes as a nested list (each cause with its `children`)."""
    english = get_language() == "en"
    nodes = {c["id"]: {"text": (c["text_en"] if english and c["text_en"] else c["text"]), "children": []}
             for c in promise["causes"]}  # fmt: skip
    roots: list[dict[str, Any]] = []
    for c in promise["causes"]:
        parent = nodes.get(c["parent"]) if c["parent"] else None
        (parent["children"] if parent else roots).append(nodes[c["id"]])
    return promise | {"tree": roots}
