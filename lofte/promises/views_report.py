"""The report of a promise (`/loften/<slug>/rapport/`, and as PDF): what was promised and done, and
whether it helped, for residents and for the record."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from .report import render_report, report_context
from .views import get_promise_for


def report(request, slug):
    promise = get_promise_for(request.user, slug)
    return render(request, "promises/report.html", report_context(promise, request.user))


def report_pdf(request, slug):
    promise = get_promise_for(request.user, slug)
    pdf = render_report(promise, language=get_language(), fmt="pdf", user=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{promise.slug}-rapport.pdf"'
    return response
