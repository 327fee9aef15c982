"""The organisation page of the staff workspace: members and roles, the areas linked, and the public
profile (website, contact, logo) shown on the organisation's promises."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lofte.accounts import members, profile
from lofte.accounts.models import Membership, Organisation, Role
from lofte.accounts.permissions import organisations
from lofte.core.params import as_id
from lofte.core.problems import InputProblem

from . import links
from .models import Area


@login_required
def organisation_page(request: HttpRequest) -> HttpResponse:
    managed = organisations.visible(request.user, "change").prefetch_related("areas")
    if not managed.exists():
        raise PermissionDenied
    rows = [
        {
            "organisation": org,
            "members": Membership.objects.filter(organisation=org).select_related("user"),
            "roles": [
                (role, label) for role, label in Role.choices if role in members.grantable_roles(request.user, org)
            ],
            "linkable": links.linkable_areas(request.user).exclude(pk__in=org.areas.all()),
        }
        for org in managed
    ]
    return render(request, "places/organisation.html", {"rows": rows})


def _managed(request: HttpRequest, pk: int) -> Organisation:
    org = organisations.visible(request.user, "change").filter(pk=pk).first()
    if org is None:
        raise Http404
    return org


def _done(request: HttpRequest, action: Callable[[], object]) -> HttpResponse:
    """Run `action()`; its refusal or problem becomes a message (or a 403), then back to the page."""
    try:
        action()
    except (members.MemberError, links.LinkError, InputProblem) as error:
        error.forbid()
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("organisation")


@login_required
@require_POST
def add_member(request: HttpRequest, pk: int) -> HttpResponse:
    org = _managed(request, pk)
    username, role = request.POST.get("username", "")[:150], request.POST.get("role", "")
    return _done(request, lambda: members.add_member(request.user, org, username=username, role=role))


@login_required
@require_POST
def invite_member(request: HttpRequest, pk: int) -> HttpResponse:
    org = _managed(request, pk)
    email, role, name = (request.POST.get(k, "")[:254] for k in ("email", "role", "name"))
    return _done(request, lambda: members.invite(request.user, org, email=email, role=role, name=name))


@login_required
@require_POST
def remove_member(request: HttpRequest, pk: int) -> HttpResponse:
    membership = Membership.objects.filter(pk=pk, organisation__in=organisations.visible(request.user, "change"))
    found = membership.select_related("user").first()
    if found is None:
        raise Http404
    return _done(request, lambda: members.remove_member(request.user, found))


@login_required
@require_POST
def change_area(request: HttpRequest, pk: int) -> HttpResponse:
    org = _managed(request, pk)
    area_id = as_id(request.POST.get("area"))
    area = Area.objects.filter(pk=area_id).first() if area_id is not None else None
    if area is None:
        messages.error(request, _("Choose an area."))
        return redirect("organisation")
    if request.POST.get("action") == "unlink":
        return _done(request, lambda: links.unlink_area(request.user, org, area))
    return _done(request, lambda: links.link_area(request.user, org, area))


@login_required
@require_POST
def change_profile(request: HttpRequest, pk: int) -> HttpResponse:
    org = _managed(request, pk)
    fields = {name: request.POST.get(name, "")[:300] for name in ("website", "contact_email", "contact_phone")}
    logo, remove = request.FILES.get("logo"), request.POST.get("remove_logo") == "1"
    return _done(request, lambda: profile.change_profile(request.user, org, logo=logo, remove_logo=remove, **fields))


def logo(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's logo (public: it is shown on the promises the organisation gives)."""
    found = Organisation.objects.filter(pk=pk).exclude(logo=None).values_list("logo", "logo_changed_at").first()
    if found is None:
        raise Http404
    data, changed = found
    response = HttpResponse(bytes(data or b""), content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    response["ETag"] = f'"{int(changed.timestamp())}"' if changed else '"0"'
    return response
