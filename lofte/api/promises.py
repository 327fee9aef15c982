from django.core.cache import cache
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Status

from lofte.promises.follow_up import CACHE_SECONDS, follow_up, state_key
from lofte.promises.permissions import promises as policy

from .auth import current_user
from .schemas import ErrorOut, PromiseDetail, PromiseOut

router = Router(tags=["promises"])


def _promise_out(request, promise):
    return {
        "slug": promise.slug,
        "title": promise.title,
        "title_en": promise.title_en,
        "area": promise.area.name,
        "status": promise.status,
        "period_start": promise.period_start,
        "period_end": promise.period_end,
        "parties": [org.name for org in promise.parties.all()],
        "url": request.build_absolute_uri(promise.get_absolute_url()),
    }


def _commitment_out(commitment, progress):
    target = progress.target
    return {
        "id": commitment.pk,
        "position": commitment.position,
        "text": commitment.text,
        "text_en": commitment.text_en,
        "kind": commitment.kind,
        "responsible": [org.name for org in commitment.responsible.all()],
        "metric": commitment.metric or None,
        "comparator": commitment.comparator if commitment.kind == "target" else None,
        "target": target,
        "unit": commitment.unit,
        "actual": None if progress.actual is None else round(progress.actual, 2),
        "status": progress.status,
        "as_of": progress.as_of,
        "due_date": commitment.due_date,
        "done_date": commitment.done_date,
        "numbers": progress.numbers,
        "updates": list(commitment.updates.visible()),
    }


@router.get("/", response={200: list[PromiseOut]}, summary="List promises")
def list_promises(request):
    """Published and closed promises; drafts too for members of a party."""
    user = current_user(request)
    rows = policy.visible(user).select_related("area").prefetch_related("parties")
    return Status(200, [_promise_out(request, p) for p in rows])


@router.get("/{slug}", response={200: PromiseDetail, 404: ErrorOut}, summary="One promise with progress")
def get_promise(request, slug: str):
    """A promise with every commitment's metric, target, actual value and status."""
    user = current_user(request)
    promise = get_object_or_404(policy.visible(user).select_related("area"), slug=slug)
    today = timezone.localdate()
    key = state_key(promise, today)
    # The answer is the same for everyone who may see the promise: kept whole (the host is in its URLs).
    answer_key = f"promise-api:{key}:{request.get_host()}"
    data = cache.get(answer_key)
    if data is None:
        data = _promise_out(request, promise)
        data["problem"] = promise.problem
        data["problem_en"] = promise.problem_en
        found = follow_up(promise, today, key=key)
        data["outputs"] = None if found.outputs is None else found.outputs.to_dict()
        commitments = promise.commitments.prefetch_related("responsible")
        data["commitments"] = [_commitment_out(c, found.progress[c.pk]) for c in commitments]
        cache.set(answer_key, data, CACHE_SECONDS)
    return Status(200, data)
