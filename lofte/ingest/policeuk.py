"""data.police.uk street-level crime CSV.

Each row is one published record and counts (DESIGN.md section 6): a Crime ID can appear
on several rows of one month, and anti-social behaviour rows have no id and can be exact
copies of each other. The identity of a row is therefore the month, the Crime ID (or, for
rows without one, the row's content) and its occurrence number among rows that share
them: re-importing a file finds the same identities, and an outcome that changes in a
later release updates its row instead of adding one.
"""

import codecs
import csv
import hashlib
from collections import deque
from collections.abc import Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from . import policeuk_arrow
from .common import (
    CRIME,
    INCIDENT,
    NONE,
    SNAPPED,
    IncidentBatch,
    IncidentRecord,
    Reject,
    UnreadableFile,
    parse_lonlat,
)
from .occurrences import Occurrences
from .policeuk_format import ASB, RAW, REQUIRED, month_period


def read_policeuk(path: str | Path, *, source: str = "policeuk") -> Iterator[IncidentRecord | Reject]:
    """Yield an IncidentRecord or a Reject (with its line number) for every data row."""
    for item in read_policeuk_batches(path, source=source):
        if isinstance(item, Reject):
            yield item
        else:
            yield from item.records()


def read_policeuk_batches(
    path: str | Path, *, source: str = "policeuk", size: int = 50_000
) -> Iterator[IncidentBatch | Reject]:
    """Yield IncidentBatches of up to `size` records, and a Reject for every unusable row.

    Well-formed files go through Arrow (`policeuk_arrow`); from the first odd block on, the
    line-by-line reader takes over.
    """
    path = Path(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise UnreadableFile(f"{path}: cannot open: {exc}") from exc
    with handle:
        undecodable: list[tuple[int, str]] = []
        lines = _Lines(_text_lines(handle, undecodable))
        reader = csv.reader(lines)
        try:
            header = next(reader)
        except (StopIteration, csv.Error) as exc:
            raise UnreadableFile(f"{path}: no police.uk header row ({exc or 'empty file'})") from exc
        if undecodable:
            raise UnreadableFile(f"{path}: line 1: not UTF-8 text ({undecodable[0][1]})")
        index = {name.strip(): i for i, name in enumerate(header)}
        missing = [name for name in REQUIRED if name not in index]
        if missing:
            raise UnreadableFile(f"{path}: line 1: missing columns {', '.join(missing)}")
        for item in policeuk_arrow.read(path, header, source=source, index=index, size=size):
            if not isinstance(item, policeuk_arrow.Handover):
                yield item
                continue
            # The rest of the file needs the careful reader: skip what the fast path read.
            for _ in range(item.rows_done):
                next(reader)
            yield from _batches(reader, lines, index, source, len(header), size, item.occurrences, undecodable)
            return


class _Lines:
    """The lines a csv reader reads, with their numbers, and a way to read some again.

    police.uk fields never hold a line break, so a row that spans lines has a stray quote: it costs
    its first line (a reject with that line's number) and the lines it swallowed are read again.
    """

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = enumerate(lines, start=1)
        self._again: deque[tuple[int, str]] = deque()
        self.taken: list[tuple[int, str]] = []  # (number, text) of the lines of the current row

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        line = self._again.popleft() if self._again else next(self._lines)
        self.taken.append(line)
        return line[1]

    def read_again_after_first(self) -> None:
        self._again.extendleft(reversed(self.taken[1:]))


def _text_lines(handle: BinaryIO, undecodable: list[tuple[int, str]]) -> Iterator[str]:
    """Lines of a binary file as text; a line that is not UTF-8 becomes an empty line and is
    noted in `undecodable` as (line number, reason), so that one bad byte costs one line."""
    for number, raw in enumerate(handle, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            undecodable.append((number, f"{exc.reason} at byte {exc.start}"))
            yield "\n"


def _batches(  # noqa: C901 (one inlined hot loop)
    reader: Any,  # a csv reader of `lines`
    lines: _Lines,
    index: dict[str, int],
    source: str,
    width: int,
    size: int,
    occurrences: Occurrences,
    undecodable: list[tuple[int, str]],
) -> Iterator[IncidentBatch | Reject]:
    # Hot loop for the files the fast path hands over: plain indexes, caches for the values
    # that repeat (months, snap points), one tuple per record.
    periods: dict[str, Any] = {}
    natures: dict[str, str] = {}
    points: dict[tuple[str, str], Any] = {}
    i_id, i_month, i_lon, i_lat = index["Crime ID"], index["Month"], index["Longitude"], index["Latitude"]
    i_type, i_location = index["Crime type"], index.get("Location")
    raw_columns = [(name, index[name]) for name in RAW if name in index]
    raw_names = [name for name, _ in raw_columns]
    raw_cells = (
        itemgetter(*(i for _, i in raw_columns))
        if len(raw_columns) > 1
        else (lambda row: tuple(row[i] for _, i in raw_columns))
    )
    second = itemgetter(1)
    blake2b, dumps = hashlib.blake2b, orjson.dumps
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    taken = lines.taken
    while True:
        taken.clear()
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield Reject(source, taken[0][0] if taken else reader.line_num, "line", f"unreadable: {exc}")
            lines.read_again_after_first()
            continue
        finally:
            while undecodable:
                number, reason = undecodable.pop(0)
                yield Reject(source, number, "line", f"not UTF-8 text: {reason}")
        line = taken[0][0]
        if len(taken) > 1 or (row and "\n" in row[-1]):
            yield Reject(
                source, line, "line", "a quote is not closed on its line (the next lines are read on their own)"
            )
            lines.read_again_after_first()
            continue
        if len(row) < width:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            row = row + [""] * (width - len(row))
        month = row[i_month].strip()
        period = periods.get(month)
        if period is None:
            try:
                period = periods[month] = month_period(month)
            except (ValueError, TypeError):
                yield Reject(source, line, "Month", f"not YYYY-MM: {month!r}")
                continue
        crime_type = row[i_type].strip()
        if not crime_type:
            yield Reject(source, line, "Crime type", "missing")
            continue
        lon_text, lat_text = row[i_lon], row[i_lat]
        if lon_text or lat_text:
            point = points.get((lon_text, lat_text))
            if point is None:
                try:
                    point = parse_lonlat(lon_text, lat_text)
                except ValueError as exc:
                    yield Reject(source, line, "Longitude", str(exc))
                    continue
                if len(points) < 1_000_000:
                    points[(lon_text, lat_text)] = point
            lon, lat = point
        else:
            lon = lat = None
        crime_id = row[i_id].strip()
        digest = blake2b("\x1f".join(row).encode(), digest_size=12).hexdigest()
        key = f"{month}|{crime_id}" if crime_id else f"{month}|-{digest[:20]}"
        nature = natures.get(crime_type)
        if nature is None:
            nature = natures[crime_type] = INCIDENT if crime_type.casefold() == ASB else CRIME
        # The other columns as the source wrote them (empty cells left out).
        raw = dumps(dict(filter(second, zip(raw_names, raw_cells(row))))).decode()
        append(
            (
                key,
                line,
                period[0],
                period[1],
                None,
                crime_type,
                nature,
                lon,
                lat,
                SNAPPED if lon is not None else NONE,
                row[i_location].strip() if i_location is not None else "",
                "",
                raw,
                digest,
            )
        )
        if len(rows) >= size:
            yield _numbered(source, rows, occurrences)
            rows = []
            append = rows.append
    if rows:
        yield _numbered(source, rows, occurrences)


def _numbered(source: str, rows: list[tuple[Any, ...]], occurrences: Occurrences) -> IncidentBatch:
    """A batch of rows whose first value is the key, which becomes the id: key#occurrence."""
    keys = [row[0] for row in rows]
    numbers = occurrences.number(keys).tolist()
    return IncidentBatch.from_rows(
        source, [(f"{key}#{n}", *row[1:]) for key, n, row in zip(keys, numbers, rows)], ids_unique=True
    )
