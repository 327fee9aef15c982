"""The municipalities' situation reports (lägesbild and action plan, lag 2023:196): each published
version with every section's numbers, for anyone; the working versions too for the organisations that
make them."""

import re
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from lofte.plans.models import SituationReport
from lofte.plans.permissions import reports as policy

from .auth import current_user
from .schemas import ErrorOut

router = Router(tags=["situation reports"])


class MeasureOut(Schema):
    title: str
    problem: str
    cause: str
    responsible: str | None
    function: str
    starts: date | None
    ends: date | None
    cost_sek: int | None
    follow_up: str
    incident_types: list[str]
    observation_category: str | None
    promise: str | None = Field(description="The citizen promise's slug, when the measure is one")
    action: int | None = Field(description="The action of the shared situation picture (id), when it is one")
    status: str
    status_note: str


class CommentOut(Schema):
    organisation: str
    text: str
    answer: str
    created_at: datetime


class SituationReportOut(Schema):
    id: int
    title: str
    municipality_code: str
    municipality_name: str
    year: int
    version: int
    status: str = Field(description="draft, referral, decided or published")
    area: str = Field(description="The area's code")
    parts: list[str]
    owner: str
    partners: list[str]
    decided_by: str
    decided_on: date | None
    reference_number: str
    published_at: datetime | None
    figures_extracted_at: datetime | None
    figures: dict[str, Any] | None = Field(
        description="The generated sections (mapping, voices, when_where, analysis) as the report publishes them: "
        "a count below the threshold is null with small=true, one hidden to protect it null with small=false"
    )
    written: dict[str, str] = Field(description="The sections written by people, by key")
    measures: list[MeasureOut]
    comments: list[CommentOut]


def report_out(report: SituationReport) -> dict[str, Any]:
    return {
        "id": report.pk, "title": report.title, "municipality_code": report.municipality_code,
        "municipality_name": report.municipality_name, "year": report.year, "version": report.version,
        "status": report.status, "area": report.area.code, "parts": [a.code for a in report.parts.all()],
        "owner": report.organisation.name, "partners": [o.name for o in report.partners.all()],
        "decided_by": report.decided_by_body, "decided_on": report.decided_on,
        "reference_number": report.reference_number, "published_at": report.published_at,
        "figures_extracted_at": report.figures_at, "figures": report.figures,
        "written": {row["key"]: row["text"] for row in report.written()},
        "measures": [
            {"title": m.title, "problem": m.problem, "cause": m.cause,
             "responsible": m.responsible.name if m.responsible else None, "function": m.function,
             "starts": m.starts, "ends": m.ends, "cost_sek": m.cost_sek, "follow_up": m.follow_up,
             "incident_types": m.incident_types,
             "observation_category": m.observation_category.code if m.observation_category else None,
             "promise": m.promise.slug if m.promise else None, "action": m.action_id, "status": m.status,
             "status_note": m.status_note}
            for m in report.measures.select_related("responsible", "promise", "observation_category")
        ],
        "comments": [
            {"organisation": c.organisation.name, "text": c.text, "answer": c.answer, "created_at": c.created_at}
            for c in report.comments.select_related("organisation")
        ],
    }  # fmt: skip


@router.get(
    "/{code}/situation-reports/",
    response={200: list[SituationReportOut], 404: ErrorOut},
    summary="A municipality's situation reports",
)
def list_reports(request: HttpRequest, code: str, year: int | None = None) -> Status[Any]:
    """Every published version of the municipality's situation reports (newest year first), with each
    section's numbers; members of the organisations that make a report see its working versions too.
    `code` is the official municipality code (1480 for Göteborg)."""
    if not re.fullmatch(r"\d{4}", code):
        raise Http404("A municipality code has four digits (Göteborg: 1480)")
    user = current_user(request)
    mine = policy.visible(user).values_list("pk", flat=True) if user.is_authenticated else []
    rows = SituationReport.objects.filter(municipality_code=code).filter(
        Q(status=SituationReport.Status.PUBLISHED) | Q(pk__in=list(mine))
    )
    if year is not None:
        rows = rows.filter(year=year)
    rows = rows.select_related("area", "organisation").prefetch_related("parts", "partners")
    return Status(200, [report_out(r) for r in rows.order_by("-year", "area__code", "-version")[:100]])
