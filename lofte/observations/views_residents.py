"""Residents' reports of unsafe places: the area's public form and list, and their moderation."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lofte.core import hooks
from lofte.core.client import client_address
from lofte.core.problems import InputProblem
from lofte.incidents.disclosure import area_for_situation
from lofte.incidents.maps import places_on_map
from lofte.places.models import Area

from . import residents
from .forms_residents import ResidentReportForm
from .models import ResidentReport
from .permissions import actions as action_policy
from .permissions import resident_reports as policy


def _public_area(code: str) -> Area:
    area = get_object_or_404(Area, code=code)
    if not hooks.ask("area_has_public_promise", area, default=False):
        raise Http404  # residents report in areas that have made a public promise, as they speak up there
    return area


def report_place(request: HttpRequest, code: str) -> HttpResponse:
    """The area's public form: mark an unsafe place and say what makes it so."""
    area = _public_area(code)
    form = ResidentReportForm(request.POST or None, area=area)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            residents.submit(client_address(request), area, language=get_language() or "", **form.values())
        except InputProblem as problem:
            form.add_error(problem.field if problem.field in form.fields else "text", problem.message)
            status = problem.status if problem.status == 429 else 400
        else:
            messages.success(
                request, _("Thank you. Your report is shown on the area's list once a member has read it.")
            )
            return redirect("resident-reports", code=code)
    elif request.method == "POST":
        status = 400
    ctx = {"area": area, "form": form, "map_data": {"outline": area.polygon, "places": places_on_map(area)}}
    return render(request, "observations/resident_form.html", ctx, status=status)


def reports(request: HttpRequest, code: str) -> HttpResponse:
    """The area's published reports with their status and the action taken, on a map and in a list."""
    area = _public_area(code)
    shown = (
        ResidentReport.objects.filter(area=area, moderation=ResidentReport.Moderation.PUBLISHED)
        .select_related("category__parent", "place", "action")
        .order_by("-created_at")[:200]
    )
    points = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
             "properties": {"type": f"{r.category.local_label()}: {r.get_status_display()}"}}
            for r in shown
        ],
    }  # fmt: skip
    ctx = {"area": area, "reports": shown, "map_data": {"outline": area.polygon, "places": [], "points": points}}
    return render(request, "observations/resident_reports.html", ctx)


@login_required
def moderation(request: HttpRequest, code: str) -> HttpResponse:
    """The area's residents' reports for its organisations: moderate, follow up, link an action."""
    area = area_for_situation(request.user, code)
    rows = policy.visible(request.user).filter(area=area).select_related("category__parent", "place", "action")
    ctx: dict[str, Any] = {
        "area": area,
        "pending": rows.filter(moderation=ResidentReport.Moderation.PENDING),
        "decided": rows.exclude(moderation=ResidentReport.Moderation.PENDING)[:100],
        "may_moderate": policy.can(request.user, "moderate")
        and rows.exists()
        and policy.can(request.user, "moderate", rows.first()),
        "actions": action_policy.visible(request.user).filter(area=area).order_by("-pk")[:100],
        "statuses": ResidentReport.Status.choices,
        "contact_days": settings.LOFTE_RESIDENT_CONTACT_DAYS,
    }
    return render(request, "observations/resident_moderation.html", ctx)


@login_required
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    try:
        if "publish" in request.POST:
            residents.moderate(request.user, report, publish=request.POST["publish"] == "1")
        else:
            action = request.POST.get("action", "")
            told = residents.follow_up(
                request.user, report, status=request.POST.get("status", ""), note=request.POST.get("status_note", ""),
                action=int(action) if action.isdigit() else None,
            )  # fmt: skip
            if told:
                messages.success(request, _("Saved. The resident was told by e-mail."))
    except InputProblem as problem:
        problem.forbid()
        messages.error(request, problem.message)
    return redirect("resident-moderation", code=report.area.code)


def _report(request: HttpRequest, pk: int) -> ResidentReport:
    report = policy.visible(request.user).select_related("area").filter(pk=pk).first()
    if report is None:
        raise Http404("No such report")
    if not policy.can(request.user, "moderate", report):
        raise PermissionDenied
    return report
