"""What is done in the street: patrol visits, seizures and other activities."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lofte.core.models import Audited


class Unit(Audited):
    """A patrol unit and its call sign, e.g. "Hisingen 1130"."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="units",
    )
    call_sign = models.CharField(_("call sign"), max_length=50)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["organisation__name", "call_sign"]
        unique_together = [("organisation", "call_sign")]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.call_sign


class Patrol(Audited):
    """One patrol visit (patrulleringstillfälle) at a place."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("logged by hand")
        GPS = "gps", _("GPS")

    place = models.ForeignKey("places.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="patrols")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="patrols",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="patrols",
    )
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"), null=True, blank=True, help_text=_("Empty while the visit goes on."))
    auto_closed = models.BooleanField(
        _("closed automatically"),
        default=False,
        help_text=_("Started and never ended: closed at the longest allowed visit."),
    )
    officers = models.PositiveSmallIntegerField(_("number of officers"), default=2, validators=[MinValueValidator(1)])
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-start"]
        verbose_name = _("patrol visit")
        verbose_name_plural = _("patrol visits")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")),
                name="patrol_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} {self.start:%Y-%m-%d %H:%M}"

    @property
    def minutes(self) -> float | None:
        return None if self.end is None else (self.end - self.start).total_seconds() / 60

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The visit must end after it starts.")})
        if self.unit is not None and self.organisation_id and self.unit.organisation_id != self.organisation_id:
            raise ValidationError({"unit": _("The unit belongs to another organisation.")})


class Seizure(Audited):
    class Category(models.TextChoices):
        WEAPON = "weapon", _("weapon")
        NARCOTICS = "narcotics", _("narcotics")
        OTHER = "other", _("other")

    class QuantityUnit(models.TextChoices):
        PIECE = "piece", _("pieces")
        GRAM = "g", _("grams")
        TABLET = "tablet", _("tablets")
        MILLILITRE = "ml", _("millilitres")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="seizures",
    )
    date = models.DateField(_("date"), db_index=True)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seizures",
    )
    area = models.ForeignKey("places.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="seizures")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    kind = models.CharField(_("kind"), max_length=100, help_text=_("e.g. pistol, cannabis"))
    automatic = models.BooleanField(_("automatic weapon"), default=False)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3, validators=[MinValueValidator(0)])
    unit = models.CharField(_("unit"), max_length=10, choices=QuantityUnit.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("seizure")
        verbose_name_plural = _("seizures")

    def __str__(self) -> str:
        return f"{self.date} {self.kind} {self.quantity} {self.unit}"

    def clean(self) -> None:
        errors = {}
        if self.automatic and self.category != self.Category.WEAPON:
            errors["automatic"] = _("Only weapons can be automatic.")
        if self.category == self.Category.WEAPON and self.unit != self.QuantityUnit.PIECE:
            errors["unit"] = _("Weapons are counted in pieces.")
        if self.category == self.Category.NARCOTICS and self.unit == self.QuantityUnit.PIECE:
            errors["unit"] = _("Narcotics are measured in grams, tablets or millilitres.")
        if self.place is not None and self.area_id and self.place.area_id != self.area_id:
            errors["place"] = _("The place is not in the seizure's area.")
        if errors:
            raise ValidationError(errors)


class Activity(Audited):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("meeting")
        INFORMATION_MEETING = "information_meeting", _("information meeting")
        SAFETY_WALK = "safety_walk", _("safety walk")
        DIALOGUE = "dialogue", _("citizen dialogue")
        FIELD_WORK = "field_work", _("field work")
        PREVENTION_GROUP = "prevention_group", _("prevention group session")
        OTHER = "other", _("other")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    start = models.DateTimeField(_("start"), db_index=True)
    area = models.ForeignKey("places.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="activities")
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    organisations = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("organisations"), related_name="activities"
    )
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    languages = models.CharField(
        _("interpreted languages"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated, e.g. Somali, Persian, Arabic."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-start"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title


class StreetPrice(Audited):
    """A dated street price of a substance, as a range, with where it comes from."""

    substance = models.CharField(_("substance"), max_length=100, help_text=_("As in seizures, e.g. cannabis"))
    unit = models.CharField(
        _("unit"), max_length=10, choices=Seizure.QuantityUnit.choices, default=Seizure.QuantityUnit.GRAM
    )
    low = models.DecimalField(_("low (SEK per unit)"), max_digits=10, decimal_places=2)
    high = models.DecimalField(_("high (SEK per unit)"), max_digits=10, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["substance", "-valid_from"]
        unique_together = [("substance", "unit", "valid_from")]
        verbose_name = _("street price")
        verbose_name_plural = _("street prices")
        constraints = [models.CheckConstraint(condition=models.Q(high__gte=models.F("low")), name="price_range")]

    def __str__(self) -> str:
        return f"{self.substance} {self.low}–{self.high} SEK/{self.unit} from {self.valid_from}"


class PostedRequest(models.Model):
    """A phone's post made with an Idempotency-Key, and the answer it got: a retry of the same post
    (after a dropped connection) gets the same answer and stores nothing twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    path = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of the body: the same key with another body is refused
    status = models.PositiveSmallIntegerField(null=True)
    response = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="posted_request_once_per_key")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"
