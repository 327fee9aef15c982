"""Building blocks shared by every app's models."""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils.translation import gettext_lazy as _


class Audited(models.Model):
    """Who created and last changed a row, and when (DESIGN.md section 7)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def stamp(self, user: Any) -> None:
        """Record `user` as the author of this change (and of the row, if new)."""
        if user is not None and not user.is_authenticated:
            user = None
        if self._state.adding and self.created_by_id is None:
            self.created_by = user
        self.changed_by = user


class SitePage(models.Model):
    """A page about the site that its administrators word for their installation: what a citizen
    promise is, the accessibility statement and the privacy notice. Without a row (or without text
    in a language) the page shows Löfte's default, which names the settings it depends on."""

    # What residents read, in their language (lofte.core.translations).
    translated_fields = ("body",)

    class Key(models.TextChoices):
        ABOUT = "about", _("What is a citizen promise?")
        ACCESSIBILITY = "accessibility", _("Accessibility statement")
        PRIVACY = "privacy", _("Personal data")

    key = models.CharField(_("page"), max_length=20, choices=Key.choices, unique=True)
    body = models.TextField(_("text"), blank=True, help_text=_("Paragraphs separated by an empty line."))
    body_en = models.TextField(_("text (English)"), blank=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("page about the site")
        verbose_name_plural = _("pages about the site")

    def __str__(self) -> str:
        return self.get_key_display()


class HourlyCount(models.Model):
    """How many times something happened in one clock hour: the counters behind the limits on public
    inputs (`lofte.core.limits`). The database increments them atomically, which the cache did not."""

    name = models.CharField(max_length=200)
    window_hour = models.BigIntegerField(help_text="Hours since 1970-01-01 00:00 UTC.")
    total = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "window_hour"], name="hourly_count_name_hour")]
        indexes = [models.Index(fields=["window_hour"], name="hourly_count_hour")]

    def __str__(self) -> str:
        return f"{self.name} @ hour {self.window_hour}: {self.total}"


class Translation(models.Model):
    """A user-written text in one of the residents' languages (Arabic, Somali, Persian): the field
    `field` of the object, as a translator or a draft put it. It translates `source`, the Swedish text
    as it was then: when the Swedish text changes the translation is outdated and the page shows the
    Swedish text until it is translated again. A draft (a machine's or a colleague's) is shown but
    listed for a translator to check."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft, to be checked")
        ACCEPTED = "accepted", _("checked by a translator")

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")  # the object whose text this translates
    field = models.CharField(max_length=50)
    language = models.CharField(_("language"), max_length=5)
    text = models.TextField(_("translation"))
    source = models.TextField(_("Swedish text it translates"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"], name="translation_one_per_text"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}/{self.object_id}/{self.field} [{self.language}]"
