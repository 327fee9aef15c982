"""Survey results as open data: each question's indicator, baseline against follow-up, per area,
with estimates from too few answers left out."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from lofte.surveys.models import Survey
from lofte.surveys.permissions import surveys as policy
from lofte.surveys.results import WaveEstimate, compare_waves

from .auth import current_user
from .schemas import ErrorOut

router = Router(tags=["surveys"])


class EstimateOut(Schema):
    estimate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    n: int
    suppressed: bool = False


class ComparisonOut(Schema):
    diff: float
    ci_low: float
    ci_high: float
    p: float
    mdd: float


class ResultRowOut(Schema):
    item: str
    question: str
    indicator: str
    domain: str
    base: EstimateOut | None = None
    follow: EstimateOut | None = None
    comparison: ComparisonOut | None = None
    verdict: str | None = None


class SurveyResultsOut(Schema):
    slug: str
    name: str
    area: str
    base_wave: str | None = None
    follow_wave: str | None = None
    rows: list[ResultRowOut]
    notes: list[str]


def _estimate(row: WaveEstimate | None) -> dict[str, Any] | None:
    if row is None:
        return None
    if row.suppressed:
        return {"n": row.n, "suppressed": True}
    return {"estimate": row.estimate, "ci_low": row.ci_low, "ci_high": row.ci_high, "n": row.n}


@router.get("/{slug}/results", response={200: SurveyResultsOut, 404: ErrorOut}, summary="Survey results")
def survey_results(request: HttpRequest, slug: str) -> Status[Any]:
    """Shares (the problem index: its mean) per area in the baseline and the latest follow-up, with 95 %
    intervals, the difference and the design's minimum detectable difference. `verdict` is "better",
    "worse", "change" or "none" (no measurable change). Public once the survey's results are published;
    members of its organisations see them before."""
    user = current_user(request)
    survey = Survey.objects.select_related("area").filter(slug=slug).first()
    if survey is None or not policy.can(user, "results", survey):
        return Status(404, {"detail": "No such survey", "errors": []})
    comparison = compare_waves(survey)
    rows = []
    for row in comparison.rows:
        c = row.comparison
        rows.append(
            {
                "item": row.code,
                "question": row.text,
                "indicator": row.indicator,
                "domain": row.domain,
                "base": _estimate(row.base),
                "follow": _estimate(row.follow),
                "comparison": None
                if c is None
                else {"diff": c.diff, "ci_low": c.ci_low, "ci_high": c.ci_high, "p": c.p, "mdd": c.mdd},
                "verdict": row.verdict,
            }
        )
    base, follow = comparison.base, comparison.follow
    return Status(
        200,
        {
            "slug": survey.slug,
            "name": survey.local_name(),
            "area": survey.area.name,
            "base_wave": base.label if base else None,
            "follow_wave": follow.label if follow else None,
            "rows": rows,
            "notes": comparison.notes,
        },
    )
