from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from lofte.core.bounds import EARLIEST, LATEST
from lofte.incidents import situation as sit
from lofte.incidents.disclosure import Cell, area_for_situation, disclosure_for
from lofte.incidents.maps import points_geojson
from lofte.incidents.picture import period_choices, picture
from lofte.incidents.situation import Filters
from lofte.places.models import Area

from .auth import current_user
from .schemas import ErrorOut

router = Router(tags=["situation"])
MAX_FEATURES = 10_000


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
    reason: str | None = Field(
        None,
        description='why "too little data": "months", "incidents" or "season" '
        "(fewer than 24 whole months cannot tell a trend from the season)",
    )
    seasonal: bool = Field(False, description="the trend is beyond the season: a term for each month of the year")


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
    top_places: list[dict[str, Any]]
    per_1000: dict[str, Any] | None = Field(
        None,
        description="Incidents a year per 1 000 residents with its 95 % interval (per_1000, ci_low, ci_high) and the "
        "population figure used (year, residents, source); null without a figure or when the total is hidden",
    )


def _per_1000(area: Area, result: Any, total: int | None) -> dict[str, Any] | None:
    found = sit.per_thousand(area, result, total)
    if found is None:
        return None
    rate = found["rate"]
    return {"per_1000": rate.per_1000, "ci_low": rate.ci_low, "ci_high": rate.ci_high, "year": found["year"],
            "residents": found["residents"], "source": found["source"]}  # fmt: skip


def _values(cells: Iterable[Cell]) -> list[int | None]:
    return [cell.value for cell in cells]


def _area_for(request: HttpRequest, code: str) -> tuple[User | AnonymousUser, Area]:
    user = current_user(request)
    return user, area_for_situation(user, code)


def _filters(area: Area, query: "SituationQuery") -> Filters:
    end = query.end or period_choices(area).latest_day
    return sit.Filters(start=query.start or sit.default_start(end), end=end, types=tuple(query.type))


START_AFTER_END = Status(
    422,
    {
        "detail": "start: the period must start before it ends",
        "errors": [{"field": "start", "message": "must not be after end"}],
    },
)


@router.get(
    "/{code}/situation",
    response={200: SituationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Situation picture of an area",
)
def get_situation(request: HttpRequest, code: str, query: Query[SituationQuery]) -> Status[Any]:
    """Counts by type and month, the trend and the top places. For everyone who is not an analyst,
    counts below `suppressed_below` are null, and so are the counts that would give them back by
    differencing with a total."""
    user, area = _area_for(request, code)
    filters = _filters(area, query)
    if filters.start > filters.end:
        return START_AFTER_END
    shown = disclosure_for(user, area)
    result = picture(area, filters, only="situation").situation
    assert result is not None  # the part asked for
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
            "per_1000": _per_1000(area, result, counts.total.value),
        },
    )


class MapQuery(SituationQuery):
    bbox: str | None = Field(
        None,
        description="minlon,minlat,maxlon,maxlat (WGS84): analysts get the incident points in it when there are "
        f"at most {MAX_FEATURES} of them",
        pattern=r"^-?[0-9]{1,3}(\.[0-9]+)?(,-?[0-9]{1,3}(\.[0-9]+)?){3}$",
    )


@router.get(
    "/{code}/situation/map",
    response={200: dict, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Map layer of an area's situation picture (GeoJSON)",
)
def get_situation_map(request: HttpRequest, code: str, query: Query[MapQuery]) -> Status[Any]:
    """Counts in 250 m squares (`aggregated`: true), with small counts hidden for everyone who is not
    an analyst; for analysts who give a `bbox` holding at most 10 000 incidents, the incident points in
    it (`aggregated`: false). No answer holds more than 10 000 features."""
    user, area = _area_for(request, code)
    filters = _filters(area, query)
    if filters.start > filters.end:
        return START_AFTER_END
    shown = disclosure_for(user, area)
    if shown.full and query.bbox:
        box = [float(v) for v in query.bbox.split(",")]
        rows = sit.points_in(area, filters, box, limit=MAX_FEATURES + 1)
        if len(rows) <= MAX_FEATURES:
            shown.log("incident points read", len(rows))
            return Status(200, {**points_geojson(rows), "aggregated": False})
    found = picture(area, filters, only="squares").squares
    assert found is not None  # the part asked for
    squares = found.coarsened(MAX_FEATURES)
    return Status(200, {**shown.squares(squares), "aggregated": True})


class EvidenceRowOut(Schema):
    problem: str
    survey: dict[str, Any] | None = Field(
        description="question, share (0-1) with ci_low/ci_high at the latest wave, change since the baseline "
        "with change_low/change_high and verdict; null without a linked question"
    )
    statements: int = Field(description="Published dialogue statements with the problem's themes")
    statement_share: float | None
    incidents: int | None = Field(description="Linked incident types, last 12 months; null when small or unlinked")
    small: bool = Field(description="True when the count is below the small-count threshold (not shown)")
    trend: dict[str, Any] | None = Field(description="monthly_change with ci_low/ci_high and verdict (quasi-Poisson)")
    half_in_cells: float | None = Field(description="Share of grid cells that hold half of the incidents")
    harm: float | None = Field(None, description="The incidents weighted by the crime harm index, when one is loaded")
    observations: int | None = Field(
        None,
        description="Partners' reports of the linked observation categories, last 12 months; null when none "
        "are linked or the count is small",
    )
    observations_small: bool = Field(False, description="True when that count is below the small-count threshold")
    observation_trend: dict[str, Any] | None = Field(None, description="as trend, for the reports")


@router.get(
    "/{code}/evidence",
    response={200: list[EvidenceRowOut], 403: ErrorOut, 404: ErrorOut},
    summary="The evidence matrix of an area",
)
def get_evidence(request: HttpRequest, code: str) -> Status[Any]:
    """Candidate problems against the safety survey, the citizen dialogues and the incidents: what the
    choice of a promise's problem rests on."""
    from lofte.dialogues.evidence import evidence

    user, area = _area_for(request, code)
    return Status(200, [row.to_dict() for row in evidence(area, user)])


class WeekQuery(Schema):
    week: str | None = Field(
        None,
        pattern=r"^[0-9]{4}-[Ww][0-9]{2}$",
        description="ISO week, e.g. 2017-W14 (default: the latest whole week with data)",
    )


class WeekCategoryOut(Schema):
    kind: Literal["observation", "incident"] = Field(
        description="a partners' observation category or a police incident type"
    )
    category: str = Field(description="the observation category's code, or the incident type")
    label: str
    count: int | None = Field(description="the week's count (observations: reports); null when small for non-analysts")
    expected: float | None = Field(description="the count the area's history expects (null: see reason)")
    low: int | None = Field(description="5 % quantile of an ordinary week")
    high: int | None = Field(description="95 % quantile of an ordinary week")
    p_value: float | None = Field(description="chance of at least this count in an ordinary week")
    unusual: bool | None = Field(
        description="more than usual, decided over all categories together (Holm, 5 %); null when the count is hidden"
    )
    reason: str = Field(
        description='why nothing is expected or the week cannot be unusual: "short_history", "no_events", '
        '"uncertain", "quiet_lately", or ""'
    )


class WeekOut(Schema):
    area: str
    week: str
    start: date
    end: date
    years: dict[str, int] = Field(description="years of history used, per kind (0: too short to expect anything)")
    suppressed_below: int | None
    categories: list[WeekCategoryOut]


@router.get(
    "/{code}/week",
    response={200: WeekOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="The weekly picture of an area",
)
def get_week(request: HttpRequest, code: str, query: Query[WeekQuery]) -> Status[Any]:
    """Each observation category and incident type of the week against the count the area's history
    expects (improved Farrington), with "more than usual" decided over all of them together so that an
    ordinary week is flagged at most 5 % of the time. Observations count reports; for everyone who is
    not an analyst, incident counts below `suppressed_below` are null, and so is their `unusual`."""
    from lofte.observations import weekly

    user, area = _area_for(request, code)
    try:
        monday = weekly.chosen_week(query.week, area)
    except weekly.BadWeek as error:
        return Status(422, {"detail": str(error), "errors": [{"field": "week", "message": str(error)}]})
    found = weekly.week_picture(area, monday)
    shown = disclosure_for(user, area)
    rows = weekly.shown_rows(found, shown)
    names = weekly.labels(r["code"] for r in rows if r["kind"] == weekly.OBSERVATION)
    categories = [{**r, "category": r["code"], "label": names.get(r["code"], r["code"])} for r in rows]
    return Status(
        200,
        {
            "area": area.name,
            "week": found.label,
            "start": found.monday,
            "end": found.sunday,
            "years": found.years,
            "suppressed_below": shown.suppressed_below,
            "categories": categories,
        },
    )
