"""The situation report as a standalone HTML document or a tagged A4 PDF (PDF/UA-1, its language
set): for the pages' downloads and `lofte situation-report`."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .document import document
from .models import SituationReport


def render_document(report: SituationReport, *, language: str, fmt: str = "html", staff: bool = False) -> str | bytes:
    """The report in `language` as HTML (str) or PDF (bytes); `staff` adds each measure's check."""
    with translation.override(language):
        ctx = document(report, staff=staff) | {"LANGUAGE_CODE": language, "today": timezone.localdate()}
        html = render_to_string("plans/print.html", ctx)
    if fmt == "html":
        return html
    from weasyprint import HTML

    # PDF/UA-1: tagged, with the document's language and title, so that screen readers can read it.
    pdf: bytes = HTML(string=html, base_url=settings.LOFTE_PUBLIC_URL).write_pdf(pdf_variant="pdf/ua-1")
    return pdf


def pdf_response(request: HttpRequest, report: SituationReport, *, staff: bool = False) -> HttpResponse:
    pdf = render_document(report, language=translation.get_language() or "sv", fmt="pdf", staff=staff)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"lagesbild-{report.municipality_code}-{report.area.code}-{report.year}-v{report.version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


class NoReport(Exception):
    """No report matches: the message says what there is."""


def find_report(code: str, *, year: int, area: str = "", working: bool = False) -> SituationReport:
    """The latest published version of the municipality's report for the year (of `area` when it has
    several), or with `working` the latest version whatever its status."""
    from .permissions import published

    rows = (SituationReport.objects.all() if working else published()).filter(municipality_code=code, year=year)
    if area:
        rows = rows.filter(area__code=area)
    areas = sorted(set(rows.values_list("area__code", flat=True)))
    if not areas:
        kind = "report" if working else "published report"
        raise NoReport(f"no {kind} for municipality {code} and {year}{f' and area {area}' if area else ''}")
    if len(areas) > 1:
        raise NoReport(f"municipality {code} has reports for {year} of several areas: give --area ({', '.join(areas)})")
    found = rows.select_related("area", "organisation").order_by("-version").first()
    assert found is not None
    return found
