"""What partners' reporters saw in an area (EST: effektiv samordning för trygghet), week by week.

Most of what makes a place unsafe never becomes a police report: graffiti, broken glass, gatherings that
frighten people, poor lighting. Trained reporters of the municipality, the housing companies, the security
firms and the police report it; the reports make the shared situation picture (DESIGN.md section 9).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lofte.core.encrypted import EncryptedTextField
from lofte.core.models import Audited
from lofte.core.translations import localized

MAX_COUNT = 1000  # "how many" of one report: more is a typing error, or several reports
# The activity kind a done action counts as in a promise's commitments (metric "activities"): a
# commitment "at least 20 actions of the shared situation picture" counts the area's done actions.
ACTION_ACTIVITY_KIND = "est_action"


class Category(models.Model):
    """An observation category (a subcategory when it has a parent), editable by site administrators;
    seeded with EST's categories."""

    # What residents read, in their language (lofte.core.translations).
    translated_fields = ("name",)

    code = models.SlugField(_("code"), max_length=50, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="subcategories",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("offered for new reports"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("observation category")
        verbose_name_plural = _("observation categories")

    def __str__(self) -> str:
        return f"{self.parent.name}: {self.name}" if self.parent else self.name

    def local_name(self) -> str:
        return localized(self, "name")

    def local_label(self) -> str:
        """The name in the page's language, after its category's for a subcategory."""
        return f"{self.parent.local_name()}: {self.local_name()}" if self.parent else self.local_name()


class Observation(Audited):
    class PartOfDay(models.TextChoices):
        NIGHT = "night", _("night (00–06)")
        MORNING = "morning", _("morning (06–12)")
        AFTERNOON = "afternoon", _("afternoon (12–18)")
        EVENING = "evening", _("evening (18–24)")

    area = models.ForeignKey(
        "places.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="observations"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="observations",
    )  # fmt: skip
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="observations"
    )
    occurred_on = models.DateField(_("day"), db_index=True)
    occurred_at = models.DateTimeField(_("time"), null=True, blank=True, help_text=_("When it is known."))
    part_of_day = models.CharField(_("part of day"), max_length=10, choices=PartOfDay.choices, blank=True)
    # Where: a place of the area, or a point; a place's centre is kept too, so a removed place leaves it.
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="observations",
    )  # fmt: skip
    lon = models.FloatField(_("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    lat = models.FloatField(_("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    count = models.PositiveIntegerField(
        _("how many"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_COUNT)],
        help_text=_("People in a gathering, tags of graffiti, broken windows…"),
    )  # fmt: skip
    description = models.TextField(_("description"), blank=True, max_length=2000)
    # Where the report came from: the form, the API, or an import from another system (its own id).
    source = models.CharField(_("source"), max_length=40, default="form")
    source_id = models.CharField(_("id in the source"), max_length=100, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        indexes = [models.Index(fields=["area", "occurred_on"], name="observation_area_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source", "source_id"],
                condition=~models.Q(source_id=""),
                name="observation_once_per_source_id",
            ),
            models.CheckConstraint(condition=models.Q(count__gte=1), name="observation_counts_something"),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.occurred_on:%Y-%m-%d}"


class WeeklyDigest(models.Model):
    """A member's wish to get an area's weekly picture by e-mail every Monday (`digest.send_due`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_digests")
    area = models.ForeignKey("places.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The Monday of the last week sent: a second run in the same week sends nothing again.
    last_week_sent = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("weekly e-mail")
        verbose_name_plural = _("weekly e-mails")
        constraints = [models.UniqueConstraint(fields=["user", "area"], name="weekly_digest_once_per_area")]

    def __str__(self) -> str:
        return f"{self.user} {self.area}"


class Action(Audited):
    """A short-term action the area's partners agreed on (EST): pruning, lighting, guards, patrols
    directed to a place. It answers observations, and its outcome is fed back to their reporters."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        UNDER_WAY = "under_way", _("under way")
        DONE = "done", _("done")
        DECLINED = "declined", _("not done")

    area = models.ForeignKey("places.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="actions")
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("responsible organisation"), on_delete=models.PROTECT,
        related_name="actions",
    )  # fmt: skip
    title = models.CharField(_("what"), max_length=200)
    category = models.ForeignKey(
        Category, verbose_name=_("the kind of problem it answers"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="actions",
    )  # fmt: skip
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    observations = models.ManyToManyField(
        Observation, verbose_name=_("observations it answers"), blank=True, related_name="actions"
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    public_note = models.TextField(
        _("note for the reporters"), blank=True, max_length=2000,
        help_text=_("What was done, or why not. The reporters of the observations it answers read it."),
    )  # fmt: skip

    class Meta:
        ordering = ["status", "due", "-pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.title

    @property
    def open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.UNDER_WAY)


class ResidentReport(models.Model):
    """A resident's report of an unsafe place on the area's public form ("digital trygghetsvandring"):
    shown to the public only once a member has moderated it, and followed up like a FixMyStreet report."""

    class Moderation(models.TextChoices):
        PENDING = "pending", _("waiting for moderation")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")

    class Status(models.TextChoices):
        REPORTED = "reported", _("reported")
        UNDER_REVIEW = "under_review", _("under review")
        ACTION_PLANNED = "action_planned", _("action planned")
        DONE = "done", _("done")
        DECLINED = "declined", _("declined")

    area = models.ForeignKey(
        "places.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="resident_reports"
    )
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    text = models.TextField(_("what makes it unsafe"), max_length=1000)
    language = models.CharField(_("language"), max_length=10, blank=True)
    # Only for telling the resident what became of the report; encrypted, and deleted after
    # LOFTE_RESIDENT_CONTACT_DAYS (`residents.purge_contacts`).
    contact = EncryptedTextField(_("e-mail for feedback"), blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.REPORTED)
    status_note = models.TextField(
        _("public note"), blank=True, max_length=1000, help_text=_("What is done, or why not: shown with the report.")
    )
    action = models.ForeignKey(
        Action, verbose_name=_("action taken"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="resident_reports",
    )  # fmt: skip

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("resident's report")
        verbose_name_plural = _("residents' reports")
        indexes = [models.Index(fields=["area", "moderation"], name="resident_report_area_shown")]

    def __str__(self) -> str:
        return self.text[:60]
