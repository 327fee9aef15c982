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

import hashlib
from dataclasses import dataclass

from django.db import connection

from lofte.accounts.models import Organisation
from lofte.activities.models import Activity, Patrol, Seizure, StreetPrice
from lofte.analysis.progress import Progress
from lofte.cases.models import SupportCase
from lofte.core.freshness import fingerprint
from lofte.core.kept import kept
from lofte.places.models import Area, Place
from lofte.surveys.models import Survey, Wave

from .models import Commitment, Update
from .progress import PromiseOutputs, promise_outputs, promise_progress, records_for

CACHE_VERSION = 1
CACHE_SECONDS = 300


@dataclass(frozen=True)
class FollowUp:
    progress: dict[int, Progress]  # by commitment id
    outputs: PromiseOutputs | None  # None before the promise starts


def _state(promise):
    area = promise.area_id
    changed = [
        Area.objects.filter(pk=area),
        Organisation.objects.filter(promises=promise),
        Commitment.objects.filter(promise=promise),
        Patrol.objects.filter(place__area_id=area),
        Place.objects.filter(area_id=area),
        Seizure.objects.filter(area_id=area),
        Activity.objects.filter(area_id=area),
        SupportCase.objects.filter(organisation__promises=promise),
        StreetPrice.objects.all(),
        Update.objects.filter(commitment__promise=promise),
        Survey.objects.filter(items__commitments__promise=promise),
        Wave.objects.filter(survey__items__commitments__promise=promise),
    ]
    places = Commitment.places.through.objects.filter(commitment__promise=promise)
    return (
        connection.settings_dict["NAME"],
        promise.pk,
        promise.changed_at.isoformat(),
        promise.period_start.isoformat(),
        promise.period_end.isoformat(),
        fingerprint([(rows, "changed_at") for rows in changed] + [(places, "place_id")]),
    )


def state_key(promise, today, *more):
    """A key naming what the promise's numbers as of `today` (and `more`) come from."""
    text = repr((CACHE_VERSION, today.isoformat(), _state(promise), more))
    return hashlib.sha256(text.encode()).hexdigest()


def follow_up(promise, today, *, key=None):
    """Every commitment's progress and the headline outputs of `promise` as of `today` (`key`: its
    `state_key`, when the caller has it)."""

    def compute():
        records = records_for(promise)
        progress = {c.pk: p for c, p in promise_progress(promise, today, records)}
        return FollowUp(progress=progress, outputs=promise_outputs(promise, today, records))

    return kept("follow-up", key or state_key(promise, today), compute, CACHE_SECONDS)
