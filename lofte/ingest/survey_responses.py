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
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .common import Reject, UnreadableFile

FORMATS = ("limesurvey", "kobo", "csv")
DEFAULT_ID = {"limesurvey": "id", "kobo": "_uuid"}
DEFAULT_DATE = {"limesurvey": "submitdate", "kobo": "_submission_time"}
LANGUAGE = {"limesurvey": "startlanguage"}


@dataclass(frozen=True)
class ResponseRecord:
    line: int
    external_id: str
    submitted_on: date
    answers: dict
    stratum: str = ""
    language: str = ""


@dataclass
class ResponseFile:
    records: list = field(default_factory=list)
    rejects: list = field(default_factory=list)


def load_mapping(path):
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UnreadableFile(f"{path}: cannot read the mapping: {exc}") from exc


def _rows(path):
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"{path}: cannot read: {exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise UnreadableFile(f"{path}: line 1: {exc}") from exc
    if not header or not any(h.strip() for h in header):
        raise UnreadableFile(f"{path}: line 1: no header")
    return [h.strip() for h in header], reader


def _day(text):
    text = text.strip()
    if not text:
        raise ValueError("missing")
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return date.fromisoformat(text[:10])


def _item_columns(header, items, fmt, columns):
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


def read_responses(path, *, fmt, items, mapping=None):
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

    def column(role, default):
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
    out, seen = ResponseFile(), set()
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
        if len(row) != len(header):
            out.rejects.append(Reject(origin, line, "row", f"{len(row)} columns, expected {len(header)}"))
            continue
        external_id = row[id_at].strip()
        if not external_id:
            out.rejects.append(Reject(origin, line, header[id_at], "missing"))
            continue
        if external_id in seen:
            out.rejects.append(Reject(origin, line, header[id_at], f"{external_id!r} appears twice in the file"))
            continue
        try:
            day = _day(row[date_at])
        except ValueError:
            reason = (
                "not submitted (an unfinished response)"
                if fmt == "limesurvey" and not row[date_at].strip()
                else f"not a date: {row[date_at]!r}"
            )
            out.rejects.append(Reject(origin, line, header[date_at], reason))
            continue
        answers, problem = {}, None
        for code, k in where.items():
            text = row[k].strip()
            if not text:
                continue
            own = values.get(code) if isinstance(values.get(code), dict) else {}
            value = str(own.get(text, shared_values.get(text, text)))
            if value not in items[code]:
                problem = Reject(
                    origin,
                    line,
                    header[k],
                    f"unknown answer {text!r} for {code} (expected one of {', '.join(sorted(items[code]))})",
                )
                break
            answers[code] = value
        if problem:
            out.rejects.append(problem)
            continue
        seen.add(external_id)
        out.records.append(
            ResponseRecord(
                line,
                external_id,
                day,
                answers,
                stratum=row[stratum_at].strip() if stratum_at is not None else "",
                language=row[language_at].strip()[:10] if language_at is not None else "",
            )
        )
    return out
