"""Survey pages for the people who run a survey, and the public result page."""

import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from lofte.accounts import policies

from . import letters
from .results import comparison_table, wave_estimates, waves_to_compare

audit = logging.getLogger("lofte.audit")


def get_survey_for(user, slug, *, results=False):
    """The survey if `user` may see it (or, with `results`, its results), else 404."""
    from .models import Survey

    survey = Survey.objects.select_related("area").filter(slug=slug).first()
    allowed = survey is not None and (policies.surveys.can_see_results(user, survey) if results
                                      else policies.surveys.visible(user).filter(pk=survey.pk).exists())
    if not allowed:
        raise Http404("No such survey")
    return survey


@login_required
def index(request):
    surveys = policies.surveys.visible(request.user).select_related("area")
    return render(request, "surveys/index.html", {"surveys": surveys})


@login_required
def detail(request, slug):
    survey = get_survey_for(request.user, slug)
    waves = survey.waves.annotate(
        invited=Count("invitations", distinct=True),
        used=Count("invitations", filter=Q(invitations__used=True), distinct=True),
        answered=Count("responses", distinct=True),
    )
    return render(request, "surveys/detail.html", {
        "survey": survey, "waves": waves, "items": survey.items.all(),
        "can_run": policies.surveys.can_run(request.user, survey),
    })


@login_required
def letters_pdf(request, slug, wave):
    survey = get_survey_for(request.user, slug)
    if not policies.surveys.can_run(request.user, survey):
        raise PermissionDenied
    wave = get_object_or_404(survey.waves, pk=wave)
    kind = "remind" if request.GET.get("kind") == "remind" else "invite"
    try:
        recipients = list(letters.recipients(wave, kind))
    except letters.LetterError as exc:
        return HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")
    audit.info("survey letters: user=%s survey=%s wave=%s kind=%s letters=%d",
               request.user.username, survey.slug, wave.pk, kind, len(recipients))
    response = HttpResponse(content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{survey.slug}-{wave.pk}-{kind}.pdf"'
    letters.write(response, wave, recipients, kind=kind)
    return response


def results(request, slug):
    survey = get_survey_for(request.user, slug, results=True)
    base, follow = waves_to_compare(survey)
    items = list(survey.items.filter(background=False))
    estimates = {}
    rows = []
    if base and follow:
        estimates = {w.pk: wave_estimates(w, items, index=survey.problem_index) for w in (base, follow)}
        rows = comparison_table(estimates[base.pk], estimates[follow.pk], items, index=survey.problem_index)
    return render(request, "surveys/results.html", {
        "survey": survey, "base": base, "follow": follow, "rows": rows,
        "notes": sorted({n for e in estimates.values() for n in e.notes}),
        "respondents": {k: e.respondents for k, e in estimates.items()},
    })
