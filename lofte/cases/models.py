"""Support cases of the exit programme (avhopparverksamhet): pseudonymous, and every access logged.

No names or personal identity numbers are stored: a pseudonym, and optionally a keyed hash
(HMAC-SHA256 with LOFTE_CASE_KEY from the environment) of an identifier the case worker
types in, so that the same person can be recognised without being named.
"""

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

from lofte.core.encrypted import EncryptedTextField
from lofte.core.models import Audited


def match_key(identifier: str) -> str:
    """HMAC of an identifier (never stored itself); needs LOFTE_CASE_KEY."""
    key = settings.LOFTE_CASE_KEY
    if not key:
        raise ImproperlyConfigured("LOFTE_CASE_KEY is not set: matching cases by identifier is off")
    normalised = "".join(identifier.split()).casefold()
    return hmac.new(key.encode(), normalised.encode(), hashlib.sha256).hexdigest()


class SupportCase(Audited):
    class Status(models.TextChoices):
        CONTACT = "contact", _("first contact")
        ACTIVE = "active", _("active")
        PAUSED = "paused", _("paused")
        COMPLETED = "completed", _("completed")
        DROPPED = "dropped", _("dropped out")

    class Outcome(models.TextChoices):
        LEFT_CRIME = "left_crime", _("left crime")
        EDUCATION_OR_WORK = "education_or_work", _("in education or work")
        MOVED = "moved", _("moved away")
        RETURNED = "returned", _("returned to crime")
        UNKNOWN = "unknown", _("unknown")

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="support_cases"
    )
    pseudonym = models.CharField(
        _("pseudonym"), max_length=50, help_text=_("Never a name or a personal identity number.")
    )
    match_key = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    started_on = models.DateField(_("started"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CONTACT)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["-started_on", "pseudonym"]
        unique_together = [("organisation", "pseudonym")]
        verbose_name = _("support case")
        verbose_name_plural = _("support cases")

    def __str__(self) -> str:
        return self.pseudonym


class CaseEvent(Audited):
    class Kind(models.TextChoices):
        CONTACT = "contact", _("contact")
        STATUS = "status", _("status change")

    class ContactKind(models.TextChoices):
        MEETING = "meeting", _("meeting")
        PHONE = "phone", _("phone call")
        HOME_VISIT = "home_visit", _("home visit")
        WITH_AUTHORITY = "with_authority", _("meeting with an authority")
        OTHER = "other", _("other")

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="events")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    contact_kind = models.CharField(_("contact"), max_length=20, choices=ContactKind.choices, blank=True)
    status = models.CharField(_("new status"), max_length=12, choices=SupportCase.Status.choices, blank=True)
    # Encrypted at rest with a key kept outside the database (lofte.core.encrypted).
    note = EncryptedTextField(_("note"), blank=True, help_text=_("No names or identity numbers."))

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")


class AppendOnly(Exception):
    pass


class AccessLog(models.Model):
    """Every read and change of support cases; rows are never changed or deleted."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(_("user"), max_length=150)
    # Whose cases were read: administrators read their own organisation's log only.
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20)
    case_ref = models.CharField(_("case"), max_length=80, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.case_ref}".rstrip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("the access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("the access log is append-only")

    @classmethod
    def record(
        cls, user: Any, action: str, case: "SupportCase | None" = None, detail: str = "", organisation: Any = None
    ) -> "AccessLog":
        """Log ``action`` on ``case`` (or, for lists, in ``organisation``) by ``user``."""
        return cls.objects.create(
            user=user,
            username=user.get_username(),
            action=action,
            organisation=case.organisation if case else organisation,
            case_ref=f"{case.pk}:{case.pseudonym}" if case else "",
            detail=detail[:300],
        )
