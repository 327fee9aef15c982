from typing import Any

from ninja import Header, Router, Status

from lofte.activities import services
from lofte.activities.models import Patrol, Seizure

from .auth import AuthenticatedRequest, writer_auth
from .idempotency import MAX_KEY_LENGTH, once
from .schemas import ErrorOut, PatrolIn, PatrolOut, SeizureIn, SeizureOut

router = Router(tags=["activities"])

# 503: the database is busy with an import (SQLite); retry after the Retry-After seconds.
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 503: ErrorOut}


def _patrol_out(patrol: Patrol) -> dict[str, Any]:
    assert patrol.minutes is not None  # the API logs whole visits: `end` is required
    return {
        "id": patrol.pk,
        "place": patrol.place_id,
        "organisation": patrol.organisation.name,
        "unit": patrol.unit.call_sign if patrol.unit else None,
        "start": patrol.start,
        "end": patrol.end,
        "minutes": round(patrol.minutes, 2),
        "officers": patrol.officers,
        "source": patrol.source,
    }


IDEMPOTENCY: Any = Header(  # type: ignore[type-arg]  # ninja's Header is both a type and a call
    None,
    alias="Idempotency-Key",
    max_length=MAX_KEY_LENGTH,
    description="Any unique text, e.g. a UUID: a retried post with the same key is stored once and gets the "
    "first answer (a 422 if the body differs).",
)


@router.post("/patrols/", auth=writer_auth, response={201: PatrolOut, **WRITE_ERRORS}, summary="Log a patrol visit")
def create_patrol(
    request: AuthenticatedRequest, payload: PatrolIn, idempotency_key: str | None = IDEMPOTENCY
) -> Status[Any]:
    """Log one visit at a place in your organisation's areas (officers only)."""

    def post() -> Status[Any]:
        return Status(201, _patrol_out(services.log_patrol(request.auth, **payload.dict())))

    return once(request, request.auth, idempotency_key, post)


@router.post("/seizures/", auth=writer_auth, response={201: SeizureOut, **WRITE_ERRORS}, summary="Report a seizure")
def create_seizure(
    request: AuthenticatedRequest, payload: SeizureIn, idempotency_key: str | None = IDEMPOTENCY
) -> Status[Any]:
    """Report a seizure at a place or in an area of your organisation (officers only)."""

    def post() -> Status[Any]:
        return _seizure_out(services.log_seizure(request.auth, **payload.dict()))

    return once(request, request.auth, idempotency_key, post)


def _seizure_out(seizure: Seizure) -> Status[Any]:
    return Status(
        201,
        {
            "id": seizure.pk,
            "date": seizure.date,
            "place": seizure.place_id,
            "area": seizure.area_id,
            "organisation": seizure.organisation.name,
            "category": seizure.category,
            "kind": seizure.kind,
            "automatic": seizure.automatic,
            "quantity": seizure.quantity,
            "unit": seizure.unit,
        },
    )
