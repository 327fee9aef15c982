"""The crime harm index table (`HarmWeight`): read from a CSV file with `type,weight` columns and
replaced as a whole, in one transaction (`lofte harm-weights`)."""

import csv
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import Count, Max

from lofte.core.problems import InputProblem

from .models import HarmWeight


@dataclass(frozen=True)
class HarmTable:
    weights: dict[str, float]
    unit: str
    source: str
    dated: date | None


def table() -> HarmTable:
    """The stored weights (empty when none are loaded)."""
    rows = list(HarmWeight.objects.all())
    if not rows:
        return HarmTable({}, "", "", None)
    return HarmTable({r.type: r.weight for r in rows}, rows[0].unit, rows[0].source, rows[0].dated)


def state() -> tuple[int, str]:
    """What changes when the table does (for cached evaluations)."""
    found = HarmWeight.objects.aggregate(n=Count("pk"), changed=Max("changed_at"))
    return found["n"], str(found["changed"])


def load(path: str | Path, *, source: str, dated: date, unit: str = "days") -> int:
    """Replace the table with the rows of the CSV file at `path` (UTF-8, header `type,weight`).
    A bad row stops the load with its file, line and field; the stored table is then unchanged."""
    weights = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"type", "weight"} - set(reader.fieldnames or [])
        if missing:
            raise InputProblem("header", f"{path}, line 1: missing column(s) {', '.join(sorted(missing))}")
        for row in reader:
            line = reader.line_num
            kind = (row["type"] or "").strip()
            if not kind:
                raise InputProblem("type", f"{path}, line {line}, field type: empty")
            if kind in weights:
                raise InputProblem("type", f"{path}, line {line}, field type: {kind!r} appears twice")
            try:
                weight = float((row["weight"] or "").strip().replace(",", "."))
            except ValueError:
                message = f"{path}, line {line}, field weight: {row['weight']!r} is not a number"
                raise InputProblem("weight", message) from None
            if not math.isfinite(weight) or weight < 0:
                raise InputProblem("weight", f"{path}, line {line}, field weight: {weight:g} is not a harm (≥ 0)")
            weights[kind] = weight
    if not weights:
        raise InputProblem("file", f"{path}: no weights")
    with transaction.atomic():
        HarmWeight.objects.all().delete()
        HarmWeight.objects.bulk_create(
            HarmWeight(type=k, weight=w, unit=unit, source=source, dated=dated) for k, w in weights.items()
        )
    return len(weights)
