from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from lofte.analysis.vocabulary import Status
from lofte.promises.outcomes import OutcomeComparison


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


class UpdateOut(Schema):
    published_on: date
    text: str
    text_en: str


class CommitmentOut(Schema):
    id: int
    position: int
    text: str
    text_en: str
    kind: Literal["target", "milestone"]
    responsible: list[str]
    metric: str | None
    comparator: str | None
    target: float | None
    unit: str
    actual: float | None
    status: Status
    as_of: date | None
    due_date: date | None
    done_date: date | None
    numbers: dict[str, Any]
    updates: list[UpdateOut]


class PromiseOut(Schema):
    slug: str
    title: str
    title_en: str
    area: str
    status: Literal["draft", "published", "closed", "withdrawn"]
    period_start: date
    period_end: date
    parties: list[str]
    url: str


class PromiseDetail(PromiseOut):
    problem: str
    problem_en: str
    rationale: str = Field(description="Why this problem was chosen: the evidence that pointed to it")
    rationale_en: str
    next_steps: str
    next_steps_en: str
    outputs: dict[str, Any] | None
    commitments: list[CommitmentOut]


class SurveyOutcomeOut(Schema):
    commitment: int
    item: str = Field(description="The survey question's code")
    question: str
    indicator: str | None = Field(description="What is counted, e.g. the share who feel unsafe")
    base_wave: str | None = Field(None, description="The baseline wave's label (the one the promise names, if any)")
    follow_wave: str | None = Field(None, description="The follow-up wave's label (the one the promise names, if any)")
    base: dict[str, Any] | None = Field(description="Baseline: n, estimate (0–1), se, ci_low, ci_high, deff")
    follow: dict[str, Any] | None = Field(description="The latest follow-up, as base")
    comparison: dict[str, Any] | None = Field(
        description="Follow-up minus baseline: diff, se, ci_low, ci_high, p, mdd, verdict; null while a wave is missing"
    )


class ReportOut(PromiseOut):
    problem: str
    rationale: str
    next_steps: str
    outputs: dict[str, Any] | None
    commitments: list[CommitmentOut]
    outcomes: OutcomeComparison = Field(
        description="The outcome incidents before and during the promise, in the area, its ring and its control "
        "areas, and each method's result with its sentence (null where it could not be computed); monthly counts "
        "are empty when one is small; note and reason say why nothing was evaluated"
    )
    survey: list[SurveyOutcomeOut]
    observed: dict[str, Any] | None = Field(
        None,
        description="The area's partners' reports of the promise's observation categories, during the promise "
        "against as long before (before, during: [first day, last day]; change: counts, ratio per week with its "
        "95 % interval and verdict; null with reason no_reports_before or small); null when it names none",
    )


class PatrolIn(Schema):
    place: int = Field(description="Place id")
    start: datetime = Field(description="ISO 8601; without an offset it is read as Europe/Stockholm")
    end: datetime
    unit: str | None = Field(None, max_length=50, description="Call sign of a unit of the organisation")
    organisation: int | None = Field(None, description="Needed only when you log for several organisations")
    officers: int = Field(2, ge=1, le=50)
    note: str = Field("", max_length=2000)


class PatrolOut(Schema):
    id: int
    place: int
    organisation: str
    unit: str | None
    start: datetime
    end: datetime
    minutes: float
    officers: int
    source: str


class SeizureIn(Schema):
    date: date
    place: int | None = None
    area: int | None = None
    category: Literal["weapon", "narcotics", "other"]
    kind: str = Field(min_length=1, max_length=100)
    automatic: bool = False
    quantity: Decimal = Field(gt=0, max_digits=12, decimal_places=3)
    unit: Literal["piece", "g", "tablet", "ml"]
    organisation: int | None = None
    note: str = Field("", max_length=2000)


class SeizureOut(Schema):
    id: int
    date: date
    place: int | None
    area: int
    organisation: str
    category: str
    kind: str
    automatic: bool
    quantity: Decimal
    unit: str
