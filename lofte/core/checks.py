"""Checks of a deployment (`lofte check --deploy`): settings that work on a laptop but mislead in
production."""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

DEFAULT_PUBLIC_URL = "http://localhost:8000"


def public_url_is_default() -> bool:
    return settings.LOFTE_PUBLIC_URL.rstrip("/") == DEFAULT_PUBLIC_URL


@register(Tags.security, deploy=True)
def public_url(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if not public_url_is_default():
        return []
    return [
        Warning(
            "LOFTE_PUBLIC_URL is left at its default, http://localhost:8000.",
            hint="Survey letters print this address for residents to type in: set it to the site's public address.",
            id="lofte.W001",
        )
    ]


@register(Tags.security, deploy=True)
def email(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.LOFTE_EMAIL_URL:
        return []
    return [
        Warning(
            "LOFTE_EMAIL_URL is not set: invitations and password resets are printed to the server's output.",
            hint="Set it to the organisation's mail server, e.g. smtp+tls://user:password@mail.example.se:587.",
            id="lofte.W002",
        )
    ]
