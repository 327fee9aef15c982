"""Residents per area and year into Löfte: `lofte import-population`.

Rows of one area and year add up (an area spanning several of SCB's regions); the same region and year
twice is a reject, as is an area code Löfte does not hold. All in one transaction, and idempotent: a
figure is known by its area and year, so importing the same file again changes nothing and a revised
file updates what changed.
"""

from pathlib import Path
from typing import Any

from django.db import transaction

from lofte.core.rejects import ImportResult
from lofte.ingest.common import Reject
from lofte.ingest.generic import load_mapping
from lofte.ingest.population import read_population

from .models import Area, Population


def run(path: str | Path, *, mapping: dict[str, Any] | str | Path, source: str = "") -> ImportResult:
    """Import the residents of `path`, read through `mapping` (a dict or a TOML file); `source` names
    where the figures come from (default: the mapping's `source`, else the file's name)."""
    if not isinstance(mapping, dict):
        mapping = load_mapping(mapping)
    source = source or str(mapping.get("source") or Path(path).name)
    result = ImportResult()
    areas = dict(Area.objects.values_list("code", "pk"))
    totals: dict[tuple[int, int], int] = {}
    seen: set[tuple[str, int]] = set()
    column = (mapping.get("columns") or {}).get("area", "area")
    for row in read_population(path, mapping=mapping):
        if isinstance(row, Reject):
            result.rejects.append(row)
        elif row.area not in areas:
            result.rejects.append(Reject(row.source, row.position, column, f"no area with the code {row.area!r}"))
        elif (row.region.casefold(), row.year) in seen:
            result.rejects.append(Reject(row.source, row.position, column, f"{row.region} {row.year} twice"))
        else:
            seen.add((row.region.casefold(), row.year))
            key = (areas[row.area], row.year)
            totals[key] = totals.get(key, 0) + row.residents
    with transaction.atomic():
        for (area, year), residents in sorted(totals.items()):
            _store(area, year, residents, source, result)
    return result


def _store(area: int, year: int, residents: int, source: str, result: ImportResult) -> None:
    existing = Population.objects.filter(area_id=area, year=year).first()
    if existing is None:
        Population.objects.create(area_id=area, year=year, residents=residents, source=source)
        result.imported += 1
    elif (existing.residents, existing.source) == (residents, source):
        result.unchanged += 1
    else:
        existing.residents, existing.source = residents, source
        existing.save(update_fields=["residents", "source", "changed_at"])
        result.updated += 1


def residents(area: Area, year: int) -> Population | None:
    """The area's residents in `year`, or in the latest year before it that has a figure."""
    return Population.objects.filter(area=area, year__lte=year).order_by("-year").first()
