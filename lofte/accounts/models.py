"""Organisations, who belongs to them in which role, and API tokens."""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lofte.core.models import Audited


class Organisation(Audited):
    # Its name on residents' pages, in their language (lofte.core.translations): a proper name.
    translated_fields = ("name",)
    proper_names = ("name",)

    class Kind(models.TextChoices):
        POLICE = "police", _("local police area")
        MUNICIPALITY = "municipality", _("municipality or district administration")
        SOCIAL_SERVICES = "social_services", _("social services")
        HOUSING = "housing", _("housing company")
        SECURITY = "security", _("security company")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200, unique=True)

    class Region(models.TextChoices):
        # The Swedish Police Authority's seven regions.
        BERGSLAGEN = "Bergslagen", "Bergslagen"
        MITT = "Mitt", "Mitt"
        NORD = "Nord", "Nord"
        STOCKHOLM = "Stockholm", "Stockholm"
        SYD = "Syd", "Syd"
        VAST = "Väst", "Väst"
        OST = "Öst", "Öst"

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.CharField(_("police region"), max_length=20, choices=Region.choices, blank=True)
    municipality = models.CharField(
        _("municipality"), max_length=100, blank=True, help_text=_("The municipality the organisation works in.")
    )
    # Shown to the public on the promises the organisation gives: who speaks, and how to reach them.
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    logo = models.BinaryField(_("logo (PNG)"), blank=True, null=True, editable=False)
    logo_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    areas = models.ManyToManyField(
        "places.Area",
        verbose_name=_("areas of responsibility"),
        blank=True,
        related_name="organisations",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("administrator")
    OWNER = "owner", _("promise owner")
    OFFICER = "officer", _("officer")
    ANALYST = "analyst", _("analyst")
    CASE_WORKER = "case_worker", _("case worker")
    VIEWER = "viewer", _("viewer")
    # EST: reports what they saw in the organisation's areas, and sees only their own reports.
    REPORTER = "reporter", _("reporter")


class Membership(Audited):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        unique_together = [("user", "organisation", "role")]
        ordering = ["organisation__name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


LAST_USE_PRECISION = timedelta(minutes=5)  # how closely a token's last use is recorded


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 digest is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: Any, name: str) -> tuple["ApiToken", str]:
        """Create a token and return (token, key); the key is shown once and never stored."""
        key = "lofte_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[6:14], digest=_digest(key))
        return token, key

    @classmethod
    def authenticate(cls, key: str) -> User | None:
        token = cls.objects.select_related("user").filter(digest=_digest(key)).first()
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        # To the nearest few minutes: a write on every read made each API GET a transaction (issue 23).
        if token.last_used_at is None or now - token.last_used_at >= LAST_USE_PRECISION:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user
