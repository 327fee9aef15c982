import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from lofte.analysis.concentration import Concentration
from lofte.core import hooks, spreadsheet
from lofte.incidents.disclosure import Disclosure
from lofte.incidents.picture import Picture
from lofte.places.models import Area

from .disclosure import area_for_situation, disclosure_for
from .forms import SituationFilterForm
from .maps import places_on_map
from .picture import period_choices, picture
from .situation import incident_rows, per_thousand


def _filtered(request: HttpRequest, area: Area, shown: Disclosure) -> tuple[SituationFilterForm, Picture | None]:
    """The filter form (defaults: the period of the area's latest promise the user may see, else the
    twelve months up to the area's latest incident) and the situation picture it asks for (None when
    the filters are invalid)."""
    choices = period_choices(area)
    period = hooks.ask("area_promise_period", request.user, area)
    form = SituationFilterForm(
        request.GET, types=choices.types, default_end=choices.latest_day, default_period=period, analyst=shown.full,
        area=area,
    )  # fmt: skip
    if not form.is_valid():
        return form, None
    options = {"cell": form.cleaned_data.get("cell"), "bandwidth": form.cleaned_data.get("bandwidth")}
    return form, picture(area, form.filters(), **options)


def lorenz_points(concentration: Concentration, points: int = 101) -> list[tuple[float, float]]:
    """The Lorenz curve thinned to about `points` SVG points in a 100 x 100 box (y grows downwards)."""
    p, q = concentration.lorenz_places, concentration.lorenz_incidents
    step = max(1, len(p) // points)
    keep = list(range(0, len(p), step)) + [len(p) - 1]
    return [(round(p[i] * 100, 2), round(100 - q[i] * 100, 2)) for i in keep]


@login_required
def situation_page(request: HttpRequest, code: str) -> HttpResponse:
    area = area_for_situation(request.user, code)
    shown = disclosure_for(request.user, area)
    form, found = _filtered(request, area, shown)
    ctx: dict[str, Any] = {
        "area": area,
        "form": form,
        "result": found and found.situation,
        "analyst": shown.full,
        "threshold": settings.LOFTE_SMALL_COUNT_THRESHOLD,
    }
    if found is not None:
        assert found.situation and found.squares and found.layers  # every part was asked for
        ctx["counts"] = shown.count_table(found.situation)
        ctx["rate"] = per_thousand(area, found.situation, ctx["counts"].total.value)
        ctx["top_places"] = shown.top_places(found.situation)
        ctx["layers"] = found.layers
        if found.layers.concentration is not None:
            ctx["lorenz"] = lorenz_points(found.layers.concentration)
        # Squares only: analysts' maps fetch the points of what they look at from the API.
        ctx["map_data"] = {
            "outline": area.polygon,
            "layer": shown.squares(found.squares),
            "cells": shown.cells(found.layers),
            "places": places_on_map(area),
        }
        ctx["points_url"] = reverse("api:get_situation_map", args=[area.code]) if shown.full else ""
        filters = found.situation.filters
        observed = hooks.ask("area_observations", request.user, area, filters.start, filters.end, shown)
        if observed is not None:
            ctx["observed"] = observed
            ctx["map_data"]["points"] = observed["points"]
            ctx["map_data"]["actions"] = observed["actions"]
    template = "incidents/_situation.html" if request.headers.get("HX-Request") else "incidents/situation.html"
    return render(request, template, ctx)


@login_required
def situation_export(request: HttpRequest, code: str) -> HttpResponse | StreamingHttpResponse:
    """CSV: incident rows for analysts, type x month counts with small counts suppressed for others."""
    area = area_for_situation(request.user, code)
    shown = disclosure_for(request.user, area)
    form, found = _filtered(request, area, shown)
    if found is None:
        return HttpResponse(
            _("Invalid filters: %(errors)s") % {"errors": form.errors.as_text()},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    assert found.situation is not None  # every part was asked for
    if shown.full:
        shown.log("incident rows exported", found.situation.total)
        rows = incident_rows(area, form.filters())
        header = ["source", "source_id", "occurred_from", "type", "nature", "lon", "lat", "accuracy", "place"]
        return _csv_response(area, _rows_csv(header, rows))
    response = _csv_response(area)
    writer = csv.writer(response)
    for row in shown.count_table(found.situation).csv_rows(found.situation.months):
        writer.writerow(spreadsheet.row(row))
    return response


def _csv_response(area: Area, content: Iterable[str] | None = None) -> HttpResponse | StreamingHttpResponse:
    """A CSV download: streamed from `content` (an iterable of text), or to be written to."""
    kind = "text/csv; charset=utf-8"
    response = HttpResponse(content_type=kind) if content is None else StreamingHttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="situation-{area.code}.csv"'
    return response


def _rows_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV lines of the incident rows, written as they are read."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow(spreadsheet.row(row))
        if n % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
