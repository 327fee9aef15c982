"""The dosage of a promise's patrols: the boundary from patrol and incident rows to `analysis.dosage`."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count

from lofte.activities.services import ended_visits
from lofte.analysis.dosage import Dosage, dosage
from lofte.incidents.situation import Filters, incidents_in
from lofte.places.models import Place
from lofte.promises.models import Promise


def promise_dosage(promise: Promise, today: date) -> tuple[Dosage, dict[int, str], dict[str, int], int]:
    """(Dosage, place names, visits by source, visits too short to count) for the promise's places,
    from its start to today or its end; the last are shorter than the promise's `visit_minimum`, which
    its targets do not count."""
    tz = ZoneInfo(settings.TIME_ZONE)
    end = min(today, promise.period_end)
    places = list(Place.objects.filter(area=promise.area))
    start_dt = datetime.combine(promise.period_start, time.min, tzinfo=tz)
    end_dt = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    visits = ended_visits().filter(place__in=places, start__gte=start_dt, start__lt=end_dt)
    rows = list(visits.values_list("place_id", "start", "ended"))
    short = timedelta(minutes=promise.visit_minimum)
    too_short = sum(1 for _, began, ended in rows if ended - began < short)
    incidents = incidents_in(promise.area, Filters(start=promise.period_start, end=end))
    result = dosage(
        [r[0] for r in rows],
        [r[1].timestamp() for r in rows],
        [r[2].timestamp() for r in rows],
        period_start=promise.period_start,
        period_end=end,
        places=[p.pk for p in places if not p.is_control],
        control_places=[p.pk for p in places if p.is_control],
        incident_times=[t.timestamp() for t in incidents["occurred_from"]] if len(incidents) else [],
        tz=settings.TIME_ZONE,
    )
    by_source = dict(visits.values_list("source").annotate(n=Count("id")).values_list("source", "n"))
    return result, {p.pk: p.name for p in places}, by_source, too_short
