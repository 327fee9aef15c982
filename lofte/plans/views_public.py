"""The public situation reports of a municipality: a published version's page, its PDF and its
open data. Drafts and versions out for comments are never here."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .document import document, follow_up_context
from .models import SituationReport
from .open_data import open_data_zip
from .permissions import published
from .render import pdf_response


def _published(code: str, year: int, area: str, version: str | None) -> SituationReport:
    rows = published().filter(municipality_code=code, year=year, area__code=area).select_related("area", "organisation")
    if version is not None:
        rows = rows.filter(version=int(version)) if version.isdigit() and len(version) < 4 else rows.none()
    found = rows.order_by("-version").first()
    if found is None:
        raise Http404("No published situation report")
    return found


def municipality_year(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The municipality's published reports of the year: the report itself when there is one."""
    rows = (
        published().filter(municipality_code=code, year=year).select_related("area").order_by("area__name", "-version")
    )
    latest: dict[int, SituationReport] = {}
    for row in rows:
        latest.setdefault(row.area_id, row)
    if not latest:
        raise Http404("No published situation report")
    if len(latest) == 1:
        return public_report(request, code, year, next(iter(latest.values())).area.code)
    return render(request, "plans/public_list.html", {"reports": list(latest.values()), "code": code, "year": year})


def public_report(request: HttpRequest, code: str, year: int, area: str) -> HttpResponse:
    report = _published(code, year, area, request.GET.get("version"))
    versions = published().filter(area=report.area, year=year).order_by("version")
    return render(request, "plans/public.html", document(report) | {"versions": versions})


def public_follow_up(request: HttpRequest, code: str, year: int, area: str) -> HttpResponse:
    return render(request, "plans/follow_up.html", follow_up_context(_published(code, year, area, None)))


def public_pdf(request: HttpRequest, code: str, year: int, area: str) -> HttpResponse:
    return pdf_response(request, _published(code, year, area, request.GET.get("version")))


def public_open_data(request: HttpRequest, code: str, year: int, area: str) -> HttpResponse:
    report = _published(code, year, area, request.GET.get("version"))
    response = HttpResponse(open_data_zip(report), content_type="application/zip")
    name = f"lagesbild-{code}-{area}-{year}-v{report.version}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
