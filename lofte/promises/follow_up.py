"""A promise's progress and outputs as its public page and the API show them, computed once per
change of what they depend on and kept in the cache.

A newspaper's link sends hundreds of readers a second to one promise: each of them should cost a
few small queries, not a reading of every patrol, seizure and meeting of the year. The key names
everything the numbers come from: the promise, its area and parties, its commitments (with their
places) and updates, the activity records of its area, the support cases of its parties, the street
prices and the outcome surveys (how many, the newest id and the latest change of each, read in one
query), and the day. Open patrol visits end by the clock (`LOFTE_MAX_VISIT_MINUTES`), so entries
also expire after CACHE_SECONDS. The public page kept whole for visitors without a session, and the
promise API's answer, use the same key.
"""

import functools
import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Max

from lofte.accounts.models import Organisation
from lofte.activities.models import Activity, Patrol, Seizure, StreetPrice
from lofte.analysis.progress import Progress
from lofte.cases.models import SupportCase
from lofte.core.freshness import Fingerprint
from lofte.core.kept import kept
from lofte.core.models import Translation
from lofte.observations.models import Action
from lofte.places.models import Area, Place
from lofte.promises.models import Promise
from lofte.surveys.models import Survey, Wave

from .models import Commitment, Update
from .progress import PromiseOutputs, promise_outputs, promise_progress, records_for

CACHE_VERSION = 3  # 3: visits shorter than LOFTE_MIN_VISIT_MINUTES no longer count
CACHE_SECONDS = 300


@dataclass(frozen=True)
class FollowUp:
    progress: dict[int, Progress]  # by commitment id
    outputs: PromiseOutputs | None  # None before the promise starts
    figures: frozenset[str] = frozenset()  # the headline figures the promise's commitments cover, or that are not 0
    last_updated: datetime | None = None  # the latest change anyone can see: the promise, commitments, logs, updates


def _state(promise: Promise) -> tuple[Any, ...]:
    return (
        connection.settings_dict["NAME"],
        promise.pk,
        promise.changed_at.isoformat(),
        promise.period_start.isoformat(),
        promise.period_end.isoformat(),
        _state_query(connection.vendor, connection.settings_dict["NAME"], promise.pk, promise.area_id).read(),
    )


@functools.lru_cache(maxsize=1024)
def _state_query(vendor: str, database: str, promise: int, area: int) -> Fingerprint:
    """The fingerprint query of what a promise's numbers come from, compiled once per promise and
    area (and database: the SQL differs between SQLite and PostgreSQL)."""
    changed = [
        Area.objects.filter(pk=area),
        Organisation.objects.filter(promises=promise),
        Commitment.objects.filter(promise=promise),
        Patrol.objects.filter(place__area_id=area),
        Place.objects.filter(area_id=area),
        Seizure.objects.filter(area_id=area),
        Activity.objects.filter(area_id=area),
        Action.objects.filter(area_id=area),
        SupportCase.objects.filter(organisation__promises=promise),
        StreetPrice.objects.all(),
        Update.objects.filter(commitment__promise=promise),
        Survey.objects.filter(items__commitments__promise=promise),
        Wave.objects.filter(survey__items__commitments__promise=promise),
        Translation.objects.all(),  # the page says the promise's texts in the residents' languages
    ]
    places = Commitment.places.through.objects.filter(commitment__promise=promise)
    return Fingerprint.of([(rows, "changed_at") for rows in changed] + [(places, "place_id")])


def state_key(promise: Promise, today: date, *more: object) -> str:
    """A key naming what the promise's numbers as of `today` (and `more`) come from."""
    text = repr((CACHE_VERSION, today.isoformat(), _state(promise), more))
    return hashlib.sha256(text.encode()).hexdigest()


def follow_up(promise: Promise, today: date, *, key: str | None = None) -> FollowUp:
    """Every commitment's progress and the headline outputs of `promise` as of `today` (`key`: its
    `state_key`, when the caller has it)."""

    def compute() -> FollowUp:
        records = records_for(promise)
        progress = {c.pk: p for c, p in promise_progress(promise, today, records)}
        outputs = promise_outputs(promise, today, records)
        return FollowUp(progress, outputs, covered_figures(promise, outputs), last_updated(promise, today))

    return kept("follow-up", key or state_key(promise, today), compute, CACHE_SECONDS)


# The headline figures and the commitment metrics that make each of them part of the promise.
FIGURE_METRICS = {
    "visits": {Commitment.Metric.PATROL_VISITS, Commitment.Metric.PATROL_VISITS_PER_DAY,
               Commitment.Metric.PATROL_MINUTES, Commitment.Metric.KOPER_SHARE},
    "weapons": {Commitment.Metric.SEIZURES},
    "narcotics": {Commitment.Metric.SEIZURES},
    "meetings": {Commitment.Metric.ACTIVITIES},
    "support_cases": {Commitment.Metric.SUPPORT_CASES},
}  # fmt: skip


SEIZURE_CATEGORY = {"weapons": "weapon", "narcotics": "narcotics"}


def covered_figures(promise: Promise, outputs: PromiseOutputs | None) -> frozenset[str]:
    """Which headline figures the public page shows: those a commitment measures (a seizure commitment
    of one category covers that category only) and those that are not zero. A promise that says nothing
    of weapons does not tell the public it seized none."""
    if outputs is None:
        return frozenset()
    shown = set()
    for metric, category in promise.commitments.values_list("metric", "filter_category"):
        for figure, metrics in FIGURE_METRICS.items():
            if metric in metrics and category in ("", SEIZURE_CATEGORY.get(figure, category)):
                shown.add(figure)
    values = {"visits": outputs.visits, "weapons": outputs.weapons, "narcotics": outputs.narcotics_kg,
              "meetings": outputs.information_meetings,
              "support_cases": 1 if outputs.support_cases is None else outputs.support_cases}  # fmt: skip
    shown |= {figure for figure, value in values.items() if value}
    return frozenset(shown)


def last_updated(promise: Promise, today: date) -> datetime | None:
    """When anything the public page shows last changed (published updates only up to `today`)."""
    rows = [
        Commitment.objects.filter(promise=promise),
        Patrol.objects.filter(place__area_id=promise.area_id),
        Seizure.objects.filter(area_id=promise.area_id),
        Activity.objects.filter(area_id=promise.area_id),
        Update.objects.filter(commitment__promise=promise, published_on__lte=today),
    ]
    times: list[datetime | None] = [
        promise.changed_at,
        *(r.aggregate(latest=Max("changed_at"))["latest"] for r in rows),
    ]
    return max(t for t in times if t is not None)
