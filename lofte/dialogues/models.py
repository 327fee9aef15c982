"""Citizen dialogues: the meetings, walks and visits where residents were heard, what they said, and the
themes an area's statements are sorted by. Residents may also write a statement on the public "Tyck
till" form; no statement is shown to the public before a member has moderated it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lofte.core.models import Audited


class Theme(models.Model):
    """One of an area's themes (e.g. "violence in public places"), editable per area."""

    # What residents read, in their language (lofte.core.translations).
    translated_fields = ("name",)

    area = models.ForeignKey("places.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        ordering = ["area", "name"]
        unique_together = [("area", "name")]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class Dialogue(Audited):
    class Format(models.TextChoices):
        MEETING = "meeting", _("meeting")
        SAFETY_WALK = "safety_walk", _("safety walk")
        SCHOOL_VISIT = "school_visit", _("school visit")
        ONLINE = "online", _("online")
        OTHER = "other", _("other")

    area = models.ForeignKey("places.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="dialogues")
    promise = models.ForeignKey(
        "promises.Promise", verbose_name=_("promise"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="dialogues",
    )  # fmt: skip
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    languages = models.CharField(_("languages"), max_length=200, blank=True, help_text=_("e.g. sv, so, ar"))
    interpreted = models.BooleanField(_("interpreted"), default=False)
    participants = models.JSONField(
        _("participants by group"), default=dict, blank=True,
        help_text=_('Rough counts, e.g. {"residents": 40, "young people": 12, "business owners": 5}'),
    )  # fmt: skip
    organisations = models.ManyToManyField("accounts.Organisation", verbose_name=_("organisations present"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-held_on", "place"]
        verbose_name = _("citizen dialogue")
        verbose_name_plural = _("citizen dialogues")

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"

    @property
    def participant_count(self) -> int:
        return sum(int(n) for n in self.participants.values())


class Statement(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for moderation")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")

    area = models.ForeignKey("places.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="statements")
    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("dialogue"), null=True, blank=True, on_delete=models.CASCADE, related_name="statements"
    )  # null: written on the public form
    text = models.TextField(_("statement"), max_length=1000)
    language = models.CharField(_("language"), max_length=10, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="statements")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        indexes = [models.Index(fields=["area", "status"])]

    def __str__(self) -> str:
        return self.text[:60]


class OpinionExercise(Audited):
    """Short statements residents vote on (agree, disagree, pass), one at a time, to find the opinion
    groups of an area (pol.is-style, `lofte.analysis.opinion`)."""

    # What residents read, in their language (lofte.core.translations).
    translated_fields = ("title",)

    area = models.ForeignKey("places.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="opinions")
    title = models.CharField(_("title"), max_length=200)
    is_open = models.BooleanField(_("open for votes"), default=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("opinion exercise")
        verbose_name_plural = _("opinion exercises")

    def __str__(self) -> str:
        return self.title


class OpinionStatement(models.Model):
    # What residents read, in their language (lofte.core.translations).
    translated_fields = ("text",)

    exercise = models.ForeignKey(OpinionExercise, on_delete=models.CASCADE, related_name="statements")
    text = models.CharField(_("statement"), max_length=300)
    text_en = models.CharField(_("statement (English)"), max_length=300, blank=True)

    class Meta:
        ordering = ["exercise", "pk"]
        verbose_name = _("opinion statement")
        verbose_name_plural = _("opinion statements")

    def __str__(self) -> str:
        return self.text


class OpinionVote(models.Model):
    """One anonymous voter's vote (a random id kept in a cookie; nothing else about them is stored)."""

    class Choice(models.IntegerChoices):
        AGREE = 1, _("agree")
        DISAGREE = -1, _("disagree")
        PASS = 0, _("pass / unsure")

    statement = models.ForeignKey(OpinionStatement, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=32, db_index=True)
    vote = models.SmallIntegerField(choices=Choice.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "voter"], name="one_vote_per_statement_and_voter"),
            models.CheckConstraint(condition=models.Q(vote__in=[-1, 0, 1]), name="opinion_vote_is_1_0_or_minus_1"),
        ]

    def __str__(self) -> str:
        return f"{self.voter[:6]} {self.vote:+d}"


class CandidateProblem(models.Model):
    """A row of an area's evidence matrix: a problem the promise could be about, joined to the survey
    question, the incident types and the dialogue themes that measure it (an editable mapping)."""

    # What residents read, in their language (lofte.core.translations).
    translated_fields = ("name",)

    area = models.ForeignKey("places.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(_("problem"), max_length=200)
    name_en = models.CharField(_("problem (English)"), max_length=200, blank=True)
    survey_item = models.CharField(
        _("survey question"), max_length=50, blank=True, help_text=_("The code of a question, e.g. problem_shootings")
    )
    incident_types = models.JSONField(_("incident types"), default=list, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("dialogue themes"), blank=True)
    observation_categories = models.ManyToManyField(
        "observations.Category", verbose_name=_("observation categories"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["area", "name"]
        unique_together = [("area", "name")]
        verbose_name = _("candidate problem")
        verbose_name_plural = _("candidate problems")

    def __str__(self) -> str:
        return self.name
