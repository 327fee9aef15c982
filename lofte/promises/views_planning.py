"""The owners' planning pages: change a promise, add and change commitments, write updates.

The forms parse; `planning` checks the rights, validates and stores, and its errors land on the
field they name.
"""

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import BaseForm
from django.http import Http404, HttpRequest
from django.http.response import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lofte.accounts.permissions import Policy
from lofte.ingest.areas import read_outline_feature
from lofte.ingest.common import UnreadableFile
from lofte.places.models import Area, Place
from lofte.places.permissions import places as place_policy
from lofte.promises.models import Promise

from . import planning
from .forms import METRIC_HELP, CommitmentForm, NewPromiseForm, PlaceForm, PromiseForm, UpdateForm
from .permissions import commitments as commitment_policy
from .permissions import promises as promise_policy
from .views import get_promise_for


def _get(policy: Policy, user: Any, **lookup: Any) -> Any:
    """The object to change: 404 unless the user works on its promise, 403 unless they may change it."""
    seen = policy.visible(user, "work") if policy is promise_policy else policy.visible(user)
    found = seen.filter(**lookup).first()
    if found is None:
        raise Http404
    if not policy.can(user, "change", found):
        raise PermissionDenied
    return found


def _page(
    request: HttpRequest,
    promise: Promise,
    form: BaseForm,
    save: Callable[..., object],
    target: object,
    *,
    done: str,
    heading: str,
    **extra: Any,
) -> HttpResponse:
    """Show `form`; on a valid post, `save(user, target, **values)` and go back to the promise's page."""
    if request.method == "POST" and form.is_valid():
        values = form.values() if hasattr(form, "values") else form.cleaned_data
        try:
            save(request.user, target, **values)
        except planning.PlanningError as error:
            error.forbid()
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, done)
            return redirect("promise-work", slug=promise.slug)
    ctx = {"promise": promise, "form": form, "heading": heading, **extra}
    return render(request, "promises/plan_form.html", ctx, status=400 if form.errors else 200)


@login_required
def edit_promise(request: HttpRequest, slug: str) -> HttpResponse:
    promise = _get(promise_policy, request.user, slug=slug)
    form = PromiseForm(request.POST or None, instance=promise, user=request.user)
    return _page(
        request, promise, form, planning.change_promise, promise, done=_("Saved."), heading=_("Change the promise")
    )


@login_required
def add_commitment(request: HttpRequest, slug: str) -> HttpResponse:
    promise = _get(promise_policy, request.user, slug=slug)
    form = CommitmentForm(request.POST or None, promise=promise)
    return _page(
        request, promise, form, planning.add_commitment, promise, done=_("The commitment is added."),
        heading=_("New commitment"),
        metric_help=METRIC_HELP.items(),
    )  # fmt: skip


@login_required
def edit_commitment(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _get(commitment_policy, request.user, pk=pk)
    form = CommitmentForm(request.POST or None, instance=commitment, promise=commitment.promise)
    return _page(
        request, commitment.promise, form, planning.change_commitment, commitment, done=_("Saved."),
        heading=_("Change the commitment"),
        metric_help=METRIC_HELP.items(),
    )  # fmt: skip


@login_required
@require_POST
def delete_draft(request: HttpRequest, slug: str) -> HttpResponse:
    promise = _get(promise_policy, request.user, slug=slug)
    return _then(request, lambda: planning.delete_draft(request.user, promise), promise.slug,
                    _("The draft %(title)s is deleted.") % {"title": promise.title}, "dashboard")  # fmt: skip


@login_required
@require_POST
def withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    promise = _get(promise_policy, request.user, slug=slug)
    reason = request.POST.get("withdraw_reason", "")
    return _then(request, lambda: planning.withdraw(request.user, promise, reason=reason), promise.slug,
                    _("The promise is withdrawn. Its page says so, with your reason."), "promise-work",
                    slug=promise.slug)  # fmt: skip


@login_required
@require_POST
def remove_commitment(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _get(commitment_policy, request.user, pk=pk)
    slug = commitment.promise.slug
    return _then(request, lambda: planning.remove_commitment(request.user, commitment), slug,
                    _("The commitment is removed."), "promise-work", slug=slug)  # fmt: skip


def _then(
    request: HttpRequest, action: Callable[[], object], promise_slug: str, done: str, then: str, **args: Any
) -> HttpResponse:
    """Do `action` (a delete, a removal, a withdrawal); then say `done` and go to `then`, or back to the
    promise's page with the refusal."""
    try:
        action()
    except planning.PlanningError as error:
        error.forbid()
        messages.error(request, error.message)
        return redirect("promise-work", slug=promise_slug)
    messages.success(request, done)
    response: HttpResponse = redirect(then, **args)
    return response


@login_required
def add_update(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _get(commitment_policy, request.user, pk=pk)
    form = UpdateForm(request.POST or None)
    return _page(
        request, commitment.promise, form, planning.add_update, commitment, done=_("The update is saved."),
        heading=_("Update for residents"),
        commitment=commitment,
    )  # fmt: skip


@login_required
def new_promise(request: HttpRequest) -> HttpResponse:
    """A new draft: an area of the user's organisations or an uploaded outline, then the promise."""
    owned = promise_policy.organisations_for(request.user, "add")
    if not owned.exists():
        raise PermissionDenied
    form = NewPromiseForm(request.POST or None, request.FILES or None, owned=owned)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                parties = [data["organisation"], *data["partners"]]
                area = data["area"] or _uploaded_area(request.user, data)
                promise = planning.create_promise(
                    request.user,
                    area=area.code,
                    parties=[org.pk for org in parties],
                    **{name: data[name] for name in NEW_PROMISE_FIELDS},
                )
                if data.get("previous"):
                    planning.follow_on(request.user, data["previous"], promise)
        except planning.PlanningError as error:
            error.forbid()
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except UnreadableFile as error:
            form.add_error("area_file", str(error))
        else:
            messages.success(request, _("The draft is saved. Now add its commitments."))
            return redirect("promise-work", slug=promise.slug)
    return render(request, "promises/plan_form.html", {"form": form, "heading": _("New promise"), "upload": True},
                  status=400 if form.errors else 200)  # fmt: skip


NEW_PROMISE_FIELDS = ("slug", "title", "title_en", "problem", "problem_en", "period_start", "period_end")


def _uploaded_area(user: Any, data: Mapping[str, Any]) -> Area:
    upload = data["area_file"]
    name = Path(upload.name).name
    if upload.size > settings.LOFTE_MAX_OUTLINE_BYTES:
        limit = filesizeformat(settings.LOFTE_MAX_OUTLINE_BYTES)
        raise UnreadableFile(_("%(name)s: an outline file may be at most %(limit)s.") % {"name": name, "limit": limit})
    # The copy's name says nothing of its kind: read_outline_feature tells it by its content.
    with tempfile.NamedTemporaryFile(prefix="lofte-upload-") as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        outline = read_outline_feature(
            copy.name,
            crs=data["area_crs"] or None,
            feature=data["area_feature"] or 1,
            name=name,
            max_bytes=settings.LOFTE_MAX_OUTLINE_BYTES,
            max_vertices=settings.LOFTE_MAX_OUTLINE_VERTICES,
        )
    # The police's and the municipalities' files name their areas (NAMN, OMRADESKOD): typed fields win.
    area_name = data["area_name"] or outline.name
    area_code = data["area_code"] or slugify(outline.code or outline.name)
    if not (area_name and area_code):
        raise planning.PlanningError("area_name", _("The file names no area: give the new area a name and a code."))
    try:
        area = planning.create_area(
            user, name=area_name, code=area_code, polygon=outline.geometry, organisation=data["organisation"]
        )
    except planning.PlanningError as error:  # the area's fields have other names in the form
        field = {"name": "area_name", "code": "area_code", "polygon": "area_file"}.get(error.field, error.field)
        raise planning.PlanningError(field, error.message, error.status) from error
    # The other parties are invited: the new area becomes theirs too when they accept (invitations).
    return area


@login_required
def places_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The places of the promise's area on a map; owners and analysts add hot spots by clicking it."""
    promise = get_promise_for(request.user, slug, "work")
    form = PlaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            planning.add_place(request.user, promise, **form.cleaned_data)
        except planning.PlanningError as error:
            error.forbid()
            _place_error(form, error)
        else:
            messages.success(request, _("The place is added: officers can log visits there now."))
            return redirect("promise-places", slug=promise.slug)
    return _places(request, promise, form)


@login_required
def place_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One place of the promise's area: renamed, moved on the map (a click, or a new outline) or
    removed."""
    promise = get_promise_for(request.user, slug, "work")
    place = get_object_or_404(promise.area.places, pk=pk)
    initial = {name: getattr(place, name) for name in ("name", "lon", "lat", "radius_m", "polygon", "is_control")}
    form = PlaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            planning.change_place(request.user, place, **form.cleaned_data)
        except planning.PlanningError as error:
            error.forbid()
            _place_error(form, error)
        else:
            messages.success(request, _("The place is changed."))
            return redirect("promise-places", slug=promise.slug)
    return _places(request, promise, form, editing=place)


@login_required
@require_POST
def remove_place(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    promise = get_promise_for(request.user, slug, "work")
    place = get_object_or_404(promise.area.places, pk=pk)
    try:
        planning.remove_place(request.user, place)
    except planning.PlanningError as error:
        error.forbid()
        messages.error(request, error.message)
        return redirect("promise-place", slug=promise.slug, pk=place.pk)
    messages.success(request, _("The place %(name)s is removed.") % {"name": place.name})
    return redirect("promise-places", slug=promise.slug)


def _place_error(form: PlaceForm, error: planning.PlanningError) -> None:
    # "area": the point lies outside the area, which the longitude and latitude decide.
    field = "lon" if error.field == "area" else error.field
    form.add_error(field if field in form.fields else None, error.message)


def _places(request: HttpRequest, promise: Promise, form: PlaceForm, editing: Place | None = None) -> HttpResponse:
    places = list(promise.area.places.order_by("name"))
    map_data = {
        "outline": promise.area.polygon,
        "places": [{"name": p.name, "lon": p.lon, "lat": p.lat, "radius": p.radius_m, "polygon": p.polygon}
                   for p in places if p != editing],
    }  # fmt: skip
    ctx = {
        "promise": promise,
        "form": form,
        "places": places,
        "map_data": map_data,
        "editing": editing,
        "can_change": place_policy.can(request.user, "change"),
    }
    return render(request, "promises/places.html", ctx, status=400 if form.errors else 200)
