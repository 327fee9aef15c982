"""The actions of the shared situation picture: the list, a new one, and following one up."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import actions as service
from .forms_actions import ActionForm
from .models import Action
from .permissions import actions as policy


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "view"):
        raise PermissionDenied
    rows = policy.visible(request.user).select_related("area", "organisation", "place", "category__parent")
    area, status = request.GET.get("area", ""), request.GET.get("status", "")
    if area:
        rows = rows.filter(area__code=area)
    if status == "open":
        rows = rows.filter(status__in=[Action.Status.PLANNED, Action.Status.UNDER_WAY])
    elif status in Action.Status.values:
        rows = rows.filter(status=status)
    ctx = {
        "rows": rows.order_by("status", "due", "-pk")[:200],
        "areas": service.acting_areas(request.user),
        "chosen": {"area": area, "status": status},
        "statuses": Action.Status.choices,
        "may_add": policy.can(request.user, "add"),
    }
    return render(request, "observations/actions.html", ctx)


@login_required
def action_new(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "add"):
        raise PermissionDenied
    area = service.acting_areas(request.user).filter(code=request.GET.get("area", "")).first()
    if area is None:
        return render(request, "observations/action_area.html", {"areas": service.acting_areas(request.user)})
    initial: dict[str, Any] = {"status": Action.Status.PLANNED}
    if chosen := request.GET.get("observation", ""):
        initial["observations"] = [int(chosen)] if chosen.isdigit() else []
    form = ActionForm(request.POST or None, user=request.user, area=area, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            found = service.record(request.user, area=area.code, **form.values())
        except service.ActionError as error:
            error.forbid()
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The action is recorded."))
            return redirect("action", pk=found.pk)
    ctx = {"form": form, "area": area, "action": None}
    return render(request, "observations/action.html", ctx, status=400 if form.errors else 200)


@login_required
def action_page(request: HttpRequest, pk: int) -> HttpResponse:
    action = policy.visible(request.user).select_related("area").filter(pk=pk).first()
    if action is None:
        raise Http404("No such action")
    may_change = policy.can(request.user, "change", action)
    initial = {
        "title": action.title, "organisation": action.organisation_id, "place": action.place_id,
        "category": action.category.code if action.category else "", "due": action.due, "status": action.status,
        "done_on": action.done_on, "public_note": action.public_note,
        "observations": list(action.observations.values_list("pk", flat=True)),
    }  # fmt: skip
    data = request.POST if request.method == "POST" else None
    form = ActionForm(data, user=request.user, area=action.area, action=action, initial=initial)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                service.change(request.user, action, **form.values())
            except service.ActionError as error:
                error.forbid()
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("The action is saved."))
                return redirect("action", pk=action.pk)
    ctx = {"form": form, "area": action.area, "action": action, "may_change": may_change,
           "answered": action.observations.select_related("category__parent", "place")}  # fmt: skip
    return render(request, "observations/action.html", ctx, status=400 if form.errors else 200)
