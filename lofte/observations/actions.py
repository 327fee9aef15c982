"""Recording and following up an action of the shared situation picture: one checked path for the
staff pages and the API.

An action belongs to one area and is recorded by an owner, analyst or officer of an organisation that
holds the area; the organisation responsible for it is one of the area's; the observations it answers
and its place are the area's. "Not done" needs a note saying why, and every note is read by the
reporters of the observations it answers, so it is held to the same rule as their descriptions: no
personal data.
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lofte.core.bounds import out_of_range
from lofte.core.personal_data import personal_data
from lofte.core.problems import InputProblem
from lofte.places.models import Area, Place

from .models import Action, Category, Observation
from .permissions import actions as policy
from .permissions import observations as observation_policy


class ActionError(InputProblem):
    """An action that cannot be stored."""


def acting_areas(user: Any) -> QuerySet[Area]:
    """The areas in which `user` may record actions: those of the organisations they act for."""
    return Area.objects.filter(organisations__in=policy.organisations_for(user, "add")).distinct().order_by("name")


def record(user: Any, *, area: str, **fields: Any) -> Action:
    """A new action in the area with code `area` (ActionError naming the field otherwise)."""
    found = acting_areas(user).filter(code=area).first()
    if found is None:
        if not acting_areas(user).exists():
            raise ActionError("area", _("You record actions for no organisation."), 403)
        raise ActionError("area", _("No such area among your organisations' areas."))
    return _saved(user, Action(area=found), fields)


def change(user: Any, action: Action, **fields: Any) -> Action:
    """Change the given fields of `action` (its area stays)."""
    if not policy.can(user, "change", action):
        raise ActionError("action", _("You may not change this action."), 403)
    return _saved(user, action, fields)


@transaction.atomic
def _saved(user: Any, action: Action, fields: dict[str, Any]) -> Action:
    observations = fields.pop("observations", None)
    _what(action, fields)
    _where(action, fields)
    if "due" in fields:
        action.due = fields.pop("due")
        if action.due and (why := out_of_range(action.due)):
            raise ActionError("due", why)
    if "public_note" in fields:
        action.public_note = (fields.pop("public_note") or "").strip()
        if found := personal_data(action.public_note):
            raise ActionError(
                "public_note",
                _("The note seems to hold %(what)s. Reporters read it: write what was done, not who.")
                % {"what": _(" and ").join(found)},
            )
    _status(action, fields.pop("status", None), fields.pop("done_on", None))
    if fields:
        raise ActionError(next(iter(fields)), _("Unknown field."))
    action.stamp(user)
    action.save()
    if observations is not None:
        action.observations.set(_answered(user, action.area, observations))
    return action


def _what(action: Action, fields: dict[str, Any]) -> None:
    """Who is responsible, what is to be done, and for which kind of problem."""
    if "organisation" in fields or action.organisation_id is None:
        wanted = fields.pop("organisation", None)
        responsible = action.area.organisations.filter(pk=wanted).first() if wanted else None
        if responsible is None:
            raise ActionError("organisation", _("Choose one of the area's organisations as responsible."))
        action.organisation = responsible
    if "title" in fields or not action.title:
        action.title = (fields.pop("title", "") or "").strip()
        if not action.title:
            raise ActionError("title", _("Say what is to be done."))
        if len(action.title) > 200:
            raise ActionError("title", _("At most 200 characters."))
    if "category" in fields:
        code = fields.pop("category")
        action.category = Category.objects.filter(code=code).first() if code else None
        if code and action.category is None:
            raise ActionError("category", _("No such category: %(code)s.") % {"code": code})


def _where(action: Action, fields: dict[str, Any]) -> None:
    if "place" in fields:
        place = fields.pop("place")
        action.place = Place.objects.filter(pk=place, area=action.area).first() if place else None
        if place and action.place is None:
            raise ActionError("place", _("No such place in the area."))


def _status(action: Action, status: str | None, done_on: date | None) -> None:
    if status is not None:
        if status not in Action.Status.values:
            raise ActionError("status", _("No such status: %(status)s.") % {"status": status})
        action.status = status
    if action.status == Action.Status.DONE:
        action.done_on = done_on or action.done_on or timezone.localdate()
        if action.done_on > timezone.localdate():
            raise ActionError("done_on", _("The day is in the future."))
        if why := out_of_range(action.done_on):
            raise ActionError("done_on", why)
    else:
        action.done_on = None
    if action.status == Action.Status.DECLINED and not action.public_note:
        raise ActionError("public_note", _("Say why it is not done: the reporters read it."))


def _answered(user: Any, area: Area, ids: list[int]) -> list[Observation]:
    """The observations `ids`, each of the area and visible to `user`."""
    wanted = {int(i) for i in ids}
    found = list(observation_policy.visible(user).filter(area=area, pk__in=wanted))
    if len(found) != len(wanted):
        missing = sorted(wanted - {o.pk for o in found})[0]
        raise ActionError("observations", _("No such observation in the area: %(id)s.") % {"id": missing})
    return found


def answering(observations: list[Observation]) -> dict[int, list[Action]]:
    """The actions that answer each of `observations`, by observation id (the reporters' feedback)."""
    found: dict[int, list[Action]] = {o.pk: [] for o in observations}
    links = Action.observations.through.objects.filter(observation__in=observations).select_related("action")
    for link in links.order_by("action__pk"):
        found[link.observation_id].append(link.action)
    return found
