"""Changing a survey from its staff page: waves, their opening, questions from the bank or written
here. Each form posts here and goes back to the survey's page with what happened."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import Http404, HttpRequest
from django.http.response import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lofte.surveys.models import Survey
from lofte.surveys.permissions import surveys as survey_policy

from . import editing
from .forms import BankItemsForm, ItemForm, SurveyDetailsForm, SurveyForm, WaveForm
from .views import get_survey_for


def _apply(request: HttpRequest, survey: Survey, form: BaseForm, change: Callable[..., object]) -> HttpResponseRedirect:
    """`change(**values)` when the form is valid; every problem becomes a message on the survey's page."""
    if form.is_valid():
        values = form.values() if hasattr(form, "values") else form.cleaned_data
        try:
            change(**values)
        except editing.EditError as error:
            error.forbid()
            messages.error(request, f"{error.field}: {error.message}")
        else:
            messages.success(request, _("Saved."))
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(str(e) for e in errors)}")
    return redirect("survey", slug=survey.slug)


def _survey(request: HttpRequest, slug: str) -> Survey:
    survey = get_survey_for(request.user, slug)
    if not survey_policy.can(request.user, "change", survey):
        raise PermissionDenied
    return survey


@login_required
@require_POST
def change_survey(request: HttpRequest, slug: str) -> HttpResponseRedirect:
    survey = _survey(request, slug)
    form = SurveyDetailsForm(request.POST)
    return _apply(request, survey, form, lambda **v: editing.change_survey(request.user, survey, **v))


@login_required
@require_POST
def add_wave(request: HttpRequest, slug: str) -> HttpResponseRedirect:
    survey = _survey(request, slug)
    return _apply(request, survey, WaveForm(request.POST), lambda **v: editing.add_wave(request.user, survey, **v))


@login_required
@require_POST
def open_or_close_wave(request: HttpRequest, slug: str, wave: int) -> HttpResponseRedirect:
    survey = _survey(request, slug)
    found = survey.waves.filter(pk=wave).first()
    if found is None:
        raise Http404
    if request.POST.get("action") == "close":
        editing.close_wave(request.user, found)
        messages.success(request, _("The wave is closed."))
    else:
        editing.open_wave(request.user, found)
        messages.success(request, _("The wave is open."))
    return redirect("survey", slug=survey.slug)


@login_required
@require_POST
def add_bank_items(request: HttpRequest, slug: str) -> HttpResponseRedirect:
    survey = _survey(request, slug)
    form = BankItemsForm(request.POST, survey=survey)
    return _apply(request, survey, form, lambda codes: editing.add_bank_items(request.user, survey, codes))


@login_required
@require_POST
def add_item(request: HttpRequest, slug: str) -> HttpResponseRedirect:
    survey = _survey(request, slug)
    return _apply(request, survey, ItemForm(request.POST), lambda **v: editing.add_item(request.user, survey, **v))


@login_required
def new_survey(request: HttpRequest) -> HttpResponse:
    """Start a survey for an organisation the user runs surveys for; waves and questions are added
    on its page."""
    organisations = survey_policy.organisations_for(request.user, "add")
    if not organisations.exists():
        raise PermissionDenied
    form = SurveyForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            survey = editing.create_survey(request.user, **form.cleaned_data)
        except editing.EditError as error:
            error.forbid()
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The survey is started: add its waves and questions."))
            return redirect("survey", slug=survey.slug)
    return render(request, "surveys/new.html", {"form": form}, status=400 if form.errors else 200)
