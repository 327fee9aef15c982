"""Import areas from GeoJSON: one transaction, idempotent by area code."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from lofte.ingest.areas import read_areas
from lofte.ingest.common import Reject

from .models import Area

CATEGORY_WORDS = {
    "särskilt utsatt område": Area.Category.ESPECIALLY_VULNERABLE,
    "utsatt område": Area.Category.VULNERABLE,
    "riskområde": Area.Category.RISK,
}


@dataclass(frozen=True)
class AreaImportResult:
    created: int
    updated: int
    unchanged: int
    rejects: list

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, rejected {len(self.rejects)}"
        )


def category_of(text: str) -> str:
    return CATEGORY_WORDS.get(text.strip().casefold(), Area.Category.OTHER) if text else Area.Category.OTHER


def run(
    path: str | Path,
    *,
    name_field: str,
    code_field: str | None = None,
    category_field: str | None = None,
    crs: str | None = None,
    user: Any = None,
) -> AreaImportResult:
    """Read `path` and create or update one Area per feature, keyed by its code."""
    records, rejects = read_areas(
        path, name_field=name_field, code_field=code_field, category_field=category_field, crs=crs
    )
    created = updated = unchanged = 0
    seen = set()
    with transaction.atomic():
        for record in records:
            if record.code in seen:
                rejects.append(
                    Reject(
                        str(path),
                        record.feature,
                        code_field or name_field,
                        f"duplicate code {record.code!r} in this file",
                        unit="feature",
                    )
                )
                continue
            seen.add(record.code)
            area = Area.objects.filter(code=record.code).first()
            values = {"name": record.name, "category": category_of(record.category), "polygon": record.geometry}
            if area is None:
                area = Area(code=record.code, **values)
                created += 1
            elif all(_same(getattr(area, k), v) for k, v in values.items()):
                unchanged += 1
                continue
            else:
                for key, value in values.items():
                    setattr(area, key, value)
                updated += 1
            area.stamp(user)
            area.save()
    return AreaImportResult(created, updated, unchanged, rejects)


def _same(stored: Any, new: Any) -> bool:
    # Geometry arrives with tuples, is stored with lists: compare as JSON text.
    return json.dumps(stored, sort_keys=True) == json.dumps(new, sort_keys=True)
