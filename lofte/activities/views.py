"""The officer's phone page: pick a place (nearest first), start a visit, end it; log a seizure."""

import math
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lofte.core.text import alphabetical
from lofte.places.models import Place
from lofte.places.permissions import places as place_policy

from . import services
from .forms import SeizureForm
from .models import Unit
from .permissions import logging_organisations


def _require_officer(user: Any) -> None:
    if not logging_organisations(user).exists():
        raise PermissionDenied


def _loggable_places(user: Any) -> Any:
    return place_policy.visible(user, "log").select_related("area")


def _places_by_distance(user: Any, lat: float | None, lon: float | None) -> list[tuple[Place, int | None]]:
    # Alphabetical as the page says until the position is known (Swedish order: å, ä, ö after z).
    places = sorted(_loggable_places(user), key=lambda p: alphabetical(p.name))
    if lat is None or lon is None:
        return [(p, None) for p in places]

    def metres(place: Place) -> int | None:
        plon, plat = place.centre()
        if plon is None or plat is None or lat is None or lon is None:
            return None
        dx = math.radians(plon - lon) * math.cos(math.radians(lat)) * 6_371_000
        dy = math.radians(plat - lat) * 6_371_000
        return round(math.hypot(dx, dy))

    # Places without a known centre come last.
    found = [(p, metres(p)) for p in places]
    return sorted(found, key=lambda item: math.inf if item[1] is None else item[1])


def _coordinate(request: HttpRequest, name: str, low: float, high: float) -> float | None:
    try:
        value = float(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if low <= value <= high else None


def _page(request: HttpRequest, seizure_form: SeizureForm | None = None, status: int = 200) -> HttpResponse:
    lat, lon = _coordinate(request, "lat", -90, 90), _coordinate(request, "lon", -180, 180)
    orgs = logging_organisations(request.user)
    ctx = {
        "visit": services.open_visit(request.user),
        "places": _places_by_distance(request.user, lat, lon),
        "units": Unit.objects.filter(organisation__in=orgs, active=True),
        "unit": request.session.get("lofte_unit"),
        "located": lat is not None,
        "max_minutes": int(services.max_visit().total_seconds() // 60),
        "seizure_form": seizure_form or SeizureForm(places=_loggable_places(request.user)),
    }
    template = "activities/_places.html" if request.headers.get("HX-Request") else "activities/phone.html"
    return render(request, template, ctx, status=status)


@login_required
def phone(request: HttpRequest) -> HttpResponse:
    """The patrol page; with ?lat=&lon= (from the phone's location) the nearest places come first."""
    _require_officer(request.user)
    return _page(request)


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    _require_officer(request.user)
    unit = request.POST.get("unit") or None
    request.session["lofte_unit"] = unit
    try:
        visit = services.start_visit(
            request.user, place=request.POST.get("place"), unit=unit, note=request.POST.get("note", "")[:2000]
        )
    except services.LogError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Visit at %(place)s started.") % {"place": visit.place})
    return redirect("patrol")


@login_required
@require_POST
def end(request: HttpRequest) -> HttpResponse:
    _require_officer(request.user)
    try:
        visit = services.end_visit(request.user, note=request.POST.get("note", "")[:2000])
    except services.LogError as exc:
        messages.error(request, exc.message)
    else:
        minutes = round(visit.minutes or 0)  # an ended visit has its minutes
        text = ngettext(
            "Visit at %(place)s ended after %(minutes)s minute.",
            "Visit at %(place)s ended after %(minutes)s minutes.",
            minutes,
        ) % {"place": visit.place, "minutes": minutes}
        if visit.auto_closed:
            text += " " + _("It ran over the longest allowed visit and was closed at that.")
        messages.success(request, text)
    return redirect("patrol")


@login_required
@require_POST
def seizure(request: HttpRequest) -> HttpResponse:
    """Log a seizure at one of the places the officer may log at (the API's path: services.log_seizure)."""
    _require_officer(request.user)
    form = SeizureForm(request.POST, places=_loggable_places(request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            found = services.log_seizure(
                request.user,
                date=data["date"],
                place=data["place"].pk,
                category=data["category"],
                kind=data["kind"],
                quantity=data["quantity"],
                unit=data["unit"],
                automatic=data["automatic"],
                note=data["note"],
            )
        except services.LogError as exc:
            exc.forbid()
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            amount = formats.number_format(found.quantity.normalize(), use_l10n=True)
            messages.success(
                request,
                _("Seizure logged: %(amount)s %(unit)s %(kind)s at %(place)s.")
                % {"amount": amount, "unit": found.get_unit_display(), "kind": found.kind, "place": found.place},
            )
            return redirect("patrol")
    return _page(request, form, status=400)
