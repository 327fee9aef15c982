"""Logging patrols and seizures: one validated path shared by the API and the pages."""

from collections.abc import Iterable
from datetime import date as datetime_date
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from lofte.accounts.models import Organisation
from lofte.core import bounds
from lofte.core.params import as_id
from lofte.core.problems import InputProblem
from lofte.places.models import Area, Place

from .models import Patrol, Seizure, Unit
from .permissions import logging_organisations

MAX_VISIT = timedelta(hours=12)
CLOCK_SKEW = timedelta(minutes=5)


class LogError(InputProblem):
    """A patrol or seizure that cannot be stored."""


def _logging_organisation(user: Any, area: Area, organisation_id: int | None, field: str) -> Organisation:
    orgs = logging_organisations(user)
    if not orgs.exists():
        raise LogError("organisation", _("You are not an officer of any organisation."), 403)
    if organisation_id is not None:
        orgs = orgs.filter(pk=organisation_id)
        if not orgs.exists():
            raise LogError("organisation", _("You cannot log activities for this organisation."), 403)
    org = orgs.filter(areas=area).first()
    if org is None:
        raise LogError(field, _("This lies outside your organisation's areas."), 403)
    return org


def _check(record: Any, exclude: Iterable[str] = ()) -> None:
    """Run the model's own validation and turn its first error into a LogError."""
    try:
        record.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise LogError("body" if field == NON_FIELD_ERRORS else field, " ".join(messages)) from exc


def _place(place_id: Any) -> Place:
    try:
        place_id = int(place_id)
    except (TypeError, ValueError):
        raise LogError("place", _("Choose a place.")) from None
    place = Place.objects.select_related("area").filter(pk=place_id).first()
    if place is None:
        raise LogError("place", _("Unknown place %(id)s.") % {"id": place_id})
    return place


def log_patrol(
    user: Any,
    *,
    place: Any,
    start: datetime,
    end: datetime,
    unit: Any = None,
    organisation: int | None = None,
    officers: int = 2,
    note: str = "",
) -> Patrol:
    """Validate and store one patrol visit; return it or raise LogError. Nothing is stored on error."""
    for field, value in (("start", start), ("end", end)):
        if problem := bounds.out_of_range(value):
            raise LogError(field, problem)
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    if timezone.is_naive(end):
        end = timezone.make_aware(end)
    # Checked before the place so that a bad time is reported even for a bad place.
    if end <= start:
        raise LogError("end", _("The visit must end after it starts."))
    if end - start > MAX_VISIT:
        raise LogError("end", _("A visit cannot last longer than 12 hours."))
    if start > timezone.now() + CLOCK_SKEW:
        raise LogError("start", _("The visit cannot start in the future."))
    place_obj = _place(place)
    org = _logging_organisation(user, place_obj.area, organisation, "place")
    unit_obj = None
    if unit:
        unit_obj = Unit.objects.filter(organisation=org, call_sign=unit, active=True).first()
        if unit_obj is None:
            raise LogError("unit", _("Unknown unit %(unit)s in %(org)s.") % {"unit": unit, "org": org})
    patrol = Patrol(
        place=place_obj,
        organisation=org,
        unit=unit_obj,
        start=start,
        end=end,
        officers=officers,
        note=note,
        source=Patrol.Source.MANUAL,
    )
    # The place, the organisation and the unit were just read: their existence need not be asked again.
    _check(patrol, exclude=("place", "organisation", "unit"))
    patrol.stamp(user)
    with transaction.atomic():
        patrol.save()
    return patrol


def log_seizure(
    user: Any,
    *,
    date: datetime_date,
    category: str,
    kind: str,
    quantity: Any,
    unit: str,
    place: Any = None,
    area: int | None = None,
    automatic: bool = False,
    organisation: int | None = None,
    note: str = "",
) -> Seizure:
    """Validate and store one seizure; return it or raise LogError."""
    if problem := bounds.out_of_range(date):
        raise LogError("date", problem)
    if date > timezone.localdate():
        raise LogError("date", _("The date cannot be in the future."))
    if quantity is not None and quantity <= 0:  # the model allows 0 (stored rows); a new seizure has an amount
        raise LogError("quantity", _("The amount must be more than zero."))
    place_obj = _place(place) if place is not None else None
    area_obj: Area | None
    if place_obj is not None:
        if area is not None and area != place_obj.area_id:
            raise LogError("area", _("The place is not in this area."))
        area_obj = place_obj.area
    elif area is not None:
        area_obj = Area.objects.filter(pk=area).first()
        if area_obj is None:
            raise LogError("area", _("Unknown area %(id)s.") % {"id": area})
    else:
        raise LogError("place", _("Give a place or an area."))
    seizure = Seizure(
        date=date,
        place=place_obj,
        area=area_obj,
        category=category,
        kind=kind.strip(),
        automatic=automatic,
        quantity=quantity,
        unit=unit,
        note=note,
    )
    _check(seizure, exclude=["organisation"])
    seizure.organisation = _logging_organisation(user, area_obj, organisation, "place" if place_obj else "area")
    seizure.stamp(user)
    with transaction.atomic():
        seizure.save()
    return seizure


def max_visit() -> timedelta:
    """The longest a visit logged by hand may stay open (LOFTE_MAX_VISIT_MINUTES, default 60)."""
    return timedelta(minutes=settings.LOFTE_MAX_VISIT_MINUTES)


def ended_visits(now: datetime | None = None) -> QuerySet:
    """Patrols that have ended, with ``ended`` their end time: a visit left open longer than the longest
    allowed visit counts as ended at that limit, as ``close_stale_visits`` will store it. Pages read this,
    so that no page view has to write (DESIGN.md section 4)."""
    now = now or timezone.now()
    limit = max_visit()
    cut_off = ExpressionWrapper(F("start") + limit, output_field=DateTimeField())
    return Patrol.objects.filter(Q(end__isnull=False) | Q(start__lte=now - limit)).annotate(
        ended=Coalesce("end", cut_off)
    )


def close_stale_visits(now: datetime | None = None) -> int:
    """Close visits started and never ended at the longest allowed visit, and flag them; return how many.

    Run by ``lofte close-stale-visits`` from a timer, and before an officer starts a new visit."""
    now = now or timezone.now()
    limit = max_visit()
    return Patrol.objects.filter(end__isnull=True, start__lte=now - limit).update(
        end=F("start") + limit, auto_closed=True
    )


def open_visit(user: Any) -> Patrol | None:
    return Patrol.objects.select_related("place").filter(created_by=user, end__isnull=True).first()


def start_visit(user: Any, *, place: Any, unit: Any = None, note: str = "") -> Patrol:
    """Start a visit now at `place` (an id); a visit the officer left open is ended first."""
    now = timezone.now()
    close_stale_visits(now)
    place_obj = _place(place)
    org = _logging_organisation(user, place_obj.area, None, "place")
    unit_obj = None
    if unit:
        # A unit is chosen by its id; anything else posted is no unit of ours (not a server error).
        unit_id = as_id(unit)
        unit_obj = Unit.objects.filter(organisation=org, pk=unit_id, active=True).first() if unit_id else None
        if unit_obj is None:
            raise LogError("unit", _("Unknown unit."))
    with transaction.atomic():
        previous = open_visit(user)
        if previous is not None:
            previous.end = now
            previous.stamp(user)
            previous.save(update_fields=["end", "changed_by", "changed_at"])
        patrol = Patrol(
            place=place_obj,
            organisation=org,
            unit=unit_obj,
            start=now,
            end=None,
            note=note,
            source=Patrol.Source.MANUAL,
        )
        patrol.stamp(user)
        patrol.save()
    return patrol


def end_visit(user: Any, *, note: str = "") -> Patrol:
    """End the officer's open visit now (at the longest allowed visit if it has run over)."""
    now = timezone.now()
    patrol = open_visit(user)
    if patrol is None:
        raise LogError("visit", _("You have no visit going on."), 404)
    if now - patrol.start > max_visit():
        patrol.end, patrol.auto_closed = patrol.start + max_visit(), True
    else:
        patrol.end = max(now, patrol.start + timedelta(seconds=1))
    if note:
        patrol.note = (patrol.note + "\n" + note).strip()
    patrol.stamp(user)
    patrol.save()
    return patrol
