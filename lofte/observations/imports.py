"""Moving years of observations from another system into Löfte: `lofte import-observations`.

Every row is checked as a report from the phone page is (`services.checked`); a row that fails is a
reject naming its line and column, and the others are stored. All in one transaction: a crash halfway
leaves the database as it was. Idempotent: a row is known by the organisation, the source and its id
there, so a second import of the same file changes nothing and a corrected file updates what changed.
"""

from pathlib import Path
from typing import Any

from django.db import transaction

from lofte.accounts.models import Organisation
from lofte.core.rejects import ImportResult
from lofte.ingest.common import Reject
from lofte.ingest.generic import load_mapping
from lofte.ingest.observations import ObservationRecord, read_observations
from lofte.places.models import Place

from .models import Observation
from .services import ReportError, checked

COMPARED = ("category_id", "occurred_on", "occurred_at", "part_of_day", "place_id", "lon", "lat", "count",
            "description", "area_id")  # fmt: skip


def run(
    path: str | Path, *, mapping: dict[str, Any] | str | Path, organisation: Organisation, source: str | None = None
) -> ImportResult:
    """Import the observations of `path`, read through `mapping` (a dict or a TOML file), as `organisation`'s."""
    if not isinstance(mapping, dict):
        mapping = load_mapping(mapping)
    result = ImportResult()
    places = {p.name.casefold(): p.pk for p in Place.objects.filter(area__in=organisation.areas.all())}
    with transaction.atomic():
        for row in read_observations(path, mapping=mapping, source=source):
            if isinstance(row, Reject):
                result.rejects.append(row)
                continue
            try:
                observation = _checked(organisation, row, places)
            except ReportError as error:
                result.rejects.append(Reject(row.source, row.position, _column(mapping, error.field), error.message))
                continue
            _store(observation, row, result)
    return result


# The mapping's column keys for each field the service names, where they differ.
_COLUMNS = {"occurred_on": ("date", "time"), "occurred_at": ("time",), "part_of_day": ("time",),
            "lon": ("lon", "x"), "lat": ("lat", "y"), "place": ("place", "lon", "x")}  # fmt: skip


def _column(mapping: dict[str, Any], field_name: str) -> str:
    """The file's column for a field the service named (its own name where the file has none)."""
    columns = mapping.get("columns") or {}
    keys = _COLUMNS.get(field_name, (field_name,))
    return next((columns[key] for key in keys if key in columns), field_name)


def _checked(organisation: Organisation, row: ObservationRecord, places: dict[str, int]) -> Observation:
    place = None
    if row.lon is None:
        place = places.get(row.place.casefold())
        if place is None:
            raise ReportError("place", f"no place {row.place!r} in the organisation's areas")
    return checked(
        organisation, category=row.category, occurred_on=row.day, occurred_at=row.at, place=place,
        lon=row.lon, lat=row.lat, count=row.count, description=row.description,
    )  # fmt: skip


def _store(observation: Observation, row: ObservationRecord, result: ImportResult) -> None:
    observation.source, observation.source_id = row.source, row.source_id
    existing = Observation.objects.filter(
        organisation=observation.organisation, source=row.source, source_id=row.source_id
    ).first()
    if existing is None:
        observation.save()
        result.imported += 1
        return
    changed = [name for name in COMPARED if getattr(existing, name) != getattr(observation, name)]
    if not changed:
        result.unchanged += 1
        return
    for name in changed:
        setattr(existing, name, getattr(observation, name))
    existing.save(update_fields=[*changed, "changed_at"])
    result.updated += 1
