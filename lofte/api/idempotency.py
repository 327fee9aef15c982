"""Idempotency keys for posts from phones (the IETF draft "The Idempotency-Key HTTP Header Field").

A phone that loses its connection after posting a patrol cannot know whether it was stored; it posts
again with the same `Idempotency-Key` header, and gets the first answer instead of a second record.
The same key with another body is refused (422); a post that failed stores nothing and may be retried.
Keys are remembered for KEPT (the draft lets a server expire them).
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Status

from lofte.activities.models import PostedRequest

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200  # checked by the API's schema (PostedRequest.key holds as much)
# How long a key is remembered: a phone retries within minutes, or when it is back online after a
# weekend without coverage. Older keys of a user are forgotten when that user posts with a new key.
KEPT = timedelta(days=7)


def once(request: HttpRequest, user: Any, key: str | None, post: Callable[[], Status[Any]]) -> Status[Any]:
    """Run `post()` (which returns a ninja Status) once per Idempotency-Key `key` of `user`."""
    key = (key or "").strip()
    if not key:
        return post()
    fingerprint = hashlib.sha256(request.body).hexdigest()
    try:
        with transaction.atomic():
            # Written first: a second post with this key waits here until the first is done.
            entry = PostedRequest.objects.create(user=user, key=key, path=request.path, fingerprint=fingerprint)
            PostedRequest.objects.filter(user=user, created_at__lt=timezone.now() - KEPT).delete()
            answer = post()
            entry.status = answer.status_code
            entry.response = json.loads(json.dumps(answer.value, cls=DjangoJSONEncoder))
            entry.save(update_fields=["status", "response"])
            return answer
    except IntegrityError:
        entry = PostedRequest.objects.get(user=user, key=key)
    if (entry.path, entry.fingerprint) != (request.path, fingerprint):
        return _refused("already used for another request")
    assert entry.status is not None, "written in the same transaction as the row"
    return Status(entry.status, entry.response)


def _refused(message: str) -> Status[Any]:
    return Status(422, {"detail": f"{HEADER}: {message}", "errors": [{"field": HEADER, "message": message}]})
