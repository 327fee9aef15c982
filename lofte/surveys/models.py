"""Safety surveys: the questionnaire, its waves, the invited sample and the responses.

Anonymous mode (the default) keeps nothing that links an invitation code to its answers:
a response has no reference to its invitation, a random primary key, and only the day it came
in; the invitation only knows *that* it was used, not when. Background variables for weighting
then come from the respondent's own answers, not from the register.
"""

import uuid
from collections.abc import Mapping

from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from lofte.analysis.vocabulary import WaveKind
from lofte.core.models import Audited
from lofte.core.translations import localized


def in_language(texts: Mapping[str, str], language: str | None = None) -> str:
    """The text for the current language from a {language: text} dict, Swedish when missing."""
    language = language or translation.get_language() or "sv"
    return texts.get(language) or texts.get("sv") or next(iter(texts.values()), "")


class Survey(Audited):
    # What residents read, in their language (lofte.core.translations).
    translated_fields = ("name",)

    area = models.ForeignKey("places.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="surveys")
    organisations = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("organisations"), related_name="surveys"
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Nothing links a code to its answers; no reminders to those who have not answered."),
    )
    problem_index = models.JSONField(
        _("problem index"),
        default=dict,
        blank=True,
        help_text=_("items, scores, weights and min_answered; see the item bank"),
    )
    published = models.BooleanField(_("results are public"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.name

    def local_name(self) -> str:
        return localized(self, "name")

    def get_absolute_url(self) -> str:
        return reverse("survey", kwargs={"slug": self.slug})


class Item(models.Model):
    """One question of a survey, copied from the item bank or written for this survey."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    section = models.CharField(_("section"), max_length=50, default="main")
    section_texts = models.JSONField(_("section title"), default=dict, blank=True)
    texts = models.JSONField(_("question"), help_text=_('{"sv": "…", "en": "…"}'))
    options = models.JSONField(
        _("answer options"), help_text=_('[{"value": "1", "sv": "…", "en": "…", "missing": false}, …]')
    )
    indicator = models.JSONField(_("indicator answers"), default=list, blank=True)
    indicator_texts = models.JSONField(_("indicator"), default=dict, blank=True)
    better = models.CharField(
        _("an improvement is"), max_length=6, blank=True, choices=[("lower", _("lower")), ("higher", _("higher"))]
    )
    background = models.BooleanField(_("background question"), default=False)

    class Meta:
        ordering = ["survey", "position", "pk"]
        unique_together = [("survey", "code")]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return self.code

    def text(self) -> str:
        return in_language(self.texts)

    def section_title(self) -> str:
        return in_language(self.section_texts) if self.section_texts else self.section

    def indicator_text(self) -> str:
        return in_language(self.indicator_texts) if self.indicator_texts else ""

    def choices(self) -> list[tuple[str, str]]:
        """(value, label) pairs in the current language."""
        language = translation.get_language() or "sv"
        return [(o["value"], o.get(language) or o.get("sv") or o["value"]) for o in self.options]

    def values(self) -> set[str]:
        return {o["value"] for o in self.options}

    def missing_values(self) -> set[str]:
        return {o["value"] for o in self.options if o.get("missing")}


class Wave(Audited):
    # What residents read, in their language (lofte.core.translations).
    translated_fields = ("label",)

    class Kind(models.TextChoices):
        BASELINE = WaveKind.BASELINE, _("baseline")
        FOLLOW_UP = WaveKind.FOLLOW_UP, _("follow-up")
        OTHER = WaveKind.OTHER, _("other")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=100, help_text=_("e.g. autumn 2014"))
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    strata = models.JSONField(
        _("strata"),
        default=dict,
        blank=True,
        help_text=_('{"stratum": {"population": N, "sample": n}} from the sampling frame'),
    )
    margins = models.JSONField(
        _("population margins"),
        default=dict,
        blank=True,
        help_text=_('{"age_group": {"16-24": N, …}, "sex": {…}} for raking, from the sampling frame'),
    )
    sample_seed = models.BigIntegerField(_("sample seed"), null=True, blank=True, editable=False)
    code_salt = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        ordering = ["survey", "opens_on"]
        unique_together = [("survey", "label")]
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="wave_closes_after_it_opens"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} – {self.label}"

    @property
    def local_label(self) -> str:
        """The label in the page's language (the Swedish one when no English one is given)."""
        return localized(self, "label")

    def responses_changed(self) -> None:
        """Mark the wave's responses as changed: cached results key on ``changed_at``."""
        self.changed_at = timezone.now()
        Wave.objects.filter(pk=self.pk).update(changed_at=self.changed_at)


class Invitation(models.Model):
    """A sampled person's invitation and single-use code.

    Only the code's SHA-256 digest is stored; the code itself is derived again from the wave's
    salt and the server's secret key when a letter is printed (see `codes`). The address is
    needed for letters only and is erased by `lofte survey-purge-addresses`.
    """

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    number = models.PositiveIntegerField(_("letter number"))
    digest = models.CharField(max_length=64, unique=True, editable=False)
    stratum = models.CharField(_("stratum"), max_length=100)
    person_ref = models.CharField(_("register id"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    age_group = models.CharField(_("age group"), max_length=20, blank=True)
    sex = models.CharField(_("sex"), max_length=10, blank=True)
    used = models.BooleanField(_("used"), default=False)
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)
    draft = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["wave", "number"]
        unique_together = [("wave", "number")]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.wave} #{self.number}"


class Response(models.Model):
    class Source(models.TextChoices):
        WEB = "web", _("web questionnaire")
        LIMESURVEY = "limesurvey", "LimeSurvey"
        KOBO = "kobo", "KoboToolbox"
        CSV = "csv", _("CSV file")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(
        Invitation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="response",
        help_text=_("Only in surveys that are not anonymous."),
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.WEB)
    external_id = models.CharField(_("id in the source"), max_length=100, blank=True)
    submitted_on = models.DateField(_("submitted on"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    stratum = models.CharField(_("stratum"), max_length=100, blank=True)
    answers = models.JSONField(_("answers"), default=dict)

    class Meta:
        ordering = ["wave", "submitted_on"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "source", "external_id"],
                condition=~models.Q(external_id=""),
                name="response_once_per_source_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.wave}: {self.submitted_on}"
