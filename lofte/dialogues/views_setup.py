"""Setting up an area's dialogue themes and the candidate problems of its evidence matrix, in the
product rather than the admin (issue 24): the owners and analysts of the area's organisations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lofte.core.problems import InputProblem
from lofte.incidents.situation import types_in
from lofte.places.models import Area
from lofte.places.permissions import areas as area_policy
from lofte.surveys.models import Item
from lofte.surveys.permissions import surveys as survey_policy

from . import themes as changes
from .forms_setup import CandidateForm, ThemeForm
from .models import CandidateProblem
from .permissions import candidates as candidate_policy
from .permissions import themes as theme_policy


def _candidate_form(
    request: HttpRequest, area: Area, instance: CandidateProblem | None = None, *, bound: bool
) -> CandidateForm:
    """The form with the area's own choices: questions of the surveys of the area the user may see,
    and the incident types recorded in it; `bound` to the request's POST data."""
    surveys = survey_policy.visible(request.user).filter(area=area)
    questions: dict[str, str] = {}
    for item in Item.objects.filter(survey__in=surveys).select_related("survey").order_by("survey_id", "position"):
        questions.setdefault(item.code, f"{item.code}: {item.text()}")
    data = request.POST if bound else None
    return CandidateForm(data, instance=instance, area=area, questions=sorted(questions.items()), types=types_in(area))


@login_required
def setup(request: HttpRequest, code: str) -> HttpResponse:
    """An area's themes and candidate problems, with forms to add either."""
    area = get_object_or_404(area_policy.visible(request.user, "change"), code=code)
    adding = request.POST.get("add") if request.method == "POST" else None
    theme_form = ThemeForm(request.POST if adding == "theme" else None, area=area)
    candidate_form = _candidate_form(request, area, bound=adding == "candidate")
    status = 200
    if adding:
        form = theme_form if adding == "theme" else candidate_form
        if form.is_valid():
            form.instance.area = area
            form.save()
            messages.success(request, _("Saved."))
            return redirect("area-setup", code=code)
        status = 400
    ctx = {
        "area": area,
        "themes": theme_policy.visible(request.user, "change").filter(area=area).prefetch_related("statements"),
        "candidates": candidate_policy.visible(request.user, "change").filter(area=area).prefetch_related("themes"),
        "theme_form": theme_form,
        "candidate_form": candidate_form,
    }
    return render(request, "dialogues/setup.html", ctx, status=status)


@login_required
@require_POST
def theme(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename a theme, or remove one no statement is filed under."""
    found = get_object_or_404(theme_policy.visible(request.user, "change").select_related("area"), pk=pk)
    if request.POST.get("action") == "delete":
        try:
            changes.delete_theme(found)
        except InputProblem as problem:
            messages.error(request, problem.message)
        else:
            messages.success(request, _("Removed."))
        return redirect("area-setup", code=found.area.code)
    form = ThemeForm(request.POST, instance=found, area=found.area)
    if form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("area-setup", code=found.area.code)


@login_required
def candidate(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a candidate problem's name and what measures it, or remove it from the matrix."""
    found = get_object_or_404(candidate_policy.visible(request.user, "change").select_related("area"), pk=pk)
    if request.method == "POST" and request.POST.get("action") == "delete":
        found.delete()
        messages.success(request, _("Removed."))
        return redirect("area-setup", code=found.area.code)
    form = _candidate_form(request, found.area, found, bound=request.method == "POST")
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("area-setup", code=found.area.code)
    status = 400 if form.errors else 200
    return render(request, "dialogues/candidate.html", {"candidate": found, "form": form}, status=status)
