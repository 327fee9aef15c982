from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .forms import CaseForm, EventForm
from .models import AccessLog, CaseEvent, SupportCase, match_key
from .permissions import cases as policy


def _require_case_worker(user: Any) -> None:
    if not policy.can(user, "view"):
        raise PermissionDenied


def get_case_for(user: Any, pk: int) -> SupportCase:
    """The case if ``user`` may read it, else 404."""
    case = policy.visible(user).select_related("organisation").filter(pk=pk).first()
    if case is None:
        raise Http404("No such case")
    return case


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require_case_worker(request.user)
    cases = list(policy.visible(request.user).select_related("organisation"))
    for organisation in policy.organisations_for(request.user, "view"):
        shown = sum(case.organisation_id == organisation.pk for case in cases)
        AccessLog.record(request.user, "list", detail=f"{shown} cases", organisation=organisation)
    return render(request, "cases/index.html", {"cases": cases})


@login_required
def create(request: HttpRequest) -> HttpResponse:
    _require_case_worker(request.user)
    form = CaseForm(request.POST or None, organisations=policy.organisations_for(request.user, "add"))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            case = form.save(commit=False)
            if form.cleaned_data.get("identifier"):
                case.match_key = match_key(form.cleaned_data["identifier"])
            case.stamp(request.user)
            case.save()
            AccessLog.record(request.user, "create", case)
        return redirect("case", pk=case.pk)
    return render(request, "cases/form.html", {"form": form})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_case_worker(request.user)
    case = get_case_for(request.user, pk)
    form = EventForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            event = form.save(commit=False)
            event.case = case
            event.stamp(request.user)
            event.save()
            if event.kind == CaseEvent.Kind.STATUS:
                case.status = event.status
                if event.status in ("completed", "dropped"):
                    case.closed_on = event.date
                case.stamp(request.user)
                case.save()
            AccessLog.record(request.user, "update", case, f"{event.kind} {event.status or event.contact_kind}")
        return redirect("case", pk=case.pk)
    AccessLog.record(request.user, "read", case)
    return render(request, "cases/detail.html", {"case": case, "events": case.events.all(), "form": form})
