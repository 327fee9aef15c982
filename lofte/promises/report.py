"""The report of a promise, for the page, the printed copy (PDF, WeasyPrint) and `lofte report`."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lofte.analysis.vocabulary import Status
from lofte.surveys.results import item_outcome

from .charts import monthly_svg
from .follow_up import follow_up
from .outcomes import cached_compare


def report_context(promise, user, today=None):
    """What the report shows of `promise` to `user` as of `today` (in the active language)."""
    today = today or timezone.localdate()
    found = follow_up(promise, today)
    rows = []
    for c in promise.commitments.prefetch_related("responsible", "updates"):
        latest = next(iter(c.updates.visible(today)), None)
        outcome = item_outcome(c.outcome_item, user) if c.outcome_item_id else None
        rows.append({"commitment": c, "progress": found.progress[c.pk], "latest": latest, "outcome": outcome})
    comparison = cached_compare(promise, today)
    chart = None
    if comparison.target_monthly:
        start = comparison.months.index(f"{promise.period_start.year}-{promise.period_start.month:02d}")
        chart = monthly_svg(
            comparison.months,
            comparison.target_monthly,
            comparison.control_monthly,
            start=start,
            title=_("Incidents a month: %(types)s") % {"types": ", ".join(comparison.types)},
            labels=(promise.area.name, _("control areas"), _("month"), _("incidents")),
        )
    return {
        "promise": promise,
        "today": today,
        "rows": rows,
        "outputs": found.outputs,
        "comparison": comparison,
        "monthly": list(zip(comparison.months, comparison.target_monthly, comparison.control_monthly)),
        "chart": chart,
        "kept": sum(row["progress"].status == Status.KEPT for row in rows),
        "measurable": sum(row["progress"].status != Status.UNMEASURABLE for row in rows),
        "threshold": settings.LOFTE_SMALL_COUNT_THRESHOLD,
    }


def render_report(promise, *, language, fmt="html", user=None):
    """The report as a standalone HTML document (str) or an A4 PDF (bytes), in `language`."""
    with translation.override(language):
        ctx = report_context(promise, user or AnonymousUser()) | {"LANGUAGE_CODE": language}
        html = render_to_string("promises/report_print.html", ctx)
    if fmt == "html":
        return html
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
