"""The leadership overview (`/personal/oversikt/`): every promise the user works on, which are on track,
behind, without a measurable outcome, or with an evaluation that shows a change; filtered by
police region, municipality, organisation and year, and as CSV."""

import csv
from collections import Counter
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lofte.accounts.models import Organisation
from lofte.analysis.vocabulary import Status
from lofte.core import spreadsheet
from lofte.core.params import as_id, as_year

from .follow_up import follow_up
from .outcomes import verdict
from .permissions import promises as policy


def _rows(request: HttpRequest, today: date) -> list[dict[str, Any]]:
    promises = policy.visible(request.user, "work").select_related("area").prefetch_related("parties").distinct()
    organisation = as_id(request.GET.get("organisation"))
    year = as_year(request.GET.get("year"))
    if organisation is not None:
        promises = promises.filter(parties=organisation)
    for name in ("region", "municipality"):  # of any of the parties
        if request.GET.get(name):
            promises = promises.filter(**{f"parties__{name}": request.GET[name]})
    if year is not None:
        promises = promises.filter(period_start__year__lte=year, period_end__year__gte=year)
    rows = []
    for promise in promises:
        # A dict, not a Counter: templates look up "items" as a key first, and a Counter answers 0.
        counts = dict(Counter(p.status for p in follow_up(promise, today).progress.values()))
        measurable_outcome = bool(promise.outcome_incident_types and promise.control_areas.exists()) or (
            promise.commitments.exclude(outcome_item=None).exists()
        )
        rows.append(
            {"promise": promise, "counts": counts, "measurable_outcome": measurable_outcome,
             "verdict": verdict(promise, today)}
        )  # fmt: skip
    return rows


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = _rows(request, today)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="lofte-oversikt.csv"'
        writer = csv.writer(response)
        writer.writerow(["promise", "area", "start", "end", "status", "kept", "on_track", "behind", "not_kept",
                         "measurable_outcome", "outcome_verdict"])  # fmt: skip
        for row in rows:
            p, c = row["promise"], row["counts"]
            writer.writerow(spreadsheet.row([p.title, p.area.name, p.period_start, p.period_end, p.status,
                                             c.get(Status.KEPT, 0), c.get(Status.ON_TRACK, 0), c.get(Status.BEHIND, 0),
                                             c.get(Status.NOT_KEPT, 0),
                                             row["measurable_outcome"], row["verdict"]]))  # fmt: skip
        return response
    organisations = Organisation.objects.filter(promises__in=policy.visible(request.user, "work")).distinct()
    ctx = {
        "rows": rows,
        "organisations": organisations,
        "regions": sorted({o.region for o in organisations if o.region}),
        "municipalities": sorted({o.municipality for o in organisations if o.municipality}),
        "query": request.GET.urlencode(),
    }
    return render(request, "promises/overview.html", ctx)
