"""Results computed once per distinct input and kept in the shared cache.

The key names everything the result came from (data fingerprints, settings, language): a change of
any of them makes a new key, so nothing is ever cleared by hand and nothing stale is shown.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")


def key_of(name: str, inputs: object) -> str:
    """The cache key of `name` computed from `inputs` (anything with a stable repr)."""
    return f"{name}:" + hashlib.sha256(repr(inputs).encode()).hexdigest()


def kept(name: str, inputs: object, compute: Callable[[], T], seconds: int | None) -> T:
    """`compute()`, or what it returned before for the same `inputs`, kept for `seconds` (None:
    until the cache drops it)."""
    key = key_of(name, inputs)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
