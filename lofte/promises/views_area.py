"""An area's public page: its promises over the years with what became of them, and where residents
can have their say."""

from django.http import HttpRequest
from django.http.response import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from lofte.analysis.vocabulary import Status
from lofte.dialogues.models import OpinionExercise
from lofte.places.models import Area

from .follow_up import follow_up
from .outcomes import verdict
from .permissions import promises as policy


def area_page(request: HttpRequest, code: str) -> HttpResponse:
    area = get_object_or_404(Area, code=code)
    today = timezone.localdate()
    rows = []
    for promise in policy.visible(request.user).filter(area=area).order_by("-period_start"):
        statuses = [p.status for p in follow_up(promise, today).progress.values()]
        measurable = [s for s in statuses if s != Status.UNMEASURABLE]
        rows.append({
            "promise": promise,
            "kept": sum(s == Status.KEPT for s in measurable),
            "measurable": len(measurable),
            "verdict": verdict(promise, today),
        })  # fmt: skip
    ctx = {"area": area, "rows": rows, "exercises": OpinionExercise.objects.filter(area=area, is_open=True)}
    return render(request, "promises/area.html", ctx)
