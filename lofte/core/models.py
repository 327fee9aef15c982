"""Building blocks shared by every app's models."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def localized(obj: object, name: str) -> str:
    """The English variant of a text field (`<name>_en`) under /en/ when it is filled in, else the
    Swedish one: texts written by users come in these two languages."""
    if translation.get_language() == "en":
        english = getattr(obj, f"{name}_en", "")
        if english:
            return english
    value = getattr(obj, name)
    return value if isinstance(value, str) else ""


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
