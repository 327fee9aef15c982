"""The pages about the site: what a citizen promise is, accessibility and personal data. Each shows
its administrators' text when they have written one (`SitePage`), else Löfte's default."""

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponse
from django.shortcuts import render

from .models import SitePage
from .translations import localized

TEMPLATES = {key: f"core/pages/{key}.html" for key in SitePage.Key.values}


def _page(request: HttpRequest, key: str) -> HttpResponse:
    page = SitePage.objects.filter(key=key).first()
    body = localized(page, "body") if page else ""
    if not body.strip():
        body = ""  # (stripped only to test it: a Swedish fallback keeps its mark)
    ctx = {
        "key": key,
        "title": SitePage.Key(key).label,
        "body": body,
        "changed": page.changed_at if page and body else None,
        "contact": settings.LOFTE_CONTACT_EMAIL,
        "threshold": settings.LOFTE_SMALL_COUNT_THRESHOLD,
        "min_answers": settings.LOFTE_SURVEY_MIN_ANSWERS,
        "default": TEMPLATES[key],
    }
    return render(request, "core/page.html", ctx)


def about(request: HttpRequest) -> HttpResponse:
    return _page(request, "about")


def accessibility(request: HttpRequest) -> HttpResponse:
    return _page(request, "accessibility")


def privacy(request: HttpRequest) -> HttpResponse:
    return _page(request, "privacy")
