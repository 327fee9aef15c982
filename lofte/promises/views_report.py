"""The report of a promise (`/loften/<slug>/rapport/`, and as PDF): what was promised and done, and
whether it helped, for residents and for the record."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from .open_data import open_data_zip
from .report import render_report, report_context
from .views import get_promise_for


def report(request, slug):
    promise = get_promise_for(request.user, slug)
    return render(request, "promises/report.html", report_context(promise, request.user))


def open_data(request, slug):
    promise = get_promise_for(request.user, slug)
    response = HttpResponse(open_data_zip(promise), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{promise.slug}-oppna-data.zip"'
    return response


def report_pdf(request, slug):
    promise = get_promise_for(request.user, slug)
    pdf = render_report(promise, language=get_language(), fmt="pdf", user=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{promise.slug}-rapport.pdf"'
    return response
