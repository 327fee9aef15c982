"""Answering an invitation to be a party to a promise (the list is on the dashboard)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lofte.core.problems import InputProblem

from . import invitations
from .permissions import invitations as invitation_policy


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    invitation = invitation_policy.visible(request.user, "answer").filter(pk=pk).first()
    if invitation is None:
        raise Http404
    accept = request.POST.get("answer") == "accept"
    try:
        invitations.answer(request.user, invitation, accept=accept)
    except InputProblem as problem:
        problem.forbid()
        messages.error(request, problem.message)
    else:
        text = _("%(organisation)s is now a party to %(promise)s.") if accept else _("The invitation is declined.")
        messages.success(request, text % {"organisation": invitation.organisation, "promise": invitation.promise})
    return redirect("dashboard")
