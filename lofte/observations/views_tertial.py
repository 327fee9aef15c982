"""The tertial analysis of an area as a page and an A4 PDF, for the area's organisations."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language

from lofte.core.kept import kept
from lofte.incidents import picture as incident_picture
from lofte.incidents.disclosure import Disclosure, area_for_situation, disclosure_for
from lofte.incidents.maps import places_on_map
from lofte.places.models import Area

from . import tertial, weekly
from .models import Observation

CACHE_VERSION = 3  # 3: times known only to the month leave "when" out


def _chosen(request: HttpRequest, area: Area) -> tertial.Period:
    if text := request.GET.get("period"):
        return tertial.Period.parse(text)
    return tertial.Period.last_whole(min(weekly.default_week(area) + timedelta(days=7), timezone.localdate()))


def _analysis(area: Area, period: tertial.Period) -> tertial.TertialAnalysis:
    inputs = (CACHE_VERSION, area.pk, area.changed_at.isoformat(), period, timezone.localdate(),
              weekly.observation_state(), incident_picture.data_state())  # fmt: skip
    return kept("tertial", inputs, lambda: tertial.analyse(area, period), 3600)


def _context(user: Any, area: Area, period: tertial.Period) -> dict[str, Any]:
    found = _analysis(area, period)
    shown = disclosure_for(user, area)
    names = weekly.labels(r.code for r in found.rows if r.kind == weekly.OBSERVATION)
    return {
        "area": area,
        "found": found,
        "rows": [_row(r, shown, names) for r in found.rows],
        "places": [(p.name, *shown.counts([p.before, p.after])) for p in found.places],
        "weekdays": list(zip([WEEKDAYS[d] for d in range(7)], shown.counts(found.weekdays.counts), strict=True)),
        "parts": list(zip(Observation.PartOfDay.labels, shown.counts(found.parts.counts), strict=True)),
        "hours": list(zip(range(24), shown.counts(found.hours.counts), strict=True)),
        "actions": [(a, shown.counts(list(a.target))) for a in found.actions],
        "analyst": shown.full,
        "threshold": settings.LOFTE_SMALL_COUNT_THRESHOLD,
        "previous": tertial.Period(period.year - (period.number == 1), (period.number - 2) % 3 + 1).label,
        "next": tertial.Period(period.year + (period.number == 3), period.number % 3 + 1).label,
        "comparisons": len(found.rows),
        "hot": found.hotspots.hot,
    }


def _row(row: tertial.ChangeRow, shown: Disclosure, names: dict[str, str]) -> dict[str, Any]:
    """A row as the user may see it: a small count hides its ratio and interval too (they give it back)."""
    change = row.change
    before, after = shown.counts([change.before, change.after])
    hidden = before is None or after is None
    return {"kind": row.kind, "label": names.get(row.code, row.code), "before": before, "after": after,
            "ratio": None if hidden else change.ratio, "low": None if hidden else change.ci_low,
            "high": None if hidden else change.ci_high, "verdict": str(change.verdict)}  # fmt: skip


@login_required
def tertial_page(request: HttpRequest, code: str) -> HttpResponse:
    area = area_for_situation(request.user, code)
    try:
        period = _chosen(request, area)
    except tertial.BadPeriod as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    ctx = _context(request.user, area, period)
    cells = disclosure_for(request.user, area).cells(ctx["found"].hotspots)
    ctx["map_data"] = {"outline": area.polygon, "places": places_on_map(area), "cells": cells, "showHotspots": True}
    return render(request, "observations/tertial.html", ctx)


@login_required
def tertial_pdf(request: HttpRequest, code: str) -> HttpResponse:
    area = area_for_situation(request.user, code)
    try:
        period = _chosen(request, area)
    except tertial.BadPeriod as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    ctx = _context(request.user, area, period) | {"LANGUAGE_CODE": get_language(), "today": timezone.localdate()}
    from weasyprint import HTML

    html = render_to_string("observations/tertial_print.html", ctx, request=request)
    pdf = HTML(string=html, base_url=settings.LOFTE_PUBLIC_URL).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tertial-{area.code}-{period.label}.pdf"'
    return response
