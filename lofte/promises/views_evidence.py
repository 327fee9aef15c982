"""An area's evidence matrix for its members: candidate problems against the survey, the dialogues and
the incidents, sortable, with the rationale of the area's promises beside it: the step in which the
problem of a promise is chosen, so it lives with the promises and reads the evidence of `dialogues`."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponse
from django.shortcuts import get_object_or_404, render

from lofte.dialogues.evidence import evidence
from lofte.places.permissions import areas as area_policy

from .permissions import promises as promise_policy

SORTS = {
    "survey": lambda r: -((r.survey or {}).get("share") or 0),
    "statements": lambda r: -r.statements,
    "incidents": lambda r: -(r.incidents or 0),
    "problem": lambda r: r.problem,
}


@login_required
def evidence_page(request: HttpRequest, code: str) -> HttpResponse:
    area = get_object_or_404(area_policy.visible(request.user, "situation"), code=code)
    sort = request.GET.get("sort", "survey")
    rows = sorted(evidence(area, request.user), key=SORTS.get(sort, SORTS["survey"]))
    promises = promise_policy.visible(request.user, "work").filter(area=area)
    ctx = {"area": area, "rows": rows, "sort": sort, "promises": promises,
           "threshold": settings.LOFTE_SMALL_COUNT_THRESHOLD,
           "can_set_up": area_policy.can(request.user, "change", area),
           "can_change": {p.pk: promise_policy.can(request.user, "change", p) for p in promises}}  # fmt: skip
    return render(request, "promises/evidence.html", ctx)
