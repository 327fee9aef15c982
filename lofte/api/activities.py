from ninja import Router, Status

from lofte.activities import services

from .auth import writer_auth
from .schemas import ErrorOut, PatrolIn, PatrolOut, SeizureIn, SeizureOut

router = Router(tags=["activities"])

WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


def _patrol_out(patrol):
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


@router.post("/patrols/", auth=writer_auth, response={201: PatrolOut, **WRITE_ERRORS}, summary="Log a patrol visit")
def create_patrol(request, payload: PatrolIn):
    """Log one visit at a place in your organisation's areas (officers only)."""
    patrol = services.log_patrol(request.auth, **payload.dict())
    return Status(201, _patrol_out(patrol))


@router.post("/seizures/", auth=writer_auth, response={201: SeizureOut, **WRITE_ERRORS}, summary="Report a seizure")
def create_seizure(request, payload: SeizureIn):
    """Report a seizure at a place or in an area of your organisation (officers only)."""
    seizure = services.log_seizure(request.auth, **payload.dict())
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
