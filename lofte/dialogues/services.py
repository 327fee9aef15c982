"""Recording dialogues and statements, and moderating what residents write.

A resident's statement from the public form waits until an owner or analyst of the area's
organisations publishes it (with its themes) or rejects it. It may hold no link, mail address or
telephone number, and one address may send at most LIMIT_PER_HOUR of them: the form needs no personal
data and must not become a notice board. Statements members record from a dialogue are theirs to
word, so they are published at once."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lofte.core.limits import count_in_hour
from lofte.core.personal_data import contact_details
from lofte.core.problems import InputProblem
from lofte.places.models import Area
from lofte.places.permissions import areas

from .models import Dialogue, Statement, Theme
from .permissions import dialogues as dialogue_policy
from .permissions import statements as statement_policy

LIMIT_PER_HOUR = 5
MAX_LENGTH = 1000


def submit(address: str, area: Area, text: str, language: str = "") -> Statement:
    """A resident's statement on the public form, pending moderation; InputProblem when it is refused."""
    text = " ".join((text or "").split())
    if not text:
        raise InputProblem("text", _("Write what you want to say."))
    if len(text) > MAX_LENGTH:
        raise InputProblem("text", _("At most %(n)s characters.") % {"n": MAX_LENGTH})
    if contact_details(text):
        raise InputProblem("text", _("Leave out links, e-mail addresses and telephone numbers: statements are public."))
    if count_in_hour(f"dialogue-statements:{address}") > LIMIT_PER_HOUR:
        raise InputProblem("text", _("You have sent several statements in a short time. Try again in an hour."), 429)
    return Statement.objects.create(area=area, text=text, language=language[:10])


def moderate(user: Any, statement: Statement, *, publish: bool, themes: Iterable[Theme | int | str] = ()) -> Statement:
    """Publish (with `themes`, ids of the area's themes) or reject a statement."""
    if not statement_policy.can(user, "moderate", statement):
        raise InputProblem("statement", _("Only owners and analysts of the area's organisations moderate."), 403)
    chosen = list(_themes(statement.area, themes))
    with transaction.atomic():
        statement.status = Statement.Status.PUBLISHED if publish else Statement.Status.REJECTED
        statement.moderated_at, statement.moderated_by = timezone.now(), user
        statement.save(update_fields=["status", "moderated_at", "moderated_by"])
        statement.themes.set(chosen)
    return statement


def record_dialogue(user: Any, area: Area, *, organisations: Iterable[Any] = (), **fields: Any) -> Dialogue:
    if not areas.can(user, "change", area):  # owners and analysts of the area's organisations
        raise InputProblem("area", _("Only owners and analysts of the area's organisations record its dialogues."), 403)
    dialogue = Dialogue(area=area, **fields)
    dialogue.stamp(user)
    dialogue.full_clean(exclude=["created_by", "changed_by"])
    with transaction.atomic():
        dialogue.save()
        dialogue.organisations.set(organisations)
    return dialogue


def add_statement(user: Any, dialogue: Dialogue, text: str, *, themes: Iterable[Theme | int | str] = ()) -> Statement:
    """A statement heard at `dialogue`, as a member words it: published at once."""
    if not dialogue_policy.can(user, "change", dialogue):
        raise InputProblem(
            "dialogue", _("Only owners and analysts of the area's organisations record its dialogues."), 403
        )
    text = " ".join((text or "").split())
    if not text or len(text) > MAX_LENGTH:
        raise InputProblem("text", _("A statement has 1 to %(n)s characters.") % {"n": MAX_LENGTH})
    with transaction.atomic():
        statement = Statement.objects.create(area=dialogue.area, dialogue=dialogue, text=text,
                                             status=Statement.Status.PUBLISHED, moderated_at=timezone.now(),
                                             moderated_by=user)  # fmt: skip
        statement.themes.set(_themes(dialogue.area, themes))
    return statement


def _themes(area: Area, themes: Iterable[Theme | int | str]) -> QuerySet[Theme]:
    """The themes among `themes` (objects or ids) that belong to `area`; others are ignored."""
    return Theme.objects.filter(area=area, pk__in=[getattr(t, "pk", t) for t in themes])
