"""The answers ``promises`` gives to the lower apps' questions (``lofte.core.hooks``)."""

from datetime import date
from typing import Any

from lofte.core import hooks
from lofte.places.models import Area

from .models import Promise
from .permissions import promises as promise_policy


@hooks.register("area_promise_period")
def area_promise_period(user: Any, area: Area) -> tuple[date, date] | None:
    """The period of the latest promise for ``area`` that ``user`` may see, or None."""
    promise = promise_policy.visible(user).filter(area=area).order_by("-period_start").first()
    return (promise.period_start, promise.period_end) if promise else None


@hooks.register("area_has_public_promise")
def area_has_public_promise(area: Area) -> bool:
    return Promise.objects.public().filter(area=area).exists()
