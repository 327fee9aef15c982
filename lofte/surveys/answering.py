"""Answering a survey with an invitation code: check the code, keep a draft, submit once."""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lofte.surveys.models import Item, Survey

from . import codes
from .models import Invitation, Response


class CodeRefused(Exception):
    """The code cannot be used; the message says why, in words a resident understands."""


def invitation_for(typed: str, *, today: date | None = None) -> Invitation:
    """The open, unused invitation for a typed code, or CodeRefused."""
    today = today or timezone.localdate()
    if not typed or not typed.strip():
        raise CodeRefused(_("Type the code from your letter to start."))
    if not codes.looks_like_a_code(typed):
        raise CodeRefused(
            _("That is not a code from our letters: a code has ten letters and digits, like ABCDE-12345.")
        )
    invitation = Invitation.objects.select_related("wave__survey").filter(digest=codes.digest(typed)).first()
    if invitation is None:
        raise CodeRefused(_("We do not know that code. Check that you typed it as in your letter."))
    return check_open(invitation, today=today)


def check_open(invitation: Invitation, *, today: date | None = None) -> Invitation:
    today = today or timezone.localdate()
    if invitation.used:
        raise CodeRefused(_("This code has already been used. Each code can be used once."))
    wave = invitation.wave
    if today < wave.opens_on:
        raise CodeRefused(_("The survey opens on %(day)s.") % {"day": wave.opens_on.isoformat()})
    if today > wave.closes_on:
        raise CodeRefused(
            _("The survey closed on %(day)s. Thank you for your interest.") % {"day": wave.closes_on.isoformat()}
        )
    return invitation


def sections(survey: Survey) -> list[tuple[str, list[Item]]]:
    """The questionnaire's pages: [(section title, [items])] in item order."""
    pages: list[tuple[str, str, list[Item]]] = []
    for item in survey.items.all():
        if not pages or pages[-1][0] != item.section:
            pages.append((item.section, item.section_title(), []))
        pages[-1][2].append(item)
    return [(title, items) for _, title, items in pages]


def clean_answers(items: Iterable[Item], data: Mapping[str, Any]) -> dict[str, str]:
    """{code: value} of the valid answers among `items` in `data` (a dict or QueryDict).
    An empty or unknown value is no answer: every question may be skipped."""
    answers = {}
    for item in items:
        value = (data.get(item.code) or "").strip()
        if value in item.values():
            answers[item.code] = value
    return answers


def save_draft(invitation: Invitation, items: Iterable[Item], answers: Mapping[str, str], page: int) -> None:
    """Keep the answers of one page so that the respondent can stop and come back."""
    draft = dict(invitation.draft or {})
    kept = {k: v for k, v in draft.get("answers", {}).items() if k not in {i.code for i in items}}
    draft["answers"] = {**kept, **answers}
    draft["page"] = max(int(draft.get("page", 0)), page)
    Invitation.objects.filter(pk=invitation.pk, used=False).update(draft=draft)
    invitation.draft = draft


def submit(invitation: Invitation, *, language: str, today: date | None = None) -> Response:
    """Store the response once and spend the code. In an anonymous survey the response keeps
    no link to the invitation, and the invitation keeps no date of use."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().select_related("wave__survey").get(pk=invitation.pk)
        check_open(locked, today=today)
        anonymous = locked.wave.survey.anonymous
        answers = dict((locked.draft or {}).get("answers", {}))
        if not anonymous:  # the register's background beats the self-reported one for weighting
            answers.update({k: v for k, v in (("age_group", locked.age_group), ("sex", locked.sex)) if v})
        response = Response.objects.create(
            wave=locked.wave,
            invitation=None if anonymous else locked,
            source=Response.Source.WEB,
            submitted_on=today,
            language=language,
            stratum=locked.stratum,
            answers={k: v for k, v in answers.items() if v},
        )
        Invitation.objects.filter(pk=locked.pk).update(used=True, draft={})
        locked.wave.responses_changed()
    return response
