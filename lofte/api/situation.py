from datetime import date

from ninja import Field, Query, Router, Schema, Status

from lofte.core.bounds import EARLIEST, LATEST
from lofte.incidents import situation as sit
from lofte.incidents.disclosure import area_for_situation, disclosure_for
from lofte.incidents.inside import AreaIncidents

from .auth import current_user
from .schemas import ErrorOut

router = Router(tags=["situation"])


class SituationQuery(Schema):
    start: date | None = Field(None, ge=EARLIEST, le=LATEST)
    end: date | None = Field(None, ge=EARLIEST, le=LATEST)
    type: list[str] = []


class TypeRow(Schema):
    type: str
    total: int | None
    months: list[int | None]


class OtherTypes(Schema):
    total: int | None
    months: list[int | None]


class TrendOut(Schema):
    months: int
    total: int | None
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
    total: int | None
    months: list[str]
    by_type: list[TypeRow]
    other_types: OtherTypes | None
    monthly_total: list[int | None]
    trend: TrendOut
    suppressed_below: int | None
    top_places: list[dict]


def _values(cells):
    return [cell.value for cell in cells]


def _area_for(request, code):
    user = current_user(request)
    return user, area_for_situation(user, code)


def _filters(area, query, inside):
    end = query.end or sit.latest_day(area, inside=inside)
    return sit.Filters(start=query.start or sit.default_start(end), end=end, types=tuple(query.type))


@router.get(
    "/{code}/situation",
    response={200: SituationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Situation picture of an area",
)
def get_situation(request, code: str, query: Query[SituationQuery]):
    """Counts by type and month, the trend and the top places. For everyone who is not an analyst,
    counts below `suppressed_below` are null, and so are the counts that would give them back by
    differencing with a total."""
    user, area = _area_for(request, code)
    inside = AreaIncidents.of(area)
    filters = _filters(area, query, inside)
    if filters.start > filters.end:
        return Status(
            422,
            {
                "detail": "start: the period must start before it ends",
                "errors": [{"field": "start", "message": "must not be after end"}],
            },
        )
    result = sit.situation(area, filters, inside=inside)
    shown = disclosure_for(user, area)
    counts = shown.count_table(result)
    named = [row for row in counts.rows if row.type is not None]
    other = [row for row in counts.rows if row.type is None]
    # The trend's total is the grand total: hidden with it.
    trend = {**result.trend.to_dict(), "total": counts.total.value}
    return Status(
        200,
        {
            "area": area.name,
            "start": filters.start,
            "end": filters.end,
            "total": counts.total.value,
            "months": result.months,
            "monthly_total": _values(counts.monthly_total),
            "trend": trend,
            "by_type": [{"type": row.type, "total": row.total.value, "months": _values(row.months)} for row in named],
            "other_types": {"total": other[0].total.value, "months": _values(other[0].months)} if other else None,
            "suppressed_below": shown.suppressed_below,
            "top_places": [{"place": name, "count": n} for name, n in shown.top_places(result)],
        },
    )


@router.get(
    "/{code}/situation/map",
    response={200: dict, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Map layer of an area's situation picture (GeoJSON)",
)
def get_situation_map(request, code: str, query: Query[SituationQuery]):
    """Incident points for analysts; counts in 250 m squares with small counts suppressed for others."""
    user, area = _area_for(request, code)
    inside = AreaIncidents.of(area)
    result = sit.situation(area, _filters(area, query, inside), inside=inside)
    return Status(200, disclosure_for(user, area).map_layer(result))
