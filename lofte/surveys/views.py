"""Survey pages for the people who run a survey, and the public result page."""

import logging
import re
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lofte.analysis.sampling import SamplingError
from lofte.analysis.vocabulary import Verdict
from lofte.core.checks import public_url_is_default
from lofte.ingest.common import Reject, UnreadableFile
from lofte.surveys.models import Survey

from . import imports, letters, letters_shaped, sample
from .forms import BankItemsForm, ItemForm, ResponsesForm, SampleForm, SurveyDetailsForm, WaveForm
from .models import Invitation, Response
from .permissions import surveys as policy
from .results import compare_waves

LETTERS_TOKEN = re.compile(r"[a-z0-9]{8,40}")  # the survey page's name for one download of letters

audit = logging.getLogger("lofte.audit")


def get_survey_for(user: Any, slug: str, *, results: bool = False) -> Survey:
    """The survey if `user` may see it (or, with `results`, its results), else 404."""
    from .models import Survey

    survey = Survey.objects.select_related("area").filter(slug=slug).first()
    if survey is None or not policy.can(user, "results" if results else "view", survey):
        raise Http404("No such survey")
    return survey


def get_survey_to_run(user: Any, slug: str) -> Survey:
    """The survey if `user` may run it (samples, letters, imports): 404 if they may not see it, else 403."""
    survey = get_survey_for(user, slug)
    if not policy.can(user, "run", survey):
        raise PermissionDenied
    return survey


def _refuse(request: HttpRequest, form: BaseForm) -> None:
    """Tell what is wrong with a form posted from the survey page."""
    for field, errors in form.errors.items():
        messages.error(
            request, f"{form.fields[field].label if field in form.fields else ''}: {' '.join(str(e) for e in errors)}"
        )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "view"):
        raise PermissionDenied
    surveys = policy.visible(request.user).select_related("area")
    can_add = policy.organisations_for(request.user, "add").exists()
    return render(request, "surveys/index.html", {"surveys": surveys, "can_add": can_add})


def _per_wave(rows: QuerySet[Any]) -> Coalesce:
    """How many of `rows` belong to each wave, as a subquery. Counting both invitations and
    responses through joins multiplies them (1 000 letters x 500 answers = 500 000 rows a wave)."""
    counted = rows.filter(wave=OuterRef("pk")).order_by().values("wave").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@login_required
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_survey_for(request.user, slug)
    waves = list(
        survey.waves.annotate(invited=_per_wave(Invitation.objects.all()), answered=_per_wave(Response.objects.all()))
    )
    for wave in waves:
        wave.letter_seconds = letters.seconds_for(wave.invited)  # type: ignore[attr-defined]
        wave.shaped_seconds = letters_shaped.seconds_for(wave.invited)  # type: ignore[attr-defined]
    can_run = policy.can(request.user, "run", survey)
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "waves": waves,
            "items": survey.items.all(),
            "can_run": can_run,
            "letter_languages": [(code, name) for code, name in settings.LANGUAGES if code in letters_shaped.LANGUAGES],
            "sample_form": SampleForm(survey=survey) if can_run else None,
            "responses_form": ResponsesForm(survey=survey) if can_run else None,
            "wave_form": WaveForm() if can_run else None,
            "details_form": SurveyDetailsForm(
                initial={"name": survey.name, "name_en": survey.name_en, "published": survey.published}
            )
            if policy.can(request.user, "change", survey)
            else None,
            "bank_form": BankItemsForm(survey=survey) if can_run else None,
            "item_form": ItemForm() if can_run else None,
            "answered": Response.objects.filter(wave__survey=survey).exists(),
            "today": timezone.localdate(),
            "public_url_is_default": public_url_is_default(),
            "public_url": settings.LOFTE_PUBLIC_URL,
        },
    )


def _uploaded(upload: UploadedFile[Any], folder: str | Path, name: str) -> Path:
    """Save an uploaded file into `folder` (the readers take paths); return its path."""
    path = Path(folder) / name
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def _report(request: HttpRequest, rejects: Sequence[Reject]) -> None:
    if rejects:
        shown = "; ".join(f"{r.unit} {r.position}: {r.field}: {r.reason}" for r in rejects[:5])
        more = _(" (and %(n)d more)") % {"n": len(rejects) - 5} if len(rejects) > 5 else ""
        text = ngettext("%(n)d row rejected: %(shown)s%(more)s", "%(n)d rows rejected: %(shown)s%(more)s", len(rejects))
        messages.warning(request, text % {"n": len(rejects), "shown": shown, "more": more})


@login_required
@require_POST
def draw_sample(request: HttpRequest, slug: str) -> HttpResponseRedirect:
    survey = get_survey_to_run(request.user, slug)
    form = SampleForm(request.POST, request.FILES, survey=survey)
    if not form.is_valid():
        _refuse(request, form)
        return redirect("survey", slug=slug)
    data = form.cleaned_data
    with tempfile.TemporaryDirectory() as folder:
        frame_path = _uploaded(data["frame"], folder, "frame.csv")
        try:
            n, frame = sample.draw(
                data["wave"], frame_path, size=data["size"], method=data["allocation"], seed=data["seed"]
            )
        except (UnreadableFile, sample.SampleError, SamplingError) as exc:
            messages.error(request, str(exc).replace(str(frame_path), data["frame"].name))
            return redirect("survey", slug=slug)
    audit.info(
        "survey sample: user=%s survey=%s wave=%s invited=%d", request.user.username, survey.slug, data["wave"].pk, n
    )
    messages.success(
        request,
        _("%(n)d people invited to %(wave)s (of %(people)d in the frame's age groups).")
        % {"n": n, "wave": data["wave"].label, "people": len(frame.people)},
    )
    _report(request, frame.rejects)
    return redirect("survey", slug=slug)


@login_required
@require_POST
def import_responses(request: HttpRequest, slug: str) -> HttpResponseRedirect:
    survey = get_survey_to_run(request.user, slug)
    form = ResponsesForm(request.POST, request.FILES, survey=survey)
    if not form.is_valid():
        _refuse(request, form)
        return redirect("survey", slug=slug)
    data = form.cleaned_data
    with tempfile.TemporaryDirectory() as folder:
        path = _uploaded(data["file"], folder, "responses.csv")
        mapping = str(_uploaded(data["mapping"], folder, "mapping.toml")) if data["mapping"] else None
        try:
            result = imports.run(data["wave"], str(path), fmt=data["format"], mapping=mapping)
        except UnreadableFile as exc:
            messages.error(request, str(exc).replace(str(path), data["file"].name))
            return redirect("survey", slug=slug)
    counts = {"imported": result.imported, "unchanged": result.unchanged, "updated": result.updated,
              "rejected": len(result.rejects)}  # fmt: skip
    # The same sentence as the incident import page's, in the page's language (it was English on all).
    said = _("%(imported)s imported, %(unchanged)s unchanged, %(updated)s updated, %(rejected)s rejected") % counts
    messages.success(request, f"{data['file'].name}: {said}")
    _report(request, result.rejects)
    return redirect("survey", slug=slug)


@login_required
def letters_pdf(request: HttpRequest, slug: str, wave: int) -> HttpResponse:
    survey = get_survey_to_run(request.user, slug)
    found = get_object_or_404(survey.waves, pk=wave)
    kind = "remind" if request.GET.get("kind") == "remind" else "invite"
    language = request.GET.get("language", "")
    shaped = language in letters_shaped.LANGUAGES
    response = HttpResponse(content_type="application/pdf")
    name = f"{survey.slug}-{found.pk}-{kind}{'-' + language if shaped else ''}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    try:
        count = letters_shaped.send(response, found, kind, language) if shaped else letters.send(response, found, kind)
    except letters.LetterError as exc:
        return HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")
    if LETTERS_TOKEN.fullmatch(token := request.GET.get("token", "")):
        # Tells the survey page's script (letters.js) that the letters have arrived: readable by it.
        response.set_cookie(
            "lofte-letters", token, max_age=120, samesite="Lax", secure=request.is_secure(), httponly=False
        )
    audit.info(
        "survey letters: user=%s survey=%s wave=%s kind=%s language=%s letters=%d",
        request.user.username,
        survey.slug,
        found.pk,
        kind,
        language if shaped else "sv+en",
        count,
    )
    return response


def results(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_survey_for(request.user, slug, results=True)
    comparison = compare_waves(survey)
    # The whole area's verdict per question: the summary at the top, and each question's heading.
    verdicts = {row.code: row.verdict for row in comparison.rows if row.domain == "all"}
    counts = Counter(verdicts.values())
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "base": comparison.base,
            "follow": comparison.follow,
            "rows": comparison.rows,
            "notes": comparison.notes,
            "verdicts": verdicts,
            "summary": {
                "better": counts[Verdict.BETTER],
                "worse": counts[Verdict.WORSE],
                "change": counts[Verdict.CHANGE],
                "none": counts[Verdict.NONE],
                "uncompared": counts[None],
            },
        },
    )
