"""The report of a promise, for the page, the printed copy (PDF, WeasyPrint) and `lofte report`."""

from dataclasses import dataclass
from datetime import date
from math import exp
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from shapely.geometry import shape

from lofte.analysis.evaluation import EventStudyResult
from lofte.analysis.progress import Progress
from lofte.core.translations import localized
from lofte.places.geometry import to_metric
from lofte.promises.models import Commitment, Promise, Update
from lofte.promises.outcomes import OutcomeComparison
from lofte.surveys.results import ItemOutcome, item_outcome

from . import causes, sentences
from .follow_up import follow_up
from .observed import observed_outcome
from .outcomes import cached_compare
from .progress import Tally


@dataclass(frozen=True)
class CommitmentRow:
    """A commitment in the report: its progress, its latest visible update and its survey question."""

    commitment: Commitment
    progress: Progress
    latest: Update | None
    outcome: ItemOutcome | None


def report_context(promise: Promise, user: Any, today: date | None = None) -> dict[str, Any]:
    """What the report shows of `promise` to `user` as of `today` (in the active language)."""
    today = today or timezone.localdate()
    found = follow_up(promise, today)
    rows: list[CommitmentRow] = []
    for c in promise.commitments.prefetch_related("responsible", "updates"):
        latest = next(iter(c.updates.visible(today)), None)
        outcome = (
            item_outcome(c.outcome_item, user, waves=promise.named_waves(c.outcome_item.survey_id))
            if c.outcome_item
            else None
        )
        rows.append(CommitmentRow(c, found.progress[c.pk], latest, outcome))
    comparison = cached_compare(promise, today)
    event_rows = _event_rows(comparison.event_study)
    charts = outcome_charts(promise, comparison, event_rows) | survey_chart(rows)
    synthetic: list[float | None] = [*comparison.synthetic_monthly] or [None] * len(comparison.months)
    return {
        "promise": promise,
        "today": today,
        "rows": rows,
        "outputs": found.outputs,
        "figures": found.figures,
        "last_updated": found.last_updated,
        "comparison": comparison,
        "monthly": list(
            zip(
                comparison.months,
                comparison.target_monthly,
                comparison.control_monthly,
                synthetic,
            )
        ),
        "charts": charts,
        "sentences": sentences.of(comparison, settings.LOFTE_SMALL_COUNT_THRESHOLD),
        "causes": causes.tree(promise),
        "event_rows": event_rows,
        "tally": Tally.of(row.progress.status for row in rows),
        "threshold": settings.LOFTE_SMALL_COUNT_THRESHOLD,
        "observed": observed_outcome(promise, today),
    }


def outcome_charts(promise: Promise, comparison: OutcomeComparison, event_rows: list["EventRow"]) -> dict[str, str]:
    """The outcome section's charts (SVG markup by name) for what the comparison holds (`event_rows`:
    its event study as table rows)."""
    from .charts import event_svg, hotspot_svg, monthly_svg

    charts = {}
    start = f"{promise.period_start.year}-{promise.period_start.month:02d}"
    if comparison.target_monthly:
        charts["monthly"] = monthly_svg(
            comparison.months, comparison.target_monthly, comparison.control_monthly,
            start=comparison.months.index(start),
            title=_("Incidents a month"),
            labels=(localized(promise.area, "name"), _("control areas"), _("month"), _("incidents")),
        )  # fmt: skip
    if comparison.synthetic_monthly:
        charts["synthetic"] = monthly_svg(
            comparison.months, comparison.target_monthly, comparison.synthetic_monthly,
            start=comparison.months.index(start),
            title=_("%(area)s against its synthetic twin") % {"area": localized(promise.area, "name")},
            labels=(localized(promise.area, "name"), _("synthetic twin"), _("month"), _("incidents")),
            dashed=":",
        )  # fmt: skip
    if comparison.event_study:
        charts["event"] = event_svg(
            [r.quarter for r in event_rows], [r.ratio for r in event_rows], [r.low for r in event_rows],
            [r.high for r in event_rows],
            title=_("Quarter by quarter against the control areas (1 = as in the quarter before the start)"),
            labels=(_("quarters from the start"), _("rate ratio")),
            number=lambda v: formats.number_format(v, use_l10n=True),
        )  # fmt: skip
    if len(comparison.hot_spots) == 2:
        charts["hot_spots"] = hotspot_svg(
            to_metric(shape(promise.area.polygon)), comparison.hot_spots,
            titles=(_("Before the promise"), _("During the promise")),
            legend=(_("hot spot"), _("cold spot")),
        )  # fmt: skip
    return charts


@dataclass(frozen=True)
class EventRow:
    """A quarter of the event study: its rate ratio against the quarter before the start, and the 95 %
    interval."""

    quarter: int  # quarters from the start; -1 is the reference
    ratio: float
    low: float
    high: float
    reference: bool = False


def _event_rows(result: EventStudyResult | None) -> list[EventRow]:
    """The event study as table rows (the reference quarter −1 is 1 by definition)."""
    if not result:
        return []
    rows = [EventRow(-1, 1.0, 1.0, 1.0, reference=True)]
    for q, e, lo, hi in zip(result.relative, result.estimate, result.ci_low, result.ci_high):
        rows.append(EventRow(q, exp(e), exp(lo), exp(hi)))
    return sorted(rows, key=lambda r: r.quarter)


def survey_chart(rows: list[CommitmentRow]) -> dict[str, Any]:
    """The outcome questions' baseline and follow-up shares with their intervals, when compared."""
    from .charts import survey_svg

    outcomes = [row.outcome for row in rows if row.outcome and row.outcome.row]
    # A comparison exists only where both waves have estimates.
    compared = [(o.row, o.row.base, o.row.follow) for o in outcomes if o.row and o.row.comparison]
    pairs = [(row, base, follow) for row, base, follow in compared if base and follow]
    first = outcomes[0] if outcomes else None
    if not pairs or first is None or first.base is None or first.follow is None:
        return {}
    return {
        "survey": survey_svg(
            [row.text for row, _base, _follow in pairs],
            [(base.estimate, base.ci_low, base.ci_high) for _row, base, _follow in pairs],
            [(follow.estimate, follow.ci_low, follow.ci_high) for _row, _base, follow in pairs],
            title=_("The safety survey: share of residents, with %(level)s %% intervals") % {"level": 95},
            labels=(first.base.local_label, first.follow.local_label, _("per cent")),
        )
    }


def render_report(promise: Promise, *, language: str, fmt: str = "html", user: Any | None = None) -> str | bytes:
    """The report as a standalone HTML document (str) or an A4 PDF (bytes), in `language`."""
    with translation.override(language):
        ctx = report_context(promise, user or AnonymousUser()) | {"LANGUAGE_CODE": language}
        html = render_to_string("promises/report_print.html", ctx)
    if fmt == "html":
        return html
    from weasyprint import HTML

    # Links relative to the public site: a downloaded or printed PDF has no site to be relative to.
    # PDF/UA-1: tagged, so that a screen reader reads it in order, with the document's language set.
    pdf: bytes = HTML(string=html, base_url=settings.LOFTE_PUBLIC_URL).write_pdf(pdf_variant="pdf/ua-1")
    return pdf
