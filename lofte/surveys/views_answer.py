"""The public questionnaire: a code opens it, each page is saved, the last one submits."""

from django.http import HttpRequest
from django.http.response import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lofte.core.client import client_address
from lofte.core.limits import count_in_hour, counted_in_hour

from . import answering
from .models import Invitation

SESSION_KEY = "survey_invitation"
# Wrong codes allowed per hour: a browser gets enough for typos (counted in a signed cookie, so that a
# wrong code stores nothing); an address gets far more, because a whole area's residents may share
# one (a proxy, a library, a mobile operator). Either is far too few to guess one of 2^50 codes.
MAX_FAILED_PER_BROWSER = 20
MAX_FAILED_PER_ADDRESS = 5000
TRIES_COOKIE = "lofte_code_tries"


def _address_key(request: HttpRequest) -> str:
    return f"survey-code-failures:a:{client_address(request)}"


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    error, tries = None, 0
    if request.method == "POST":
        tries = int(request.get_signed_cookie(TRIES_COOKIE, default="0", salt=TRIES_COOKIE, max_age=3600) or 0)
        if tries >= MAX_FAILED_PER_BROWSER or counted_in_hour(_address_key(request)) >= MAX_FAILED_PER_ADDRESS:
            error = _("Too many wrong codes. Try again in an hour.")
        else:
            try:
                invitation = answering.invitation_for(request.POST.get("code", ""))
            except answering.CodeRefused as refusal:
                error, tries = str(refusal), tries + 1
                count_in_hour(_address_key(request))
            else:
                request.session.cycle_key()
                request.session[SESSION_KEY] = invitation.pk
                page = int((invitation.draft or {}).get("page", 0))
                return redirect("survey-page", page=min(page, len(answering.sections(invitation.wave.survey)) - 1))
    ctx = {"error": error, "privacy_url": reverse("privacy")}
    response = render(request, "surveys/start.html", ctx, status=400 if error else 200)
    if tries:
        response.set_signed_cookie(TRIES_COOKIE, str(tries), salt=TRIES_COOKIE, max_age=3600, httponly=True)
    return response


def _current_invitation(request: HttpRequest) -> tuple[Invitation | None, str | None]:
    pk = request.session.get(SESSION_KEY)
    invitation = Invitation.objects.select_related("wave__survey").filter(pk=pk).first() if pk else None
    if invitation is None:
        return None, _("Start with the code from your letter.")
    try:
        return answering.check_open(invitation), None
    except answering.CodeRefused as refusal:
        return None, str(refusal)


@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, page: int) -> HttpResponse:
    invitation, error = _current_invitation(request)
    if invitation is None:
        return render(request, "surveys/start.html", {"error": error}, status=403)
    pages = answering.sections(invitation.wave.survey)
    if not 0 <= page < len(pages):
        return redirect("survey-page", page=0)
    title, items = pages[page]
    if request.method == "POST":
        answering.save_draft(invitation, items, answering.clean_answers(items, request.POST), page + 1)
        if "back" in request.POST and page > 0:
            return redirect("survey-page", page=page - 1)
        if page + 1 < len(pages):
            return redirect("survey-page", page=page + 1)
        try:
            answering.submit(invitation, language=translation.get_language() or "sv")
        except answering.CodeRefused as refusal:  # e.g. sent from another window a moment ago
            return render(request, "surveys/start.html", {"error": str(refusal)}, status=409)
        request.session.flush()  # nothing in the session ties this browser to the code any more
        return redirect("survey-thanks")
    answers = (invitation.draft or {}).get("answers", {})
    questions = [(item, item.choices(), answers.get(item.code, "")) for item in items]
    return render(
        request,
        "surveys/page.html",
        {
            "survey": invitation.wave.survey,
            "title": title,
            "questions": questions,
            "page": page,
            "pages": len(pages),
            "last": page + 1 == len(pages),
        },
    )


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/thanks.html")
