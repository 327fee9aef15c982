"""Changing promises on behalf of a person: the one place the API and the staff pages publish through."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lofte.analysis.promise_check import CheckResult

from .check import check
from .models import Promise


@dataclass(frozen=True)
class Publishing:
    published: bool
    check: CheckResult
    refusal: str = ""  # why not, in words


def publish(promise: Promise, user: Any, reason: str = "") -> Publishing:
    """Make a draft public. With findings from the check a `reason` is needed; it is kept with the
    promise. Publishing a published promise again changes nothing; a closed one is refused."""
    result = check(promise)
    reason = (reason or "").strip()
    if promise.status == Promise.Status.CLOSED:
        return Publishing(False, result, _("The promise is closed."))
    if promise.status == Promise.Status.WITHDRAWN:
        return Publishing(False, result, _("The promise is withdrawn."))
    if promise.status == Promise.Status.PUBLISHED:
        return Publishing(True, result)
    if not result.ok and not reason:
        return Publishing(False, result, _("The check has findings: fix them, or say why you publish anyway."))
    with transaction.atomic():
        promise.status = Promise.Status.PUBLISHED
        promise.publish_reason = "" if result.ok else reason
        promise.stamp(user)
        promise.save()
    return Publishing(True, result)
