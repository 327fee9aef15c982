"""An area's public page: its promises over the years with what became of them, and where residents
can have their say."""

from django.http import HttpRequest
from django.http.response import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from lofte.dialogues.models import OpinionExercise
from lofte.places.models import Area

from .follow_up import follow_up
from .outcomes import verdict
from .permissions import promises as policy
from .progress import Tally


def area_page(request: HttpRequest, code: str) -> HttpResponse:
    area = get_object_or_404(Area, code=code)
    today = timezone.localdate()
    rows = []
    for promise in policy.visible(request.user).filter(area=area).order_by("-period_start"):
        tally = Tally.of(p.status for p in follow_up(promise, today).progress.values())
        rows.append({"promise": promise, "tally": tally, "verdict": verdict(promise, today)})
    ctx = {"area": area, "rows": rows, "exercises": OpinionExercise.objects.filter(area=area, is_open=True)}
    return render(request, "promises/area.html", ctx)
