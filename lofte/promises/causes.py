"""A promise's cause analysis: the problem triangle (who offends, against whom, where, and who could
act: handlers, guardians, managers) and the cause tree, each cause with its evidence and the
commitments that address it. Owners of a party change them; the promise check then warns about
commitments that address no cause."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lofte.core.problems import InputProblem
from lofte.promises.models import Commitment, Promise

from .models import TRIANGLE, Cause
from .permissions import promises as policy


def _may(user: Any, promise: Promise) -> None:
    if not policy.can(user, "change", promise):
        raise InputProblem("promise", _("Only owners of a party change the promise's cause analysis."), 403)


def save_triangle(user: Any, promise: Promise, notes: Mapping[str, str]) -> None:
    """Store the triangle's notes ({side: text} for the sides of TRIANGLE; others are ignored)."""
    _may(user, promise)
    promise.triangle = {side: (notes.get(side) or "").strip()[:2000] for side, _label in TRIANGLE}
    promise.stamp(user)
    promise.save(update_fields=["triangle", "changed_at", "changed_by"])


def add_cause(
    user: Any,
    promise: Promise,
    *,
    text: str,
    parent: Cause | int | str | None = None,
    text_en: str = "",
    evidence: str = "",
    commitments: Iterable[Commitment | int | str] = (),
) -> Cause:
    _may(user, promise)
    text = (text or "").strip()
    if not text or len(text) > 300:
        raise InputProblem("text", _("A cause has 1 to 300 characters."))
    if parent is not None and not promise.causes.filter(pk=getattr(parent, "pk", parent)).exists():
        raise InputProblem("parent", _("The parent must be a cause of the same promise."))
    chosen = list(promise.commitments.filter(pk__in=[getattr(c, "pk", c) for c in commitments]))
    with transaction.atomic():
        cause = Cause.objects.create(
            promise=promise, parent_id=getattr(parent, "pk", parent), text=text,
            text_en=(text_en or "").strip()[:300], evidence=(evidence or "").strip(),
        )  # fmt: skip
        cause.commitments.set(chosen)
    return cause


def remove_cause(user: Any, cause: Cause) -> None:
    """Remove a cause and the causes under it."""
    _may(user, cause.promise)
    cause.delete()


def tree(promise: Promise) -> list[tuple[Cause, int]]:
    """[(cause, depth)] in tree order: each cause followed by the causes under it."""
    causes = list(promise.causes.prefetch_related("commitments"))
    children: dict[int | None, list[Cause]] = {}
    for cause in causes:
        children.setdefault(cause.parent_id, []).append(cause)
    ordered = []

    def walk(parent: int | None, depth: int) -> None:
        for cause in children.get(parent, []):
            ordered.append((cause, depth))
            walk(cause.pk, depth + 1)

    walk(None, 0)
    return ordered
