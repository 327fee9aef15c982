"""The public history of a promise: every change after it was published, with its reason."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import history
from .views import get_promise_for


def history_page(request: HttpRequest, slug: str) -> HttpResponse:
    promise = get_promise_for(request.user, slug)
    return render(request, "promises/history.html", {"promise": promise, "rows": history.rows(promise)})
