"""The report of a promise (`/loften/<slug>/rapport/`): what was promised and done, and whether it
helped, for residents and for the record."""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from lofte.analysis.vocabulary import Status
from lofte.surveys.results import item_outcome

from .charts import monthly_svg
from .follow_up import follow_up
from .outcomes import cached_compare
from .views import get_promise_for


def report(request, slug):
    promise = get_promise_for(request.user, slug)
    today = timezone.localdate()
    found = follow_up(promise, today)
    commitments = list(promise.commitments.prefetch_related("responsible", "updates"))
    rows = []
    for c in commitments:
        progress = found.progress[c.pk]
        latest = next(iter(c.updates.visible(today)), None)
        outcome = item_outcome(c.outcome_item, request.user) if c.outcome_item_id else None
        rows.append({"commitment": c, "progress": progress, "latest": latest, "outcome": outcome})
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
    kept = sum(row["progress"].status == Status.KEPT for row in rows)
    ctx = {
        "promise": promise,
        "rows": rows,
        "outputs": found.outputs,
        "comparison": comparison,
        "monthly": list(zip(comparison.months, comparison.target_monthly, comparison.control_monthly)),
        "chart": chart,
        "kept": kept,
        "measurable": sum(row["progress"].status != Status.UNMEASURABLE for row in rows),
        "threshold": settings.LOFTE_SMALL_COUNT_THRESHOLD,
    }
    return render(request, "promises/report.html", ctx)
