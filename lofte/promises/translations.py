"""What residents read of a promise, as a list for its translators: the promise's own texts, its
commitments, units, updates and causes, the area's and places' names, the survey and its waves, and
the area's themes and opinion exercises. Its owners translate them (`lofte.core.translations`)."""

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lofte.core import translations
from lofte.dialogues.models import OpinionExercise, Theme

from .models import Cause, Commitment, Promise, Update


def items(promise: Promise) -> list[tuple[Any, str, str]]:
    """(object, field, label) of every text of `promise` residents read, in the page's order."""
    found: list[tuple[Any, str, str]] = [
        (promise, "title", _("Title")),
        (promise, "problem", _("The problem")),
        (promise, "rationale", _("Why this problem")),
        (promise, "next_steps", _("What happens next")),
    ]
    for commitment in Commitment.objects.filter(promise=promise).order_by("position", "pk"):
        found.append((commitment, "text", _("Commitment %(n)s") % {"n": commitment.position}))
        found.append((commitment, "unit", _("Commitment %(n)s: unit") % {"n": commitment.position}))
    updates = Update.objects.filter(commitment__promise=promise).select_related("commitment")
    for update in updates.order_by("commitment__position", "published_on", "pk"):
        found.append((update, "text", _("Update to commitment %(n)s, %(day)s") % {
            "n": update.commitment.position, "day": date_format(update.published_on)}))  # fmt: skip
    for cause in Cause.objects.filter(promise=promise).order_by("pk"):
        found.append((cause, "text", _("Cause")))
    found.append((promise.area, "name", _("Area")))
    for place in promise.area.places.order_by("name"):
        found.append((place, "name", _("Place")))
    for wave in (promise.baseline_wave, promise.follow_up_wave):
        if wave is not None:
            found.append((wave.survey, "name", _("Survey")))
            found.append((wave, "label", _("Survey wave")))
    for theme in Theme.objects.filter(area=promise.area).order_by("name"):
        found.append((theme, "name", _("Dialogue theme")))
    for exercise in OpinionExercise.objects.filter(area=promise.area).prefetch_related("statements"):
        found.append((exercise, "title", _("Opinion exercise")))
        for statement in exercise.statements.all():
            found.append((statement, "text", _("Opinion statement")))
    unique: dict[tuple[str, int, str], tuple[Any, str, str]] = {}
    for obj, field, label in found:
        unique.setdefault((obj._meta.label_lower, obj.pk, field), (obj, field, label))
    return list(unique.values())


def texts(promise: Promise, language: str) -> list[translations.Text]:
    """The promise's texts with their translations into `language`."""
    return translations.texts(items(promise), language)
