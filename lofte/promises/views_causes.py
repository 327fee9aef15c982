"""The cause analysis page of a promise: the problem triangle and the cause tree."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from lofte.core.problems import InputProblem

from . import causes
from .models import TRIANGLE, Cause
from .permissions import promises as policy
from .views import get_promise_for


@login_required
def causes_page(request: HttpRequest, slug: str) -> HttpResponse:
    promise = get_promise_for(request.user, slug, "work")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "triangle":
                causes.save_triangle(request.user, promise, request.POST)
            elif action == "add":
                causes.add_cause(request.user, promise, text=request.POST.get("text", ""),
                                 parent=request.POST.get("parent") or None, text_en=request.POST.get("text_en", ""),
                                 evidence=request.POST.get("evidence", ""),
                                 commitments=request.POST.getlist("commitments"))  # fmt: skip
            elif action == "remove":
                causes.remove_cause(
                    request.user, get_object_or_404(Cause, promise=promise, pk=request.POST.get("cause"))
                )
        except InputProblem as problem:
            problem.forbid()
            messages.error(request, problem.message)
        else:
            messages.success(request, _("Saved."))
        return redirect("promise-causes", slug=slug)
    ctx = {
        "promise": promise,
        "sides": [(side, label, promise.triangle.get(side, "")) for side, label in TRIANGLE],
        "tree": causes.tree(promise),
        "commitments": promise.commitments.all(),
        "can_change": policy.can(request.user, "change", promise),
    }
    return render(request, "promises/causes.html", ctx)
