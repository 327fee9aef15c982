"""The municipality's lägesbild and åtgärdsplan (lag 2023:196 om kommuners ansvar för
brottsförebyggande arbete, §§ 4–5; prop. 2022/23:43).

A `SituationReport` is one version of a municipality's (or a district's) situation report for a
year: sections generated from Löfte's data (`figures`, frozen when the version is decided, so that a
decided report never changes under its readers) and sections written by people, the reference
values it compares with, the comments of the referral and the measures of its action plan. A new
version starts from the last decided one (`previous`) and every decided version is kept.
"""

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lofte.accounts.models import Organisation
from lofte.core.models import Audited
from lofte.observations.models import Action, Category
from lofte.places.models import Area
from lofte.promises.models import Promise

municipality_code = RegexValidator(r"^\d{4}$", _("A municipality code has four digits (Göteborg: 1480)."))

# The sections people write, in the order of the document, each with what of the law it answers.
WRITTEN = [
    ("summary", _("Summary"), ""),
    ("consequences", _("Consequences of crime"), "§ 4 p. 1"),
    ("other_information", _("Other information of importance"), "§ 4 p. 2"),
    ("signal_crimes", _("Signal crimes"), "§ 4 p. 3"),
    ("analysis", _("Analysis"), "§ 4 p. 3"),
    ("sources_left_out", _("Sources left out, and why"), "§ 4 p. 3"),
    ("position_on_measures", _("Position on the need for measures"), "§ 5"),
]


class SituationReport(Audited):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        REFERRAL = "referral", _("out for comments")
        DECIDED = "decided", _("decided")
        PUBLISHED = "published", _("published")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("owning organisation"), on_delete=models.PROTECT, related_name="situation_reports"
    )
    partners = models.ManyToManyField(
        Organisation,
        verbose_name=_("made together with"),
        blank=True,
        related_name="shared_situation_reports",
        help_text=_("The police and the partners who see the working version and comment on it."),
    )
    municipality_code = models.CharField(_("municipality code"), max_length=4, validators=[municipality_code])
    municipality_name = models.CharField(_("municipality"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    area = models.ForeignKey(
        Area,
        verbose_name=_("area covered"),
        on_delete=models.PROTECT,
        related_name="situation_reports",
        help_text=_("The municipality's or the district's outline."),
    )
    parts = models.ManyToManyField(
        Area,
        verbose_name=_("parts"),
        blank=True,
        related_name="+",
        help_text=_("The areas within it to compare (e.g. the district's neighbourhoods)."),
    )
    comparison_area = models.ForeignKey(
        Area,
        verbose_name=_("compared with"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The municipality as a whole, when the report covers a district."),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.ForeignKey(
        "self", verbose_name=_("previous version"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_months = models.PositiveSmallIntegerField(
        _("review after (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("A reminder goes to the owners when the decided report is older."),
    )

    summary = models.TextField(_("summary"), blank=True)
    consequences = models.TextField(_("consequences of crime"), blank=True)
    other_information = models.TextField(_("other information of importance"), blank=True)
    signal_crimes = models.TextField(_("signal crimes"), blank=True)
    analysis = models.TextField(_("analysis"), blank=True)
    sources_left_out = models.TextField(_("sources left out, and why"), blank=True)
    position_on_measures = models.TextField(_("position on the need for measures"), blank=True)

    figures = models.JSONField(_("generated figures"), null=True, blank=True, editable=False)
    figures_at = models.DateTimeField(_("figures extracted at"), null=True, blank=True, editable=False)

    decided_by_body = models.CharField(
        _("decided by"), max_length=200, blank=True, help_text=_("e.g. Kommunfullmäktige")
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    reference_number = models.CharField(_("reference number"), max_length=100, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["municipality_code", "-year", "area__name", "-version"]
        verbose_name = _("situation report")
        verbose_name_plural = _("situation reports")
        constraints = [
            models.UniqueConstraint(fields=["area", "year", "version"], name="situation_report_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year}, v{self.version})"

    @property
    def is_decided(self) -> bool:
        return self.status in (self.Status.DECIDED, self.Status.PUBLISHED)

    def written(self) -> list[dict[str, Any]]:
        """The written sections in order: key, heading, the law's paragraph, text."""
        return [{"key": k, "heading": h, "law": law, "text": getattr(self, k)} for k, h, law in WRITTEN]


class ReferenceValue(models.Model):
    """A figure to compare with, entered with its source (e.g. the national safety survey's share)."""

    class Kind(models.TextChoices):
        INCIDENTS_PER_1000 = "incidents_per_1000", _("incidents a year per 1 000 residents")
        SURVEY_SHARE = "survey_share", _("share in the safety survey (%)")
        OTHER = "other", _("other figure (shown, not compared)")

    report = models.ForeignKey(SituationReport, on_delete=models.CASCADE, related_name="references")
    label = models.CharField(_("what it is"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    incident_type = models.CharField(
        _("incident type"), max_length=200, blank=True, help_text=_("Empty: all types together.")
    )
    survey_item = models.CharField(_("survey question code"), max_length=50, blank=True)
    value = models.FloatField(_("value"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    source = models.CharField(_("source"), max_length=300)
    url = models.URLField(_("link to the source"), blank=True)

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("reference value")
        verbose_name_plural = _("reference values")

    def __str__(self) -> str:
        return f"{self.label}: {self.value} ({self.source} {self.year})"


class ReferralComment(models.Model):
    """A comment of the police or a partner on a version out for comments: kept with the version."""

    report = models.ForeignKey(SituationReport, on_delete=models.CASCADE, related_name="comments")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("comment"))
    answer = models.TextField(_("how it was taken into account"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "created_at", "pk"]
        verbose_name = _("referral comment")
        verbose_name_plural = _("referral comments")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.text[:40]}"


class Measure(Audited):
    """A measure of the action plan: what, which problem and cause it answers, who, when, what it costs
    and how it is followed up. A citizen promise or an action of the shared situation picture is a
    measure too, linked, so that its progress and evaluation appear in the follow-up."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ONGOING = "ongoing", _("ongoing")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    report = models.ForeignKey(SituationReport, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(_("measure"), max_length=200)
    problem = models.CharField(_("problem it answers"), max_length=300)
    cause = models.CharField(_("cause it answers"), max_length=300, blank=True)
    responsible = models.ForeignKey(
        Organisation, verbose_name=_("responsible organisation"), null=True, blank=True, on_delete=models.PROTECT
    )
    function = models.CharField(_("responsible function"), max_length=200, blank=True)
    starts = models.DateField(_("starts"), null=True, blank=True)
    ends = models.DateField(_("ends"), null=True, blank=True)
    cost_sek = models.PositiveIntegerField(_("cost (SEK)"), null=True, blank=True)
    follow_up = models.TextField(_("how it is followed up"), blank=True)
    incident_types = models.JSONField(
        _("indicator: incident types"), default=list, blank=True, help_text=_("Counted in the area, year on year.")
    )
    observation_category = models.ForeignKey(
        Category, verbose_name=_("indicator: observations of"), null=True, blank=True, on_delete=models.PROTECT
    )
    promise = models.ForeignKey(
        Promise, verbose_name=_("citizen promise"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.ForeignKey(
        Action, verbose_name=_("action"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    status_note = models.TextField(_("status note"), blank=True)

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return self.title
