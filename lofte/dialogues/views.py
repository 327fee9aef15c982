"""The public "Tyck till" form of an area, and the staff pages for dialogues and moderation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lofte.core import hooks
from lofte.core.client import client_address
from lofte.core.problems import InputProblem
from lofte.places.models import Area
from lofte.places.permissions import areas as area_policy

from . import services
from .forms import StatementForm
from .forms_setup import DialogueForm
from .models import OpinionExercise, Statement, Theme
from .permissions import dialogues as dialogue_policy
from .permissions import statements as statement_policy


def speak_up(request: HttpRequest, code: str) -> HttpResponse:
    """An area's public form, and the statements members have published."""
    area = get_object_or_404(Area, code=code)
    if not hooks.ask("area_has_public_promise", area, default=False):
        raise Http404  # the form belongs to areas that have made a public promise
    form = StatementForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(client_address(request), area, form.cleaned_data["text"], get_language() or "")
        except InputProblem as problem:
            form.add_error("text", problem.message)
            status = problem.status if problem.status == 429 else 400
        else:
            messages.success(request, _("Thank you. Your statement is shown here once a member has read it."))
            return redirect("speak-up", code=code)
    elif request.method == "POST":
        status = 400
    published = Statement.objects.filter(area=area, status=Statement.Status.PUBLISHED).prefetch_related("themes")
    exercises = OpinionExercise.objects.filter(area=area, is_open=True)
    ctx = {"area": area, "form": form, "statements": published[:100], "exercises": exercises}
    return render(request, "dialogues/speak_up.html", ctx, status=status)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Dialogues of the user's areas and the statements waiting for moderation (for those who hold them)."""
    if not dialogue_policy.can(request.user, "add"):
        raise PermissionDenied
    editable = area_policy.visible(request.user, "change")
    moderated = statement_policy.visible(request.user, "moderate").filter(dialogue__isnull=True)
    pending = moderated.filter(status=Statement.Status.PENDING)
    # Decisions can be reversed: a statement published by mistake is taken down, one rejected by
    # mistake published after all.
    decided = moderated.exclude(status=Statement.Status.PENDING).filter(moderated_at__isnull=False)
    ctx = {
        "areas": editable,
        "dialogues": dialogue_policy.visible(request.user).filter(area__in=editable).select_related("area"),
        "pending": pending.select_related("area")[:200],
        "decided": decided.select_related("area", "moderated_by")
        .prefetch_related("themes")
        .order_by("-moderated_at")[:50],
        "themes": {a.pk: list(Theme.objects.filter(area=a)) for a in editable},
    }
    return render(request, "dialogues/index.html", ctx)


@login_required
def new_dialogue(request: HttpRequest, code: str) -> HttpResponse:
    area = get_object_or_404(area_policy.visible(request.user, "change"), code=code)
    form = DialogueForm(request.POST or None, area=area)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        organisations = fields.pop("organisations")
        dialogue = services.record_dialogue(request.user, area, organisations=organisations, **fields)
        messages.success(request, _("Saved."))
        return redirect("dialogue", pk=dialogue.pk)
    return render(request, "dialogues/new.html", {"area": area, "form": form}, status=400 if form.errors else 200)


@login_required
def dialogue(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(dialogue_policy.visible(request.user).select_related("area"), pk=pk)
    can_edit = dialogue_policy.can(request.user, "change", found)
    if request.method == "POST":
        try:
            services.add_statement(request.user, found, request.POST.get("text", ""),
                                   themes=request.POST.getlist("themes"))  # fmt: skip
        except InputProblem as problem:
            problem.forbid()
            messages.error(request, problem.message)
        return redirect("dialogue", pk=pk)
    # Dialogues are open data; their notes and the statements not (yet) published are the area's
    # organisations' own.
    member = area_policy.can(request.user, "use", found.area)
    statements = statement_policy.visible(request.user).filter(dialogue=found).prefetch_related("themes")
    ctx = {"dialogue": found, "can_edit": can_edit, "themes": Theme.objects.filter(area=found.area),
           "statements": statements, "member": member}  # fmt: skip
    return render(request, "dialogues/detail.html", ctx)


@login_required
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    statement = get_object_or_404(statement_policy.visible(request.user, "moderate"), pk=pk)
    publish = request.POST.get("action") == "publish"
    # A reversal keeps the statement's themes, unless new ones are chosen: taken down and published
    # again, it is filed as before.
    themes = request.POST.getlist("themes") or [theme.pk for theme in statement.themes.all()]
    services.moderate(request.user, statement, publish=publish, themes=themes)
    messages.success(request, _("Published.") if publish else _("Rejected."))
    return redirect("dialogues")
