import csv

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lofte.core import spreadsheet

from .disclosure import area_for_situation, disclosure_for
from .forms import SituationFilterForm
from .inside import AreaIncidents
from .situation import hotspot_layers, latest_day, situation, types_in


def _filtered(request, area, shown):
    """The filter form (defaults: the twelve months up to the area's latest incident) and its result."""
    inside = AreaIncidents.of(area)
    form = SituationFilterForm(
        request.GET,
        types=types_in(area, inside=inside),
        default_end=latest_day(area, inside=inside),
        analyst=shown.full,
    )
    if not form.is_valid():
        return form, None
    return form, situation(area, form.filters(), inside=inside)


def lorenz_points(concentration, points=101):
    """The Lorenz curve thinned to about `points` SVG points in a 100 x 100 box (y grows downwards)."""
    p, q = concentration.lorenz_places, concentration.lorenz_incidents
    step = max(1, len(p) // points)
    keep = list(range(0, len(p), step)) + [len(p) - 1]
    return [(round(p[i] * 100, 2), round(100 - q[i] * 100, 2)) for i in keep]


@login_required
def situation_page(request, code):
    area = area_for_situation(request.user, code)
    shown = disclosure_for(request.user, area)
    form, result = _filtered(request, area, shown)
    analyst = shown.full
    ctx = {
        "area": area,
        "form": form,
        "result": result,
        "analyst": analyst,
        "threshold": settings.LOFTE_SMALL_COUNT_THRESHOLD,
        "tiles_url": settings.LOFTE_TILES_URL,
    }
    if result is not None:
        ctx["counts"] = shown.count_table(result)
        ctx["top_places"] = shown.top_places(result)
        layer = shown.map_layer(result)
        threshold = settings.LOFTE_SMALL_COUNT_THRESHOLD
        layers = hotspot_layers(
            area,
            result.frame,
            threshold=threshold,
            analyst=analyst,
            cell=form.cleaned_data.get("cell"),
            bandwidth=form.cleaned_data.get("bandwidth"),
        )
        ctx["layers"] = layers
        if layers.concentration is not None:
            ctx["lorenz"] = lorenz_points(layers.concentration)
        ctx["map_data"] = {"outline": area.polygon, "layer": layer, "points": analyst, "cells": layers.cells}
    template = "incidents/_situation.html" if request.headers.get("HX-Request") else "incidents/situation.html"
    return render(request, template, ctx)


@login_required
def situation_export(request, code):
    """CSV: incident rows for analysts, type x month counts with small counts suppressed for others."""
    area = area_for_situation(request.user, code)
    shown = disclosure_for(request.user, area)
    form, result = _filtered(request, area, shown)
    if result is None:
        return HttpResponse(
            _("Invalid filters: %(errors)s") % {"errors": form.errors.as_text()},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="situation-{area.code}.csv"'
    writer = csv.writer(response)
    if shown.full:
        shown.log("incident rows exported", result.total)
        writer.writerow(["source", "source_id", "occurred_from", "type", "nature", "lon", "lat", "accuracy", "place"])
        for row in result.frame.itertuples():
            writer.writerow(
                spreadsheet.row(
                    [
                        row.source,
                        row.source_id,
                        row.occurred_from.isoformat(),
                        row.type,
                        row.nature,
                        row.lon,
                        row.lat,
                        row.accuracy,
                        row.place_text,
                    ]
                )
            )
        return response
    counts = shown.count_table(result)
    writer.writerow(["type", *result.months, "total"])
    for row in counts.rows:
        name = spreadsheet.cell(row.type) if row.type is not None else "(other types)"
        writer.writerow([name, *map(_csv_count, row.months), _csv_count(row.total)])
    if counts.rows:
        writer.writerow(["(all types)", *map(_csv_count, counts.monthly_total), _csv_count(counts.total)])
    return response


def _csv_count(cell):
    """A count, "<5" when small, "x" when hidden so that a small one cannot be worked out."""
    if cell.value is not None:
        return cell.value
    return f"<{settings.LOFTE_SMALL_COUNT_THRESHOLD}" if cell.small else "x"
