"""Request types for mypy: what a view may assume about ``request.user`` once a decorator has checked it."""

from django.contrib.auth.models import User
from django.http import HttpRequest


class LoggedInRequest(HttpRequest):
    """A request behind ``login_required``: ``user`` is a stored account, never the anonymous user."""

    user: User
