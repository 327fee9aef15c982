"""The reporters' phone page: report what you saw, and see your own reports."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lofte.incidents.maps import places_on_map

from . import services
from .actions import answering
from .forms import ObservationForm
from .permissions import observations as policy


@login_required
def report(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "report"):
        raise PermissionDenied
    form = ObservationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            found = services.report(request.user, **form.values())
        except services.ReportError as error:
            error.forbid()
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("Reported: %(category)s on %(day)s. Thank you.")
                % {"category": found.category.local_label(), "day": found.occurred_on.isoformat()},
            )
            return redirect("observation-report")
    mine = policy.visible(request.user).filter(created_by=request.user).select_related("category__parent", "place")
    latest = list(mine[:20])
    feedback = answering(latest)
    ctx = {"form": form, "mine": [(o, feedback[o.pk]) for o in latest], "map_data": _map(request.user)}
    return render(request, "observations/report.html", ctx, status=400 if form.errors else 200)


def _map(user: Any) -> dict[str, Any]:
    """The outlines and places of the areas the reporter reports in, to tap a point on."""
    areas = list(services.reporting_areas(user))
    outline = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": a.polygon, "properties": {}} for a in areas
    ]}  # fmt: skip
    return {"outline": outline, "places": [p for a in areas for p in places_on_map(a)]}
