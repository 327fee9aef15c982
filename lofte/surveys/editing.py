"""Survey owners change their survey from its staff page: waves, their opening, and questions.

Questions stop changing once answers have come in: the answers would no longer match the question
they were given to. Every function checks the policy and names the field of each problem.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lofte.core.problems import InputProblem

from . import itembank
from .models import Item, Response, Survey, Wave
from .permissions import surveys


class EditError(InputProblem):
    """A change to a survey that cannot be made."""


def _may(user: Any, survey: Survey) -> None:
    if not surveys.can(user, "change", survey):
        raise EditError("survey", _("Only the people who run this survey change it."), 403)


def add_wave(
    user: Any, survey: Survey, *, kind: str, label: str, opens_on: date, closes_on: date, label_en: str = ""
) -> Wave:
    _may(user, survey)
    wave = Wave(survey=survey, kind=kind, label=label, label_en=label_en, opens_on=opens_on, closes_on=closes_on)
    wave.stamp(user)
    try:
        wave.full_clean(exclude=["created_by", "changed_by"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise EditError("closes_on" if field == "__all__" else field, " ".join(messages)) from exc
    wave.save()
    return wave


def open_wave(user: Any, wave: Wave) -> None:
    """Open a wave today (it stays open until its closing day, or a week if that has passed)."""
    _may(user, wave.survey)
    today = timezone.localdate()
    wave.opens_on = min(wave.opens_on, today)
    wave.closes_on = max(wave.closes_on, today + timedelta(days=7)) if wave.closes_on < today else wave.closes_on
    wave.stamp(user)
    wave.save()


def close_wave(user: Any, wave: Wave) -> None:
    """Close a wave now: it took its last answers yesterday."""
    _may(user, wave.survey)
    yesterday = timezone.localdate() - timedelta(days=1)
    wave.closes_on = yesterday
    wave.opens_on = min(wave.opens_on, yesterday)
    wave.stamp(user)
    wave.save()


def _questions_may_change(survey: Survey) -> None:
    if Response.objects.filter(wave__survey=survey).exists():
        raise EditError("items", _("Answers have come in: the questions can no longer change."))


def add_bank_items(user: Any, survey: Survey, codes: Iterable[str]) -> list[Item]:
    _may(user, survey)
    _questions_may_change(survey)
    codes = [c for c in codes if c not in set(survey.items.values_list("code", flat=True))]
    if not codes:
        raise EditError("codes", _("Choose questions that the survey does not have yet."))
    try:
        return itembank.add_to(survey, codes)
    except KeyError as exc:
        raise EditError("codes", str(exc)) from exc


def add_item(
    user: Any,
    survey: Survey,
    *,
    code: str,
    section: str,
    text_sv: str,
    text_en: str,
    options: str,
    better: str = "",
    indicator: Iterable[str] = (),
) -> Item:
    """A question written for this survey. `options`: lines "value; Swedish; English" (a trailing
    "; missing" marks an answer such as "don't know" that counts as no answer)."""
    _may(user, survey)
    _questions_may_change(survey)
    parsed = []
    for number, line in enumerate(options.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        if len(parts) < 2 or not parts[0]:
            raise EditError("options", _("Line %(n)s: write value; Swedish text; English text.") % {"n": number})
        option: dict[str, str | bool] = {"value": parts[0], "sv": parts[1], "en": parts[2] if len(parts) > 2 else ""}
        if len(parts) > 3 and parts[3].lower() == "missing":
            option["missing"] = True
        parsed.append(option)
    if len(parsed) < 2:
        raise EditError("options", _("A question needs at least two answers."))
    values = {o["value"] for o in parsed}
    if unknown := set(indicator) - values:
        raise EditError("indicator", _("Not answers of the question: %(v)s.") % {"v": ", ".join(sorted(unknown))})
    position = max(survey.items.values_list("position", flat=True), default=-1) + 1
    item = Item(survey=survey, code=code, section=section or "main", texts={"sv": text_sv, "en": text_en},
                options=parsed, indicator=list(indicator), better=better, position=position)  # fmt: skip
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        raise EditError("code", _("The survey has a question with this code already.")) from None
    return item


def create_survey(
    user: Any, *, name: str, area: Any, organisation: Any, anonymous: bool = True, name_en: str = ""
) -> Survey:
    """A new survey of `area` run by `organisation`, which `user` must be allowed to add surveys
    for and which must hold the area; its address (slug) follows from the name."""
    from django.utils.text import slugify

    if not surveys.organisations_for(user, "add").filter(pk=organisation.pk).exists():
        raise EditError("organisation", _("You may not start surveys for this organisation."), 403)
    if not organisation.areas.filter(pk=area.pk).exists():
        raise EditError("area", _("The organisation does not work in this area."))
    base = slugify(name)[:90] or "enkat"
    slug, n = base, 1
    # "ny" is the address of the page that creates surveys.
    while slug == "ny" or Survey.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    survey = Survey(area=area, name=name, name_en=name_en, slug=slug, anonymous=anonymous)
    survey.stamp(user)
    with transaction.atomic():
        survey.save()
        survey.organisations.set([organisation])
    return survey


def change_survey(user: Any, survey: Survey, *, name: str, name_en: str = "", published: bool = False) -> Survey:
    """Rename a survey, and make its results public or take them back (the answers themselves are
    never public; the results page suppresses small counts)."""
    _may(user, survey)
    survey.name, survey.name_en, survey.published = name, name_en, published
    survey.stamp(user)
    survey.save(update_fields=["name", "name_en", "published", "changed_by", "changed_at"])
    return survey
