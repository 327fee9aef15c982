import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from lofte.accounts import policies
from lofte.core.disclosure import visible_counts
from lofte.incidents import situation as sit
from lofte.places.models import Area

from .auth import current_user
from .schemas import ErrorOut

router = Router(tags=["situation"])
audit = logging.getLogger("lofte.audit")


class SituationQuery(Schema):
    start: date | None = None
    end: date | None = None
    type: list[str] = []


class TypeRow(Schema):
    type: str
    total: int | None
    months: list[int | None]


class TrendOut(Schema):
    months: int
    total: int
    monthly_change: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    dispersion: float | None
    verdict: str


class SituationOut(Schema):
    area: str
    start: date
    end: date
    total: int
    months: list[str]
    by_type: list[TypeRow]
    monthly_total: list[int]
    trend: TrendOut
    suppressed_below: int | None
    top_places: list[dict]


def _area_for(request, code):
    user = current_user(request)
    if not policies.incidents.may_view_situation(user):
        raise PermissionDenied
    return user, get_object_or_404(Area, code=code)


def _filters(area, query):
    end = query.end or sit.latest_day(area)
    return sit.Filters(start=query.start or sit.default_start(end), end=end, types=tuple(query.type))


@router.get("/{code}/situation", response={200: SituationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            summary="Situation picture of an area")
def get_situation(request, code: str, query: Query[SituationQuery]):
    """Counts by type and month, the trend and the top places; small counts are suppressed for
    everyone who is not an analyst."""
    user, area = _area_for(request, code)
    filters = _filters(area, query)
    if filters.start > filters.end:
        return Status(422, {"detail": "start: the period must start before it ends",
                            "errors": [{"field": "start", "message": "must not be after end"}]})
    result = sit.situation(area, filters)
    analyst = policies.incidents.may_see_points(user)

    def shown(values):
        return visible_counts(values, full=analyst)

    totals = dict(result.types)
    return Status(200, {
        "area": area.name, "start": filters.start, "end": filters.end, "total": result.total,
        "months": result.months, "monthly_total": result.monthly_total, "trend": result.trend.to_dict(),
        "by_type": [{"type": name, "total": shown([totals[name]])[0], "months": shown(row)}
                    for name, row in result.table],
        "suppressed_below": None if analyst else settings.LOFTE_SMALL_COUNT_THRESHOLD,
        "top_places": [{"place": name, "count": shown([n])[0]} for name, n in result.top_places],
    })


@router.get("/{code}/situation/map", response={200: dict, 403: ErrorOut, 404: ErrorOut},
            summary="Map layer of an area's situation picture (GeoJSON)")
def get_situation_map(request, code: str, query: Query[SituationQuery]):
    """Incident points for analysts; counts in 250 m squares with small counts suppressed for others."""
    user, area = _area_for(request, code)
    result = sit.situation(area, _filters(area, query))
    if policies.incidents.may_see_points(user):
        audit.info("incident points read: user=%s area=%s n=%s", user.username, code, result.total)
        return Status(200, sit.points_geojson(result.frame))
    return Status(200, sit.grid_geojson(result.frame, threshold=settings.LOFTE_SMALL_COUNT_THRESHOLD))
