from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lofte.promises.models import Promise
from lofte.surveys.models import Wave
from lofte.surveys.permissions import surveys
from lofte.surveys.results import item_outcome

from . import invitations, sentences
from .check import check
from .dosage import promise_dosage
from .follow_up import CACHE_SECONDS, follow_up, state_key
from .models import PartyInvitation
from .permissions import promises as policy
from .progress import promise_progress
from .services import publish
from .todo import todo


def get_promise_for(user: Any, slug: str, action: str = "view") -> Promise:
    """The promise with this slug if `user` may do `action` to it ("view": drafts stay hidden;
    "work": members of a party), else 404."""
    promise: Promise | None = policy.visible(user, action).select_related("area").filter(slug=slug).first()
    if promise is None:
        raise Http404("No such promise")
    return promise


def index(request: HttpRequest) -> HttpResponse:
    promises = policy.visible(request.user).select_related("area").prefetch_related("parties")
    return render(request, "promises/index.html", {"promises": promises})


def detail(request: HttpRequest, slug: str) -> HttpResponse | HttpResponse:
    promise = get_promise_for(request.user, slug)
    today = timezone.localdate()
    key = state_key(promise, today)
    # Visitors without a session all see the same page: it is kept whole. Only the page without a query
    # string: the page ignores one (but links to itself with it), and a key per query string let anyone
    # fill the cache with copies.
    public = (
        request.user.is_anonymous
        and not request.META.get("QUERY_STRING")
        and not (set(request.COOKIES) & {settings.SESSION_COOKIE_NAME, "messages"})
    )
    page_key = f"promise-page:{key}:{get_language()}:{request.path}"
    if public and (page := cache.get(page_key)) is not None:
        return HttpResponse(page)
    found = follow_up(promise, today, key=key)
    commitments = promise.commitments.prefetch_related("places", "responsible")
    rows = [
        (
            c,
            found.progress[c.pk],
            item_outcome(c.outcome_item, request.user, waves=promise.named_waves(c.outcome_item.survey_id))
            if c.outcome_item
            else None,
        )
        for c in commitments
    ]
    ctx = {
        "promise": promise,
        "rows": rows,
        "outputs": found.outputs,
        "figures": found.figures,
        "last_updated": found.last_updated,
        "today": today,
        "can_edit": policy.can(request.user, "change", promise),
        "threshold": settings.LOFTE_SMALL_COUNT_THRESHOLD,
        "last_change": promise.changes.first(),  # newest first
        "changed_commitments": set(
            promise.changes.filter(subject="commitment", action="changed").values_list("subject_id", flat=True)
        ),
    }
    response = render(request, "promises/detail.html", ctx)
    if public:
        cache.set(page_key, response.content.decode(), CACHE_SECONDS)
    return response


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The staff's work hub: their promises, what needs doing for each, and surveys open now."""
    today = timezone.localdate()
    rows = []
    for promise in policy.visible(request.user, "work").select_related("area"):
        found = follow_up(promise, today)
        findings = len(check(promise).findings) if promise.status == promise.Status.DRAFT else 0
        counts = dict(Counter(p.status for p in found.progress.values()))
        rows.append(
            {"promise": promise, "counts": counts, "todo": todo(promise, found.progress, today, findings=findings)}
        )
    waves = (
        Wave.objects.filter(survey__in=surveys.visible(request.user), opens_on__lte=today, closes_on__gte=today)
        .select_related("survey")
        .order_by("closes_on")
    )
    can_plan = policy.can(request.user, "add")
    ctx = {"rows": rows, "today": today, "waves": waves, "can_plan": can_plan,
           "invitations": invitations.pending_for(request.user)}  # fmt: skip
    return render(request, "promises/dashboard.html", ctx)


@login_required
def work(request: HttpRequest, slug: str, *, reason: str = "", refusal: str = "", status: int = 200) -> HttpResponse:
    """A promise as its parties work on it: the check, publishing, the commitments and their history."""
    promise = get_promise_for(request.user, slug, "work")
    result = check(promise)
    rows = promise.commitments.select_related("created_by", "changed_by").prefetch_related("responsible")
    commitments = {c.pk: c for c in rows}
    invited = promise.invitations.filter(status=PartyInvitation.Status.PENDING).select_related("organisation")
    ctx = {
        "invited": invited,
        "promise": promise,
        "result": result,
        "findings": [
            {
                **f.to_dict(),
                "message": sentences.finding(f),
                "commitment": commitments.get(f.commitment) if f.commitment else None,
            }
            for f in result.findings
        ],
        "rows": [(commitments[c.pk], p) for c, p in promise_progress(promise, timezone.localdate())],
        "can_change": policy.can(request.user, "change", promise),
        "reason": reason,
        "refusal": refusal,
    }
    return render(request, "promises/work.html", ctx, status=status)


@login_required
@require_POST
def publish_page(request: HttpRequest, slug: str) -> HttpResponse:
    promise = get_promise_for(request.user, slug, "work")
    if not policy.can(request.user, "change", promise):
        raise PermissionDenied
    reason = request.POST.get("reason", "")[:2000]
    done = publish(promise, request.user, reason)
    if not done.published:
        return work(request, slug, reason=reason, refusal=done.refusal, status=400)
    messages.success(request, _("The promise is published."))
    return redirect("promise-work", slug=promise.slug)


@login_required
def dosage_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Patrol dosage of a promise, for members of its parties."""
    promise = get_promise_for(request.user, slug)
    if not policy.can(request.user, "work", promise):
        raise PermissionDenied
    result, names, by_source, too_short = promise_dosage(promise, timezone.localdate())
    top = max([n for _, _, n in result.minutes_histogram] or [1]) or 1
    ctx = {
        "promise": promise,
        "dosage": result,
        "by_source": by_source,
        "too_short": too_short,
        "min_minutes": promise.visit_minimum,
        "may_change": policy.can(request.user, "change", promise),
        "histogram_top": top,
        "places": [
            (names[pk], perday, result.longest_gap_hours.get(pk)) for pk, perday in result.visits_per_day.items()
        ],
    }
    return render(request, "promises/dosage.html", ctx)
