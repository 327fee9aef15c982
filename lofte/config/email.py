"""E-mail settings from one URL, `LOFTE_EMAIL_URL`, as the database's come from `LOFTE_DATABASE_URL`.

    smtp://host:25                    plain SMTP (a relay on the local network)
    smtp+tls://user:password@host:587 SMTP with STARTTLS
    smtps://user:password@host:465    SMTP over TLS
    console://                        printed to the server's output (the default; the demo)

User and password are percent-encoded in the URL (an @ in a user name as %40).
"""

from typing import Any
from urllib.parse import unquote, urlsplit

SCHEMES = {"smtp": (False, False), "smtp+tls": (True, False), "smtps": (False, True)}


def email_settings(url: str) -> dict[str, Any]:
    """Django's EMAIL_* settings for `url` (empty: the console). Raises ValueError naming the problem."""
    if not url or url.startswith("console:"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise ValueError(f"LOFTE_EMAIL_URL: unknown scheme {parts.scheme!r}; use smtp, smtp+tls, smtps or console")
    if not parts.hostname:
        raise ValueError("LOFTE_EMAIL_URL: no host, e.g. smtp+tls://user:password@mail.example.se:587")
    use_tls, use_ssl = SCHEMES[parts.scheme]
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if use_ssl else 587 if use_tls else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": 20,  # seconds: a page that sends an invitation does not hang on a dead server
    }
