"""Reporting an observation: one validated path for the phone form, the API and imports.

Checks the person's right to report for the organisation, that the category is one offered, that the
place or point lies in one of the organisation's areas, that the day is neither in the future nor
before 2000, and that the description holds no personal data; names the field of each problem.
"""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lofte.accounts.models import Organisation
from lofte.core.bounds import out_of_range
from lofte.core.personal_data import personal_data
from lofte.core.problems import InputProblem
from lofte.places.models import Area, Place

from .models import MAX_COUNT, Category, Observation
from .permissions import observations as policy

HOURS = {"night": (0, 6), "morning": (6, 12), "afternoon": (12, 18), "evening": (18, 24)}


class ReportError(InputProblem):
    """An observation that cannot be stored."""


def reporting_organisations(user: Any) -> QuerySet[Organisation]:
    return policy.organisations_for(user, "report")


def reporting_areas(user: Any) -> QuerySet[Area]:
    """The areas `user` may report in: those of the organisations they report for."""
    return Area.objects.filter(organisations__in=reporting_organisations(user)).distinct().order_by("name")


def offered_categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True).select_related("parent")


def report(
    user: Any, *, organisation: int | None = None, source: str = "form", source_id: str = "", **fields: Any
) -> Observation:
    """Store what `user` saw, in the name of `organisation` (the one they report for when they report
    for one only); `fields` as `checked` takes them."""
    observation = checked(_organisation(user, organisation), **fields)
    observation.source, observation.source_id = source, source_id
    observation.stamp(user)
    observation.save()
    return observation


def checked(
    org: Organisation,
    *,
    category: str,
    occurred_on: date | None = None,
    occurred_at: datetime | None = None,
    part_of_day: str = "",
    place: int | None = None,
    lon: float | None = None,
    lat: float | None = None,
    area: str | None = None,
    count: int = 1,
    description: str = "",
) -> Observation:
    """An observation of `org`, checked but not stored (ReportError naming the field otherwise). Where: a
    `place` (id) of the organisation's areas, or a point (`lon`, `lat`) inside `area` (code) or, without
    one, inside one of the organisation's areas. When: `occurred_at`, or the day with an optional
    `part_of_day`."""
    found = Category.objects.filter(code=category, active=True).first()
    if found is None:
        raise ReportError("category", _("No such category: %(code)s.") % {"code": category})
    day, at, part = _when(occurred_on, occurred_at, part_of_day)
    where, spot = _where(org, place, lon, lat, area)
    if not 1 <= count <= MAX_COUNT:
        raise ReportError("count", _("Give how many as a number from 1 to %(n)d.") % {"n": MAX_COUNT})
    description = (description or "").strip()
    if found_data := personal_data(description):
        raise ReportError(
            "description",
            _("The description seems to hold %(what)s. Write what happened without it: reports are shared.")
            % {"what": _(" and ").join(found_data)},
        )
    if spot is not None:
        lon, lat = spot.centre()
    assert lon is not None and lat is not None  # a place has a centre; a point was asked for above
    return Observation(
        area=where, organisation=org, category=found, occurred_on=day, occurred_at=at, part_of_day=part,
        place=spot, lon=lon, lat=lat, count=count, description=description,
    )  # fmt: skip


def _organisation(user: Any, wanted: int | None) -> Organisation:
    orgs = reporting_organisations(user)
    if wanted is not None:
        found = orgs.filter(pk=wanted).first()
        if found is None:
            raise ReportError("organisation", _("You do not report for that organisation."), 403)
        return found
    choices = list(orgs[:2])
    if not choices:
        raise ReportError("organisation", _("You report for no organisation."), 403)
    if len(choices) > 1:
        raise ReportError("organisation", _("Say which of your organisations you report for."))
    return choices[0]


def _when(day: date | None, at: datetime | None, part: str) -> tuple[date, datetime | None, str]:
    local = ZoneInfo(settings.TIME_ZONE)
    now = timezone.now()
    if at is not None:
        if timezone.is_naive(at):
            at = at.replace(tzinfo=local)
        if at > now + timedelta(minutes=5):
            raise ReportError("occurred_at", _("The time is in the future."))
        day = at.astimezone(local).date()
        hour = at.astimezone(local).hour
        part = next(name for name, (start, end) in HOURS.items() if start <= hour < end)
    elif day is None:
        raise ReportError("occurred_on", _("Say on which day."))
    if part and part not in HOURS:
        raise ReportError("part_of_day", _("No such part of the day: %(part)s.") % {"part": part})
    if why := out_of_range(day):
        raise ReportError("occurred_on", why)
    if day > timezone.localdate():
        raise ReportError("occurred_on", _("The day is in the future."))
    if at is None and part and day == timezone.localdate():
        start = datetime.combine(day, time(HOURS[part][0]), tzinfo=local)
        if start > now:
            raise ReportError("part_of_day", _("That part of today has not begun."))
    return day, at, part


def _where(
    org: Organisation, place: int | None, lon: float | None, lat: float | None, code: str | None
) -> tuple[Area, Place | None]:
    areas = org.areas.all()
    if place is not None:
        spot = Place.objects.filter(pk=place, area__in=areas).select_related("area").first()
        if spot is None:
            raise ReportError("place", _("No such place in your organisation's areas."))
        return spot.area, spot
    if lon is None or lat is None:
        raise ReportError("place", _("Say where: a place, or a point on the map."))
    if code:
        areas = areas.filter(code=code)
        if not areas.exists():
            raise ReportError("area", _("No such area among your organisation's areas."))
    for candidate in areas.order_by("name"):
        if candidate.contains(lon, lat):
            return candidate, None
    raise ReportError("lon", _("The point is outside your organisation's areas."))
