"""A sampling frame from a register extract: CSV with columns id, age, sex, area, address.

Headers are matched without regard to case; Swedish headers (personid, ålder, kön, område,
adress) are accepted too, as are a BOM and ";" as the separator (Excel in Swedish). People
outside the survey's age groups are counted, not rejected: they are not in its population.
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .common import Reject, UnreadableFile, delimiter_of

AGE_GROUPS = (("16-24", 16, 24), ("25-44", 25, 44), ("45-64", 45, 64), ("65-84", 65, 84), ("85+", 85, 130))
HEADERS = {
    "id": ("id", "personid", "lopnr", "löpnummer"),
    "age": ("age", "ålder", "alder"),
    "sex": ("sex", "kön", "kon", "gender"),
    "area": ("area", "område", "omrade", "stratum"),
    "address": ("address", "adress", "utdelningsadress"),
}
SEXES = {
    "k": "female",
    "kvinna": "female",
    "f": "female",
    "female": "female",
    "w": "female",
    "2": "female",
    "m": "male",
    "man": "male",
    "male": "male",
    "1": "male",
}


@dataclass(frozen=True, slots=True)
class FramePerson:
    line: int
    ref: str
    age_group: str
    sex: str
    area: str
    address: str


@dataclass
class Frame:
    people: list[FramePerson]
    rejects: list[Reject]
    out_of_scope: int


def age_group(age: int, groups: Sequence[tuple[str, int, int]] = AGE_GROUPS) -> str | None:
    for label, low, high in groups:
        if low <= age <= high:
            return label
    return None


def read_frame(path: str | Path, *, groups: Sequence[tuple[str, int, int]] = AGE_GROUPS) -> Frame:
    """Read a frame file; raises UnreadableFile when there is no usable header."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableFile(f"{path}: cannot read: {exc}") from exc
    first = text.split("\n", 1)[0]
    rows = csv.reader(io.StringIO(text), delimiter=delimiter_of(first))
    header = [h.strip().casefold() for h in next(rows, [])]
    where = {}
    for name, aliases in HEADERS.items():
        found = [k for k, h in enumerate(header) if h in aliases]
        if not found:
            raise UnreadableFile(f"{path}: line 1: no column {name!r} (found: {', '.join(header) or 'nothing'})")
        where[name] = found[0]
    people, rejects, seen, out_of_scope = [], [], set(), 0
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            rejects.append(Reject(str(path), line, "row", f"{len(row)} columns, expected {len(header)}"))
            continue
        get = {name: row[k].strip() for name, k in where.items()}
        problem = None
        if not get["id"]:
            problem = ("id", "missing")
        elif get["id"] in seen:
            problem = ("id", f"{get['id']!r} appears twice")
        elif not (get["age"].isascii() and get["age"].isdigit() and len(get["age"]) <= 3):
            problem = ("age", f"not a whole number: {get['age']!r}")
        elif get["sex"].casefold() not in SEXES:
            problem = ("sex", f"unknown value {get['sex']!r} (use K/M, kvinna/man or female/male)")
        elif not get["area"]:
            problem = ("area", "missing")
        if problem:
            rejects.append(Reject(str(path), line, *problem))
            continue
        seen.add(get["id"])
        group = age_group(int(get["age"]), groups)
        if group is None:
            out_of_scope += 1
            continue
        people.append(FramePerson(line, get["id"], group, SEXES[get["sex"].casefold()], get["area"], get["address"]))
    return Frame(people, rejects, out_of_scope)
