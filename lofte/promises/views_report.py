"""The report of a promise (`/loften/<slug>/rapport/`, and as PDF): what was promised and done, and
whether it helped, for residents and for the record."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from lofte.core.kept import kept
from lofte.incidents.picture import data_state

from .follow_up import state_key
from .open_data import open_data_zip
from .report import render_report, report_context
from .views import get_promise_for


def report(request: HttpRequest, slug: str) -> HttpResponse:
    promise = get_promise_for(request.user, slug)
    return render(request, "promises/report.html", report_context(promise, request.user))


def open_data(request: HttpRequest, slug: str) -> HttpResponse:
    promise = get_promise_for(request.user, slug)
    response = HttpResponse(open_data_zip(promise), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{promise.slug}-oppna-data.zip"'
    return response


def report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The report as the public sees it, as PDF. Making one costs up to a second: kept in the cache
    until the promise's numbers or the incident data change."""
    promise = get_promise_for(request.user, slug)
    language = get_language()
    inputs = (state_key(promise, timezone.localdate()), data_state(), language, settings.LOFTE_SMALL_COUNT_THRESHOLD)
    pdf = kept("report-pdf", inputs, lambda: render_report(promise, language=language, fmt="pdf"), 24 * 3600)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{promise.slug}-rapport.pdf"'
    return response
