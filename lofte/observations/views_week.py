"""The weekly picture of an area for its partners: each category against what the area's history
expects, the week's observations on the map over the year's hot spots, and the weekly e-mail."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lofte.incidents.disclosure import area_for_situation, disclosure_for
from lofte.incidents.maps import places_on_map
from lofte.incidents.picture import picture
from lofte.incidents.situation import Filters

from . import actions as service
from . import weekly
from .models import Action, WeeklyDigest
from .permissions import actions as action_policy
from .permissions import resident_reports as resident_policy


@login_required
def week(request: HttpRequest, code: str) -> HttpResponse:
    user: Any = request.user  # signed in (login_required)
    area = area_for_situation(user, code)
    try:
        monday = weekly.chosen_week(request.GET.get("week"), area)
    except weekly.BadWeek as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    found = weekly.week_picture(area, monday)
    shown = disclosure_for(user, area)
    rows = weekly.shown_rows(found, shown)
    codes = [r["code"] for r in rows if r["kind"] == weekly.OBSERVATION] + [p.category for p in found.points]
    names = weekly.labels(codes)
    for row in rows:
        row["label"] = names.get(row["code"], row["code"])
    year = picture(area, Filters(start=found.sunday - timedelta(days=364), end=found.sunday), only="layers").layers
    points = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
             "properties": {"type": f"{names.get(p.category, p.category)} {p.day:%Y-%m-%d}"}}
            for p in found.points
        ],
    }  # fmt: skip
    this_week = weekly.monday_of(timezone.localdate())
    ctx: dict[str, Any] = {
        "area": area,
        "found": found,
        "observation_rows": [r for r in rows if r["kind"] == weekly.OBSERVATION],
        "incident_rows": [r for r in rows if r["kind"] == weekly.INCIDENT],
        "analyst": shown.full,
        "threshold": settings.LOFTE_SMALL_COUNT_THRESHOLD,
        "previous": weekly.week_label(monday - timedelta(days=7)),
        "next": weekly.week_label(monday + timedelta(days=7)) if monday < this_week else "",
        "ongoing": monday == this_week,
        "layers": year,
        "map_data": {
            "outline": area.polygon,
            "cells": shown.cells(year) if year else None,
            "places": places_on_map(area),
            "points": points,
            "showHotspots": True,
        },
        "digest": WeeklyDigest.objects.filter(user=user, area=area).exists(),
        "actions": _actions(user, area, found),
        "residents_waiting": resident_policy.visible(user).filter(area=area, moderation="pending").count(),
        "may_act": action_policy.can(user, "add") and service.acting_areas(user).filter(pk=area.pk).exists(),
    }
    ctx["map_data"]["actions"] = [
        {"name": a.title, "lon": lon, "lat": lat}
        for a in ctx["actions"]
        if a.place and (lon := a.place.centre()[0]) is not None and (lat := a.place.centre()[1]) is not None
    ]
    return render(request, "observations/week.html", ctx)


def _actions(user: Any, area: Any, found: weekly.WeekPicture) -> list[Action]:
    """The area's actions open at the end of the week (also those recorded since: the weekly meeting
    records them looking at last week's picture), or done during it."""
    rows = action_policy.visible(user).filter(area=area)
    open_then = Q(status__in=[Action.Status.PLANNED, Action.Status.UNDER_WAY]) | Q(done_on__gt=found.sunday)
    done_then = Q(done_on__gte=found.monday, done_on__lte=found.sunday)
    return list(rows.filter(open_then | done_then).select_related("organisation", "place").order_by("due", "pk"))


@login_required
@require_POST
def week_digest(request: HttpRequest, code: str) -> HttpResponse:
    """Start or stop the weekly e-mail of the area's picture (`wanted`: "1" or "0")."""
    user: Any = request.user  # signed in (login_required)
    area = area_for_situation(user, code)
    if request.POST.get("wanted") == "1":
        if not user.email:
            messages.error(request, _("Your account has no e-mail address: ask your organisation's administrator."))
        else:
            WeeklyDigest.objects.get_or_create(user=user, area=area)
            wanted = _("You get the weekly picture of %(area)s by e-mail every Monday.")
            messages.success(request, wanted % {"area": area})
    else:
        WeeklyDigest.objects.filter(user=user, area=area).delete()
        messages.success(request, _("The weekly e-mail of %(area)s is stopped.") % {"area": area})
    return redirect("area-week", code=area.code)
