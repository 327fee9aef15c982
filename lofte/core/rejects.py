"""The rejects file every import writes beside its input: one line per unusable record."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from lofte.ingest.common import Reject

from . import spreadsheet


@dataclass
class ImportResult:
    """What an idempotent import did: records new, the same as stored, changed, and rejected."""

    imported: int = 0
    unchanged: int = 0
    updated: int = 0
    rejects: list[Reject] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"imported {self.imported}, unchanged {self.unchanged}, updated {self.updated}, "
            f"rejected {len(self.rejects)}"
        )


def default_rejects_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(path.name + ".rejects.csv")


def write_rejects(rejects: Iterable[Reject], path: str | Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "unit", "position", "field", "reason"])
        for r in rejects:
            writer.writerow(spreadsheet.row([r.source, r.unit, r.position, r.field, r.reason]))


def report(command: BaseCommand, result: Any, source_file: str | Path, path: str | Path | None = None) -> None:
    """For a management command: save `result.rejects` (if any), say where, and print the summary."""
    if result.rejects:
        command.stdout.write(f"rejects written to {save_rejects(result.rejects, source_file, path)}")
    command.stdout.write(result.summary())


def save_rejects(rejects: Iterable[Reject], source_file: str | Path, path: str | Path | None = None) -> Path:
    """Write `rejects` to `path` (default: beside `source_file`); return where they went."""
    found = Path(path) if path else default_rejects_path(source_file)
    write_rejects(rejects, found)
    return found
