"""A promise (medborgarlöfte), its commitments and the public updates on them."""

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lofte.analysis import progress
from lofte.analysis import vocabulary as words
from lofte.analysis.progress import MetricDefinition
from lofte.core.models import Audited
from lofte.core.translations import localized
from lofte.observations.models import Category

if TYPE_CHECKING:
    from lofte.surveys.models import Wave


class PromiseQuerySet(models.QuerySet["Promise"]):
    def public(self) -> "PromiseQuerySet":
        return self.filter(status__in=[Promise.Status.PUBLISHED, Promise.Status.CLOSED, Promise.Status.WITHDRAWN])


class Promise(Audited):
    # What residents read, in their language (lofte.core.translations).
    translated_fields = ("title", "problem", "rationale", "next_steps", "withdraw_reason")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CLOSED = "closed", _("closed")
        # Given up before its end, with a public reason: it stays readable, marked, never deleted.
        WITHDRAWN = "withdrawn", _("withdrawn")

    area = models.ForeignKey("places.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="promises")
    parties = models.ManyToManyField("accounts.Organisation", verbose_name=_("parties"), related_name="promises")
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    problem = models.TextField(_("problem statement"))
    problem_en = models.TextField(_("problem statement (English)"), blank=True)
    rationale = models.TextField(
        _("why this problem"),
        blank=True,
        help_text=_("What in the survey, the dialogues and the incidents pointed to this problem."),
    )
    rationale_en = models.TextField(_("why this problem (English)"), blank=True)
    next_steps = models.TextField(
        _("next steps"), blank=True, help_text=_("What happens after the promise: shown at the end of its report.")
    )
    next_steps_en = models.TextField(_("next steps (English)"), blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    slug = models.SlugField(_("public slug"), max_length=100, unique=True)
    outcome_incident_types = models.JSONField(
        _("outcome: incident types"),
        default=list,
        blank=True,
        help_text=_("The incident types the problem is about; their counts are compared before and after."),
    )
    outcome_observation_categories = models.JSONField(
        _("outcome: observation categories"),
        default=list,
        blank=True,
        help_text=_("The partners' observation categories (codes) the problem is about; their reports during "
                    "the promise are compared with as long before."),
    )  # fmt: skip
    control_areas = models.ManyToManyField(
        "places.Area",
        verbose_name=_("control areas"),
        blank=True,
        related_name="control_for",
        help_text=_("Areas like this one where the promise does nothing extra: the comparison for its outcomes."),
    )
    donor_areas = models.ManyToManyField(
        "places.Area",
        verbose_name=_("donor areas for a synthetic comparison"),
        blank=True,
        related_name="donor_for",
        help_text=_(
            "Other areas whose weighted mix, fitted on the months before the promise, stands in for the area "
            "(synthetic control). The control areas are always in the pool."
        ),
    )
    buffer_m = models.PositiveIntegerField(
        _("buffer ring (metres)"),
        default=250,
        help_text=_("The ring around the area where incidents might move to (displacement)."),
    )
    triangle = models.JSONField(
        _("problem triangle"),
        default=dict,
        blank=True,
        help_text=_("Notes on the offenders, targets, places and the handlers, guardians and managers who could act."),
    )
    min_visit_minutes = models.PositiveSmallIntegerField(
        _("shortest visit that counts (minutes)"),
        null=True,
        blank=True,
        help_text=_("Patrol visits shorter than this do not count towards the targets. Empty: the site's default."),
    )
    # The survey waves the promise is measured between: named before the follow-up is answered, so a
    # wave added later (or an extra one) never changes what the promise is judged on.
    baseline_wave = models.ForeignKey(
        "surveys.Wave", verbose_name=_("survey: baseline wave"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The wave the survey questions are compared from. Empty: the survey's first answered baseline."),
    )  # fmt: skip
    follow_up_wave = models.ForeignKey(
        "surveys.Wave", verbose_name=_("survey: follow-up wave"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The wave the survey questions are compared at. Empty: the latest answered follow-up."),
    )  # fmt: skip
    previous = models.ForeignKey(
        "self", verbose_name=_("follows on from"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="next_promises",
    )  # fmt: skip
    publish_reason = models.TextField(
        _("reason for publishing despite the check's findings"),
        blank=True,
        help_text=_("Shown to staff beside the findings."),
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True, editable=False)
    withdraw_reason = models.TextField(_("why the promise was withdrawn"), blank=True, editable=False)

    objects = PromiseQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("promise")
        verbose_name_plural = _("promises")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="promise_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("promise", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period must end after it starts.")})
        codes = self.outcome_observation_categories or []

        known = set(Category.objects.filter(code__in=codes).values_list("code", flat=True))
        if unknown := [c for c in codes if c not in known]:
            raise ValidationError(
                {"outcome_observation_categories": _("No such category: %(code)s.") % {"code": unknown[0]}}
            )
        base, follow = self.baseline_wave, self.follow_up_wave
        for name, wave in (("baseline_wave", base), ("follow_up_wave", follow)):
            if wave is not None and self.area_id and wave.survey.area_id != self.area_id:
                raise ValidationError({name: _("Choose a wave of a survey in the promise's area.")})
        if base is not None and follow is not None:
            if base.survey_id != follow.survey_id:
                raise ValidationError({"follow_up_wave": _("Choose two waves of the same survey.")})
            if follow.opens_on <= base.opens_on:
                raise ValidationError({"follow_up_wave": _("The follow-up wave must open after the baseline.")})

    @property
    def visit_minimum(self) -> float:
        """Minutes a patrol visit must last to count towards this promise's targets."""
        if self.min_visit_minutes is not None:
            return float(self.min_visit_minutes)
        return float(settings.LOFTE_MIN_VISIT_MINUTES)

    def named_waves(self, survey_id: int) -> "tuple[Wave | None, Wave | None]":
        """The baseline and follow-up waves this promise names in the survey `survey_id` (None where it
        names none there)."""
        base, follow = self.baseline_wave, self.follow_up_wave
        return (
            base if base is not None and base.survey_id == survey_id else None,
            follow if follow is not None and follow.survey_id == survey_id else None,
        )

    def local_title(self) -> str:
        return localized(self, "title")

    def local_problem(self) -> str:
        return localized(self, "problem")

    def local_rationale(self) -> str:
        return localized(self, "rationale")

    def local_next_steps(self) -> str:
        return localized(self, "next_steps")


class Commitment(Audited):
    # What residents read, in their language (lofte.core.translations).
    translated_fields = ("text", "unit")

    class Kind(models.TextChoices):
        TARGET = "target", _("measurable target")
        MILESTONE = "milestone", _("milestone")

    # The values are the pure core's vocabulary (lofte/analysis/vocabulary.py); these add the labels.
    class Metric(models.TextChoices):
        PATROL_VISITS = words.Metric.PATROL_VISITS, _("patrol visits")
        PATROL_VISITS_PER_DAY = words.Metric.PATROL_VISITS_PER_DAY, _("patrol visits per day")
        PATROL_MINUTES = words.Metric.PATROL_MINUTES, _("patrol minutes")
        KOPER_SHARE = words.Metric.KOPER_SHARE, _("share of visits lasting 10-16 minutes")
        SEIZURES = words.Metric.SEIZURES, _("seizures")
        ACTIVITIES = words.Metric.ACTIVITIES, _("activities")
        SUPPORT_CASES = words.Metric.SUPPORT_CASES, _("support cases started")

    class Comparator(models.TextChoices):
        AT_LEAST = words.Comparator.AT_LEAST, _("at least")
        MORE_THAN = words.Comparator.MORE_THAN, _("more than")
        AT_MOST = words.Comparator.AT_MOST, _("at most")
        LESS_THAN = words.Comparator.LESS_THAN, _("less than")
        EXACTLY = words.Comparator.EXACTLY, _("exactly")

    class Measure(models.TextChoices):
        COUNT = words.Measure.COUNT, _("number of seizures")
        PIECES = words.Measure.PIECES, _("number of items (pieces)")
        WEIGHT_G = words.Measure.WEIGHT_G, _("weight in grams")

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="commitments")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("commitment"))
    text_en = models.TextField(_("commitment (English)"), blank=True)
    responsible = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("responsible"), related_name="commitments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TARGET)
    # Target commitments
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices, blank=True)
    comparator = models.CharField(
        _("comparator"), max_length=2, choices=Comparator.choices, default=Comparator.AT_LEAST
    )
    target_value = models.DecimalField(_("target value"), max_digits=12, decimal_places=3, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True, help_text=_("e.g. visits a day"))
    unit_en = models.CharField(_("unit (English)"), max_length=50, blank=True)
    places = models.ManyToManyField(
        "places.Place",
        verbose_name=_("places"),
        blank=True,
        related_name="commitments",
        help_text=_("Patrol metrics: only these places. Empty means every place in the area."),
    )
    filter_category = models.CharField(
        _("seizure category"),
        max_length=20,
        blank=True,
        choices=[("weapon", _("weapon")), ("narcotics", _("narcotics")), ("other", _("other"))],
    )
    filter_kind = models.CharField(
        _("kind of seizure or activity"),
        max_length=100,
        blank=True,
        help_text=_("e.g. information_meeting for activities, pistol for seizures"),
    )
    automatic_only = models.BooleanField(_("automatic weapons only"), default=False)
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices, default=Measure.COUNT)
    # Milestones
    due_date = models.DateField(_("due date"), null=True, blank=True)
    outcome_item = models.ForeignKey(
        "surveys.Item",
        verbose_name=_("outcome (survey question)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
        help_text=_(
            "The survey indicator this commitment is meant to move; compared between the "
            "survey's baseline and follow-up on the public page."
        ),
    )
    outcome_expected_change = models.FloatField(
        _("expected change (percentage points)"),
        null=True,
        blank=True,
        help_text=_("How much the owners expect the survey question's share to change, e.g. -10."),
    )
    done_date = models.DateField(_("done date"), null=True, blank=True)

    class Meta:
        ordering = ["promise", "position", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.text[:80]

    def local_text(self) -> str:
        return localized(self, "text")

    def local_unit(self) -> str:
        return localized(self, "unit")

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.TARGET:
            if not self.metric:
                errors["metric"] = _("A target commitment needs a metric.")
            if self.target_value is None:
                errors["target_value"] = _("A target commitment needs a target value.")
            if self.measure != self.Measure.COUNT and self.metric != self.Metric.SEIZURES:
                errors["measure"] = _("Pieces and weight apply to seizures only.")
        elif not self.due_date:
            errors["due_date"] = _("A milestone needs a due date.")
        if errors:
            raise ValidationError(errors)

    def is_measurable(self) -> bool:
        """A milestone with a due date, or a target with a metric and a value (the promise check says
        what else is missing)."""
        if self.kind == self.Kind.MILESTONE:
            return self.due_date is not None
        return bool(self.metric) and self.target_value is not None

    def definition(self) -> MetricDefinition:
        """The pure metric definition that `lofte.analysis.progress` evaluates."""
        return progress.MetricDefinition(
            metric=self.metric,
            comparator=self.comparator,
            target=float(self.target_value or 0),
            place_ids=tuple(p.pk for p in self.places.all()),
            category=self.filter_category,
            kind=self.filter_kind,
            automatic_only=self.automatic_only,
            measure=self.measure,
            min_visit_minutes=self.promise.visit_minimum,
        )


class UpdateQuerySet(models.QuerySet["Update"]):
    def visible(self, today: date | None = None) -> "UpdateQuerySet":
        return self.filter(published_on__lte=today or timezone.localdate())


class Update(Audited):
    """A dated public note on a commitment; shown from its publication date on."""

    # What residents read, in their language (lofte.core.translations).
    translated_fields = ("text",)

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    published_on = models.DateField(_("published on"))
    text = models.TextField(_("text"))
    text_en = models.TextField(_("text (English)"), blank=True)

    objects = UpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("update")
        verbose_name_plural = _("updates")

    def __str__(self) -> str:
        return f"{self.published_on}: {self.text[:60]}"

    def local_text(self) -> str:
        return localized(self, "text")


TRIANGLE = (
    ("offender", _("offenders")),
    ("target", _("targets or victims")),
    ("place", _("places")),
    ("handler", _("handlers: those close to the offenders")),
    ("guardian", _("guardians: those who watch over the targets")),
    ("manager", _("managers: those responsible for the places")),
)


class Cause(models.Model):
    """A node of a promise's cause tree (why the problem happens), with the evidence for it; the
    commitments name the causes they address."""

    # What residents read, in their language (lofte.core.translations).
    translated_fields = ("text",)

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="causes")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    text = models.CharField(_("cause"), max_length=300)
    text_en = models.CharField(_("cause (English)"), max_length=300, blank=True)
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("What shows it: the survey, a dialogue, data."))
    commitments = models.ManyToManyField(Commitment, verbose_name=_("addressed by"), blank=True, related_name="causes")

    class Meta:
        ordering = ["promise", "pk"]
        verbose_name = _("cause")
        verbose_name_plural = _("causes")

    def __str__(self) -> str:
        return self.text

    def local_text(self) -> str:
        return localized(self, "text")


class PartyInvitation(models.Model):
    """An organisation asked to become a party to a promise. A party shares the promise's data (its
    area's incidents, its activity, its support-case counts), so no organisation becomes one by
    another's choice: an owner of the invited organisation accepts, and only then is it a party
    (and linked to the promise's area)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-invited_at", "-pk"]
        verbose_name = _("invitation to be a party")
        verbose_name_plural = _("invitations to be a party")
        constraints = [
            models.UniqueConstraint(fields=["promise", "organisation"], name="one_invitation_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.promise}"


class Revision(models.Model):
    """One change to a promise after it was published: what changed (each field's old and new value
    as text), why, when and by which party. The public history (`promises.history`) shows these; a
    published promise's targets, dates and outcome links change only with a reason."""

    class Subject(models.TextChoices):
        PROMISE = "promise", _("the promise")
        COMMITMENT = "commitment", _("a commitment")
        PLACE = "place", _("a place")

    class Action(models.TextChoices):
        CHANGED = "changed", _("changed")
        ADDED = "added", _("added")
        REMOVED = "removed", _("removed")
        WITHDRAWN = "withdrawn", _("was withdrawn")

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="changes")
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject_label = models.CharField(_("which"), max_length=300, blank=True)  # as it was called then
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, default=Action.CHANGED)
    fields = models.JSONField(_("fields"), default=list)  # [{"field": name, "old": text, "new": text}]
    reason = models.TextField(_("reason"), blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("party"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The person stays with the staff pages; the public history names the party.
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    made_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-made_at", "-pk"]
        verbose_name = _("change to a published promise")
        verbose_name_plural = _("changes to published promises")

    def __str__(self) -> str:
        return f"{self.promise}: {self.get_subject_display()} {self.get_action_display()}"
