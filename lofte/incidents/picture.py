"""The situation picture of an area as the page and the API show it, computed once per change of
the data and kept in the cache.

An area of a city can hold hundreds of thousands of incidents: reading them costs a second or more,
so the counts, the squares of the map and the hot-spot layers are computed together from one read
and kept under a key that names everything they came from: the database, the area and its
outline, the filters and grid options, and the state of the incident data (the import
runs, areas and places, whose changes re-locate incidents). Any import, or any change of an area or
place, makes a new key; old entries expire after CACHE_SECONDS. The disclosure rule is applied to
what is kept, per request (`disclosure.py`).
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet

from lofte.core.freshness import Fingerprint
from lofte.core.kept import kept, key_of
from lofte.incidents.situation import Filters
from lofte.places.models import Area, Place

from . import situation as sit
from .inside import AreaIncidents
from .maps import HotSpotLayers, Squares, hotspot_layers
from .models import ImportRun

T = TypeVar("T")
CACHE_VERSION = 1
CACHE_SECONDS = 3600  # also bounds how long `lofte locate-incidents` run by hand can go unseen


def data_state() -> list[object]:
    """What the incidents of any area depend on: the import runs, the areas and the places."""
    name = connection.settings_dict["NAME"]
    return [name, _data_state_query(connection.vendor, name).read()]


@functools.lru_cache(maxsize=16)
def _data_state_query(vendor: str, database: str) -> Fingerprint:
    """The fingerprint query of `data_state`, compiled once per database (core.freshness says why)."""
    parts: list[tuple[QuerySet[Any], str]] = [
        (ImportRun.objects.all(), "finished_at"),
        (Area.objects.all(), "changed_at"),
        (Place.objects.all(), "changed_at"),
    ]
    return Fingerprint.of(parts)


def _inputs(what: str, area: Area, parts: tuple[Any, ...]) -> tuple[Any, ...]:
    return (CACHE_VERSION, what, area.pk, area.changed_at.isoformat(), parts, data_state())


def _cached(what: str, area: Area, parts: tuple[Any, ...], compute: Callable[[], T]) -> T:
    return kept("situation", _inputs(what, area, parts), compute, CACHE_SECONDS)


@dataclass(frozen=True)
class PeriodChoices:
    types: list[str]
    latest_day: date  # of the latest incident (today when there is none)


def period_choices(area: Area, *, inside: AreaIncidents | None = None) -> PeriodChoices:
    """The area's incident types and the day of its latest incident (the filters' choices and default)."""

    def compute() -> PeriodChoices:
        found = inside or AreaIncidents.of(area)
        return PeriodChoices(sit.types_in(area, inside=found), sit.latest_day(area, inside=found))

    return _cached("choices", area, (), compute)


@dataclass(frozen=True)
class Picture:
    """Every count in full: `disclosure.Disclosure` decides what of it a user sees. A part not asked
    for (`picture(only=...)`) is None."""

    situation: sit.Situation | None
    squares: Squares | None  # counts in the map's 250 m squares
    layers: HotSpotLayers | None  # counts, density and hot spots on a grid over the area


def picture(
    area: Area,
    filters: Filters,
    *,
    inside: AreaIncidents | None = None,
    cell: float | None = None,
    bandwidth: float | None = None,
    only: str | None = None,
) -> Picture:
    """The situation of `area` in the period of `filters`, its map squares, and its density and
    hot-spot layers on a grid of `cell` metres (default: sized to the area) with a kernel of
    `bandwidth` metres (default: from the incidents' spread).

    The three are kept apart, so that a caller that needs one (`only`: "situation", "squares" or
    "layers") does not read the others from the cache; they are computed together, from one read.
    """
    key = key_of("situation", _inputs("picture", area, (filters, cell, bandwidth)))
    names = [only] if only else ["situation", "squares", "layers"]
    kept = cache.get_many([f"{key}:{name}" for name in names])
    if len(kept) == len(names):
        found = {name: kept[f"{key}:{name}"] for name in names}
    else:
        frame = sit.incidents_in(area, filters, inside=inside)
        located = frame.dropna(subset=["x", "y"])
        x, y = located["x"].to_numpy(float), located["y"].to_numpy(float)
        found = {
            "situation": sit.summarise(area, filters, frame, inside=inside),
            "squares": Squares.of(x, y),
            "layers": hotspot_layers(area, x, y, cell=cell, bandwidth=bandwidth),
        }
        cache.set_many({f"{key}:{name}": value for name, value in found.items()}, CACHE_SECONDS)
    return Picture(found.get("situation"), found.get("squares"), found.get("layers"))


def warm(areas: Iterable[Area]) -> None:
    """Compute and keep the default picture (the twelve months up to the latest incident) of each
    area, so that the first view after an import is as fast as the next."""
    for area in areas:
        inside = AreaIncidents.of(area)
        choices = period_choices(area, inside=inside)
        end = choices.latest_day
        picture(area, sit.Filters(start=sit.default_start(end), end=end), inside=inside)


def warm_after(run: ImportRun) -> None:
    """Warm the pictures of the areas whose incidents `run` imported or changed (and those around them)."""
    from .importer import areas_of

    if run.imported or run.updated:
        warm(Area.objects.filter(pk__in=areas_of(run)))
