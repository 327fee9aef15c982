"""Forgotten passwords: Django's reset views with Löfte's templates and links on LOFTE_PUBLIC_URL."""

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse


class PasswordReset(auth_views.PasswordResetView):
    """The link in the message is built on LOFTE_PUBLIC_URL, read at each request (never the
    request's Host header, which a forged request could point elsewhere)."""

    template_name = "account/password_reset_form.html"
    email_template_name = "account/password_reset_email.txt"
    subject_template_name = "account/password_reset_subject.txt"

    def form_valid(self, form: Any) -> HttpResponse:
        self.extra_email_context = {"public_url": settings.LOFTE_PUBLIC_URL.rstrip("/")}
        return super().form_valid(form)
