"""Survey responses collected elsewhere: LimeSurvey and KoboToolbox CSV exports, or any CSV with
a mapping.

- LimeSurvey: question codes as headers; array questions as `CODE[SUBCODE]`; `id` is the
  response id, an empty `submitdate` marks an unfinished response; anonymised surveys have no
  `token` column (and Löfte never keeps tokens).
- KoboToolbox: XLSForm names with `/` between groups (`problems/problem_litter`), `_uuid`,
  `_submission_time` (ISO 8601); ";" or "," as separator.
- Generic CSV: a mapping names the id and date columns.

A mapping (TOML, or a dict) is optional for LimeSurvey and KoboToolbox:

    [columns]
    id = "Svar-ID"                  # generic CSV: required
    date = "Datum"                  # generic CSV: required, ISO date or date-time
    stratum = "omrade"              # optional: the sampling stratum (area) of the respondent
    problem_litter = "Q1[SQ001]"    # an item read from another column than its own code

    [values]                        # answers as the source writes them -> Löfte's values
    A1 = "1"
    "Vet inte" = "dk"

    [values.aware_promise]          # values for one item only
    Y = "yes"
    N = "no"

Each row becomes a record or a reject naming the line and column; a row with an answer the
survey does not know is rejected whole, so that a wrong mapping never half-imports a response.
"""

import csv
import io
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .common import Reject, UnreadableFile, delimiter_of

FORMATS = ("limesurvey", "kobo", "csv")
DEFAULT_ID = {"limesurvey": "id", "kobo": "_uuid"}
DEFAULT_DATE = {"limesurvey": "submitdate", "kobo": "_submission_time"}
LANGUAGE = {"limesurvey": "startlanguage"}


@dataclass(frozen=True)
class ResponseRecord:
    line: int
    external_id: str
    submitted_on: date
    answers: dict[str, str]
    stratum: str = ""
    language: str = ""


@dataclass
class ResponseFile:
    records: list[ResponseRecord] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


def load_mapping(path: str | Path) -> dict[str, Any]:
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UnreadableFile(f"{path}: cannot read the mapping: {exc}") from exc


def _rows(path: str | Path) -> tuple[list[str], Any]:  # the header, and a csv reader of the rest
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"{path}: cannot read: {exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(first))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise UnreadableFile(f"{path}: line 1: {exc}") from exc
    if not header or not any(h.strip() for h in header):
        raise UnreadableFile(f"{path}: line 1: no header")
    return [h.strip() for h in header], reader


def _day(text: str) -> date:
    text = text.strip()
    if not text:
        raise ValueError("missing")
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return date.fromisoformat(text[:10])


def _item_columns(
    header: list[str], items: Mapping[str, set[str]], fmt: str, columns: dict[str, str]
) -> dict[str, int]:
    """{item code: column index}: from the mapping, else by the item's own code."""
    where = {}
    plain = {h: k for k, h in enumerate(header)}
    for code in items:
        source = columns.get(code)
        if source is not None:
            if source not in plain:
                raise UnreadableFile(f"mapping: column {source!r} for item {code!r} is not in the file")
            where[code] = plain[source]
            continue
        for k, h in enumerate(header):
            name = h.rsplit("/", 1)[-1] if fmt == "kobo" else h
            if name == code or (fmt == "limesurvey" and name.endswith(f"[{code}]")):
                where[code] = k
                break
    return where


def read_responses(
    path: str | Path, *, fmt: str, items: Mapping[str, set[str]], mapping: dict[str, Any] | None = None
) -> ResponseFile:
    """Read a response file.

    Parameters
    ----------
    fmt : "limesurvey", "kobo" or "csv"
    items : {item code: set of the values the survey accepts}
    mapping : dict (see the module docstring) or None
    """
    if fmt not in FORMATS:
        raise UnreadableFile(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    mapping = mapping or {}
    columns = dict(mapping.get("columns") or {})
    values = mapping.get("values") or {}
    shared_values = {k: v for k, v in values.items() if not isinstance(v, dict)}
    header, reader = _rows(path)
    origin = str(path)

    def column(role: str, default: str | None) -> int | None:
        name = columns.pop(role, default)
        if name is None:
            return None
        if name not in header:
            raise UnreadableFile(
                f'{origin}: line 1: no column {name!r} for the {role} (set [columns] {role} = "…" in a mapping)'
            )
        return header.index(name)

    id_at = column("id", DEFAULT_ID.get(fmt))
    date_at = column("date", DEFAULT_DATE.get(fmt))
    if id_at is None or date_at is None:
        raise UnreadableFile(f"{origin}: a generic CSV needs a mapping with [columns] id and date")
    stratum_at = column("stratum", None) if "stratum" in columns else None
    language_at = header.index(LANGUAGE[fmt]) if fmt in LANGUAGE and LANGUAGE[fmt] in header else None
    where = _item_columns(header, items, fmt, columns)
    if not where:
        raise UnreadableFile(f"{origin}: line 1: no column matches any question of the survey (map them in [columns])")
    layout = _Layout(origin, fmt, header, items, where, values, shared_values, id_at, date_at, stratum_at, language_at)
    out, seen = ResponseFile(), set[str]()
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            line += 1
            out.rejects.append(Reject(origin, line, "row", str(exc)))
            continue
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        parsed = _response(layout, row, line, seen)
        if isinstance(parsed, Reject):
            out.rejects.append(parsed)
        else:
            seen.add(parsed.external_id)
            out.records.append(parsed)
    return out


@dataclass(frozen=True)
class _Layout:
    """Where a file keeps what, and how its answers translate to the survey's values."""

    origin: str
    fmt: str
    header: list[str]
    items: Mapping[str, set[str]]
    where: dict[str, int]  # item code -> column
    values: dict[str, Any]
    shared_values: dict[str, Any]
    id_at: int
    date_at: int
    stratum_at: int | None
    language_at: int | None


def _response(layout: _Layout, row: list[str], line: int, seen: set[str]) -> ResponseRecord | Reject:
    """One data row as a ResponseRecord, or the Reject that says what is wrong with it."""
    origin, header = layout.origin, layout.header
    if len(row) != len(header):
        return Reject(origin, line, "row", f"{len(row)} columns, expected {len(header)}")
    external_id = row[layout.id_at].strip()
    if not external_id:
        return Reject(origin, line, header[layout.id_at], "missing")
    if external_id in seen:
        return Reject(origin, line, header[layout.id_at], f"{external_id!r} appears twice in the file")
    submitted = row[layout.date_at]
    try:
        day = _day(submitted)
    except ValueError:
        unfinished = layout.fmt == "limesurvey" and not submitted.strip()
        reason = "not submitted (an unfinished response)" if unfinished else f"not a date: {submitted!r}"
        return Reject(origin, line, header[layout.date_at], reason)
    answers = {}
    for code, k in layout.where.items():
        text = row[k].strip()
        if not text:
            continue
        own = layout.values.get(code)
        own = own if isinstance(own, dict) else {}
        value = str(own.get(text, layout.shared_values.get(text, text)))
        accepted = layout.items[code]
        if value not in accepted:
            expected = ", ".join(sorted(accepted))
            return Reject(origin, line, header[k], f"unknown answer {text!r} for {code} (expected one of {expected})")
        answers[code] = value
    return ResponseRecord(
        line,
        external_id,
        day,
        answers,
        stratum=row[layout.stratum_at].strip() if layout.stratum_at is not None else "",
        language=row[layout.language_at].strip()[:10] if layout.language_at is not None else "",
    )
