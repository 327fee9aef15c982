"""An area's evidence matrix: for each candidate problem, what the safety survey, the dialogues and the
incidents say, side by side, so that the choice of a promise's problem can be shown and argued.

- survey: the share giving the question's indicator answer at the latest wave with its 95 % interval,
  and the change since the baseline with its interval and verdict (`surveys.results.compare_waves`);
- dialogues: how many published statements carry the problem's themes, and their share of all the
  area's published statements (who said what is not recorded: statements, not people, are counted);
- observations: the partners' reports of the linked categories over the last twelve months, and their
  trend beyond the season over three years (from where reporting began);
- incidents: the linked types over the last twelve months up to the area's latest incident, the share
  of grid cells holding half of them, and their harm when a crime harm index is loaded (`lofte
  harm-weights`); the monthly trend beyond the season with its interval over the last three years
  (a trend within one year cannot be told from the season, issue 22).
Counts below LOFTE_SMALL_COUNT_THRESHOLD are given as None with `small` set, as on every page."""

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings

from lofte.analysis.situation import Trend
from lofte.core.translations import localized
from lofte.incidents import harm as harm_index
from lofte.incidents.picture import Picture, period_choices, picture
from lofte.incidents.situation import Filters, Situation, default_start
from lofte.observations.picture import months
from lofte.places.models import Area
from lofte.surveys.models import Survey
from lofte.surveys.permissions import surveys as survey_policy
from lofte.surveys.results import compare_waves

from .models import CandidateProblem, Statement


@dataclass(frozen=True)
class EvidenceRow:
    problem: str
    survey: (
        dict[str, Any] | None
    )  # {"question", "share", "ci_low", "ci_high", "change", "change_low", "change_high", "verdict"}
    statements: int
    statement_share: float | None
    incidents: int | None  # None: fewer than the threshold (or no linked types)
    small: bool
    trend: dict[str, Any] | None  # {"monthly_change", "ci_low", "ci_high", "verdict", "reason", "months"}
    half_in_cells: float | None  # share of grid cells holding half of the incidents
    harm: float | None = None  # the incidents weighted by the crime harm index (its unit), when one is loaded
    observations: int | None = None  # partners' reports of the linked categories (None: none linked, or small)
    observations_small: bool = False
    observation_trend: dict[str, Any] | None = None  # as `trend`, over the months since reporting began

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def evidence(area: Area, user: Any) -> list[EvidenceRow]:
    """The evidence matrix of `area` as `user` may see it: one EvidenceRow per candidate problem. The
    survey is the area's latest whose results `user` may read (an area shared by several organisations
    may hold another organisation's survey whose results are not published)."""
    threshold = settings.LOFTE_SMALL_COUNT_THRESHOLD
    survey = survey_policy.visible(user, "results").filter(area=area).order_by("-pk").first()
    published = Statement.objects.filter(area=area, status=Statement.Status.PUBLISHED)
    all_statements = published.count()
    end = period_choices(area).latest_day
    weights = harm_index.table().weights
    rows = []
    for candidate in CandidateProblem.objects.filter(area=area).prefetch_related("themes", "observation_categories"):
        said = published.filter(themes__in=candidate.themes.all()).distinct().count()
        counted = _incidents(area, candidate.incident_types, end) if candidate.incident_types and end else None
        situation = counted.situation if counted else None
        longer = _three_years(area, candidate.incident_types, end) if counted else None
        total = situation.total if situation else None
        small = total is not None and 0 < total < threshold
        rows.append(
            EvidenceRow(
                problem=localized(candidate, "name"),
                survey=_survey(survey, candidate.survey_item),
                statements=said,
                statement_share=said / all_statements if all_statements else None,
                incidents=None if total is None or small else total,
                small=small,
                trend=None if longer is None or small else _trend(longer.trend),
                half_in_cells=_half(counted) if counted and not small else None,
                harm=_harm(situation, weights) if situation and weights and not small else None,
                **_observed(area, [c.code for c in candidate.observation_categories.all()], end, threshold),
            )
        )
    return rows


def _observed(area: Area, codes: list[str], end: date, threshold: int) -> dict[str, Any]:
    """The partners' reports of the problem's categories over the last twelve months, and their trend
    beyond the season over the 36 months up to `end` (from where reporting began)."""
    if not codes:
        return {}
    last_year = months(area, end - timedelta(days=364), end, categories=codes)
    total = sum(last_year.total)
    if 0 < total < threshold:
        return {"observations_small": True}
    start = default_start(end)
    longer = months(area, start.replace(year=start.year - 2), end, categories=codes)
    return {"observations": total, "observation_trend": _trend(longer.trend)}


def _harm(situation: Situation, weights: dict[str, float]) -> float:
    """The incidents' harm: each type's count times its weight (types without a weight left out)."""
    return float(sum(weights[kind] * count for kind, count in situation.types if kind in weights))


def _incidents(area: Area, types: list[str], end: date) -> Picture:
    return picture(area, Filters(start=end - timedelta(days=364), end=end, types=tuple(types)))


def _three_years(area: Area, types: list[str], end: date) -> Situation | None:
    """The situation over the 36 calendar months up to `end` (its trend from where the area's records
    begin): its trend can tell the season apart."""
    start = default_start(end)
    filters = Filters(start=start.replace(year=start.year - 2), end=end, types=tuple(types))
    return picture(area, filters, only="situation").situation


def _trend(trend: Trend) -> dict[str, Any]:
    return {"monthly_change": trend.monthly_change, "ci_low": trend.ci_low, "ci_high": trend.ci_high,
            "verdict": str(trend.verdict), "reason": trend.reason, "months": trend.months}  # fmt: skip


def _half(found: Picture) -> float | None:
    concentration = found.layers.concentration if found.layers else None
    return concentration.share_of_places_for_50 if concentration is not None else None


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)


def _survey(survey: Survey | None, code: str) -> dict[str, Any] | None:
    if survey is None or not code:
        return None
    item = survey.items.filter(code=code).first()
    if item is None:
        return None
    compared = compare_waves(survey, [item])
    row = next((r for r in compared.rows if r.domain == "all"), None)
    if row is None or row.follow is None or row.follow.suppressed:
        return {"question": item.text(), "share": None}
    follow = row.follow
    out = {"question": item.text(), "share": _float(follow.estimate), "ci_low": _float(follow.ci_low),
           "ci_high": _float(follow.ci_high)}  # fmt: skip
    if row.comparison is not None:
        c = row.comparison
        out |= {"change": float(c.diff), "change_low": float(c.ci_low), "change_high": float(c.ci_high),
                "verdict": str(row.verdict)}  # fmt: skip
    return out
