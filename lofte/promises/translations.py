"""What residents read of a promise, as a list for its translators: the promise's own texts, its
commitments, units, updates and causes, the area's and places' names, the survey and its waves, and
the area's themes and opinion exercises. Its owners translate them (`lofte.core.translations`)."""

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lofte.core import translations
from lofte.dialogues.permissions import opinions, themes
from lofte.places.permissions import areas, places
from lofte.surveys.models import Wave
from lofte.surveys.permissions import surveys

from .models import Cause, Commitment, Promise, Update


def items(promise: Promise, user: Any) -> list[tuple[Any, str, str]]:
    """(object, field, label) of every text of `promise` residents read, in the page's order. The
    promise's own texts go with it; the area's, its places', the survey's and the area's dialogue
    texts are shared with other promises and organisations, so only those `user` may change by their
    own policies are listed: translating a promise reaches no other organisation's data."""
    found: list[tuple[Any, str, str]] = [
        (promise, "title", _("Title")),
        (promise, "problem", _("The problem")),
        (promise, "rationale", _("Why this problem")),
        (promise, "next_steps", _("What happens next")),
        (promise, "withdraw_reason", _("Why the promise was withdrawn")),
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
    area = promise.area
    if areas.visible(user, "change").filter(pk=area.pk).exists():
        found.append((area, "name", _("Area")))
    for place in places.visible(user, "change").filter(area=area).order_by("name"):
        found.append((place, "name", _("Place")))
    wave_ids = [w for w in (promise.baseline_wave_id, promise.follow_up_wave_id) if w is not None]
    for wave in Wave.objects.filter(pk__in=wave_ids, survey__in=surveys.visible(user, "change")).select_related(
        "survey"
    ):
        found.append((wave.survey, "name", _("Survey")))
        found.append((wave, "label", _("Survey wave")))
    for theme in themes.visible(user, "change").filter(area=area).order_by("name"):
        found.append((theme, "name", _("Dialogue theme")))
    exercises = opinions.visible(user, "change").filter(area=area).prefetch_related("statements")
    for exercise in exercises:
        found.append((exercise, "title", _("Opinion exercise")))
        for statement in exercise.statements.all():
            found.append((statement, "text", _("Opinion statement")))
    unique: dict[tuple[str, int, str], tuple[Any, str, str]] = {}
    for obj, field, label in found:
        unique.setdefault((obj._meta.label_lower, obj.pk, field), (obj, field, label))
    return list(unique.values())


def texts(promise: Promise, language: str, user: Any) -> list[translations.Text]:
    """The promise's texts `user` may translate, with their translations into `language`."""
    return translations.texts(items(promise, user), language)
