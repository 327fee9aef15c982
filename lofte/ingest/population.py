"""Residents per area and year from a CSV: SCB's open statistics by region, or a municipality's own table
by district (issue 26: rates per 1 000 residents in the municipality's lägesbild).

The mapping (a TOML file, or a dict):

    delimiter = ";"             # optional; `;`, a tab or `,` is found from the header line
    skip_lines = 1              # optional: title lines before the header (SCB's exports have one)

    [columns]
    area = "region"             # required: the file's name or code of an area
    year = "år"                 # long tables: a year column and a
    residents = "Folkmängd"     # residents column; without them every column named as a year
                                # ("2016", "2017") is one (SCB's wide tables)

    [areas]                     # optional: the file's names or codes -> Löfte area codes;
    "701 Norra Biskopsgården" = "biskopsgarden"   # several rows of one area and year add up
    "702 Södra Biskopsgården" = "biskopsgarden"

With [areas], rows of regions it does not name are left out (SCB's tables hold every region of the
country); without it, the area column must hold Löfte's area codes. Files in UTF-8 (with or without a
byte-order mark) and in Windows-1252, as SCB's PX-Web writes them, are both read. Numbers may hold
spaces between thousands ("12 345"); SCB's ".." (no figure) is a reject naming its line and column.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .common import Reject, UnreadableFile, csv_rows, delimiter_of

YEAR = re.compile(r"^\s*((?:19|20|21)\d\d)\s*$")
SPACES = re.compile(r"[\s\u00a0\u202f]")


@dataclass(frozen=True, slots=True)
class PopulationRecord:
    """Residents of one Löfte area in one year, as one row (or column) of the file gives them."""

    source: str
    position: int  # the line
    area: str  # the Löfte area's code
    region: str  # as the file names it
    year: int
    residents: int


def _text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")  # SCB's PX-Web writes its CSV in Windows-1252


def _number(text: str) -> int:
    cleaned = SPACES.sub("", text)
    if not cleaned or cleaned.strip(".") == "":
        raise ValueError("no figure" + (f" ({text.strip()})" if text.strip() else ""))
    value = int(cleaned)
    if value < 0:
        raise ValueError("a negative number")
    return value


def _reader(path: Path, mapping: dict[str, Any]) -> tuple[Any, list[str], int]:
    """A csv.reader past the header, the header's names and the lines skipped before it."""
    try:
        text = _text(path)
    except OSError as exc:
        raise UnreadableFile(f"{path.name}: cannot open: {exc}") from exc
    lines = io.StringIO(text, newline="")
    skip = int(mapping.get("skip_lines", 0))
    for _ in range(skip):
        lines.readline()
    start = lines.tell()
    delimiter = mapping.get("delimiter") or delimiter_of(lines.readline())
    lines.seek(start)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise UnreadableFile(f"{path.name}: no header row (empty file)") from None
    return reader, header, skip


def read_population(path: str | Path, *, mapping: dict[str, Any]) -> Iterator[PopulationRecord | Reject]:
    """Yield a PopulationRecord or a Reject (naming the line and the column) for each figure."""
    path = Path(path)
    columns = mapping.get("columns") or {}
    if "area" not in columns:
        raise UnreadableFile("mapping: [columns] needs area")
    if ("year" in columns) != ("residents" in columns):
        raise UnreadableFile("mapping: [columns] needs both year and residents, or neither (a wide table)")
    areas = {str(k).strip().casefold(): str(v) for k, v in (mapping.get("areas") or {}).items()}
    reader, header, skip = _reader(path, mapping)
    wanted = [columns["area"], *(columns[k] for k in ("year", "residents") if k in columns)]
    if missing := [name for name in wanted if name not in header]:
        raise UnreadableFile(f"{path.name}: line {skip + 1}: missing columns {', '.join(missing)}")
    years = {i: int(m[1]) for i, name in enumerate(header) if (m := YEAR.match(name))}
    if "year" not in columns and not years:
        raise UnreadableFile(f"{path.name}: line {skip + 1}: no year columns (such as 2016) and no [columns] year")
    source = path.name
    for row in csv_rows(reader, source):
        if isinstance(row, Reject):
            yield row
            continue
        line = skip + reader.line_num
        cells = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        region = cells[columns["area"]]
        if not region:
            yield Reject(source, line, columns["area"], "missing")
            continue
        code = areas.get(region.casefold()) if areas else region
        if code is None:
            continue  # a region the mapping does not name: not one of the municipality's areas
        if "year" in columns:
            figures = [(columns["year"], cells[columns["year"]], columns["residents"], cells[columns["residents"]])]
        else:
            figures = [(header[i], str(year), header[i], row[i] if i < len(row) else "") for i, year in years.items()]
        for figure in figures:
            yield _figure(source, line, code, region, *figure)


def _figure(
    source: str, line: int, code: str, region: str, year_column: str, year_text: str, column: str, value: str
) -> PopulationRecord | Reject:
    if not YEAR.match(year_text):
        return Reject(source, line, year_column, f"not a year: {year_text!r}")
    try:
        residents = _number(value)
    except ValueError as exc:
        return Reject(source, line, column, f"not a number of residents: {exc}")
    return PopulationRecord(source, line, code, region, int(year_text), residents)
