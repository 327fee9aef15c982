"""The fast path for large, well-formed police.uk files: Arrow's C++ CSV reader and column
operations instead of a Python loop over rows.

It gives exactly what `policeuk._batches` gives (same ids, fingerprints, raw fields and
rejects). The file is read in blocks; a block with anything unusual (a row of another width,
a value with a line break, a line of empty cells, text that is not UTF-8, control
characters) is handed, with the rest of the file, to the careful line-by-line reader, which
continues the numbering of repeated ids and names every odd line.
"""

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from lofte.analysis.types import BoolArray, FloatArray

from .common import CRIME, INCIDENT, NONE, SNAPPED, IncidentBatch, Reject, parse_lonlat
from .occurrences import Occurrences
from .policeuk_format import ASB, RAW, month_period

BLOCK_BYTES = 8 << 20


class Irregular(Exception):
    """This block needs the line-by-line reader."""


class Handover:
    """Where the careful reader takes over: after `rows_done` data rows, with the keys' `Occurrences`."""

    def __init__(self, rows_done: int, occurrences: Occurrences) -> None:
        self.rows_done = rows_done
        self.occurrences = occurrences


def _raw_json(cells: list[Any], raw_columns: list[tuple[str, int]], escape: bool) -> Any:
    """{"name":"value",…} of the non-empty raw cells of every row, as orjson writes it
    (the caller has made sure no cell holds a control character)."""
    pieces = []
    for name, column in raw_columns:
        values = cells[column]
        escaped = pc.replace_substring(pc.replace_substring(values, "\\", "\\\\"), '"', '\\"') if escape else values
        literal = pc.binary_join_element_wise(orjson.dumps(name).decode() + ':"', escaped, '",', "")
        pieces.append(pc.if_else(pc.equal(values, ""), "", literal))
    if not pieces:
        return pa.array(["{}"] * len(cells[0]), pa.string())
    # Each piece ends with a comma; the row's last one is trimmed off.
    body = pc.utf8_rtrim(pc.binary_join_element_wise(*pieces, ""), ",")
    return pc.binary_join_element_wise("{", body, "}", "")


class _Block:
    """One block of rows turned into records and rejects."""

    def __init__(
        self,
        cells: list[Any],
        first_line: int,
        index: dict[str, int],
        raw_columns: list[tuple[str, int]],
        periods: dict[str, Any],
        points: dict[tuple[str, str], Any],
    ) -> None:
        self.n = n = len(cells[0])
        self.first_line = first_line
        joined = pc.binary_join_element_wise(*cells, "\x1f")
        # One scan for anything special; the common file has none of it.
        escape = pc.any(pc.match_substring_regex(joined, r'[\x00-\x1e"\\]')).as_py()
        if escape and pc.any(pc.match_substring_regex(joined, r"[\x00-\x1e]")).as_py():
            # A line break in a value (line numbers) or another control character (JSON
            # escaping): the careful reader's business.
            raise Irregular
        if pc.any(pc.equal(joined, "\x1f" * (len(cells) - 1))).as_py():
            raise Irregular  # a blank line and a line of empty cells read alike here
        if any(pc.any(pc.match_substring(cells[column], "\x1f")).as_py() for _, column in raw_columns):
            raise Irregular  # the separator of the joined cells inside a raw value: JSON escaping
        self.raw = _raw_json(cells, raw_columns, escape)
        trim = pc.utf8_trim_whitespace
        self.month = month = trim(cells[index["Month"]])
        self.crime_type = crime_type = trim(cells[index["Crime type"]])
        crime_id = trim(cells[index["Crime ID"]])
        self.location = trim(cells[index["Location"]]) if "Location" in index else None
        self.reasons: dict[int, tuple[str, str]] = {}  # row in block -> (field, reason)
        reasons = self.reasons

        months = pc.dictionary_encode(month)
        names = months.dictionary.to_pylist()
        for text in names:
            if text not in periods:
                try:
                    periods[text] = month_period(text)
                except (ValueError, TypeError):
                    periods[text] = None
        self.month_codes = months.indices.to_numpy(zero_copy_only=False)
        self.starts = np.array([(periods[m] or (None, None))[0] for m in names], dtype=object)
        self.ends = np.array([(periods[m] or (None, None))[1] for m in names], dtype=object)
        bad_month = np.array([periods[m] is None for m in names], dtype=bool)[self.month_codes]
        for row in np.flatnonzero(bad_month).tolist():
            reasons[row] = ("Month", f"not YYYY-MM: {names[self.month_codes[row]]!r}")
        no_type = np.asarray(pc.equal(crime_type, "").to_numpy(zero_copy_only=False)) & ~bad_month
        for row in np.flatnonzero(no_type).tolist():
            reasons[row] = ("Crime type", "missing")

        self.lon, self.lat = self._coordinates(
            cells[index["Longitude"]], cells[index["Latitude"]], points, ~bad_month & ~no_type
        )
        self.keep = np.ones(n, dtype=bool)
        self.keep[list(reasons)] = False

        self.digest = pa.array(
            [hashlib.blake2b(b, digest_size=12).hexdigest() for b in pc.cast(joined, pa.binary()).to_pylist()],
            pa.string(),
        )
        self.key = pc.if_else(
            pc.equal(crime_id, ""),
            pc.binary_join_element_wise(month, pc.utf8_slice_codeunits(self.digest, 0, 20), "|-"),
            pc.binary_join_element_wise(month, crime_id, "|"),
        )

    def _coordinates(
        self, lon_text: Any, lat_text: Any, points: dict[tuple[str, str], Any], usable: BoolArray
    ) -> tuple[FloatArray, FloatArray]:
        """Longitudes and latitudes (NaN where unlocated), noting bad pairs in `self.reasons`.

        Plain numbers in range are converted in C; anything else (spaces, one of the two
        missing, out of range, not a number) goes through `parse_lonlat` for its exact verdict.
        """

        def numbers(text: Any) -> Any:
            try:
                return pc.cast(pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text), pa.float64())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                return None

        lon_values, lat_values = numbers(lon_text), numbers(lat_text)
        if lon_values is not None and lat_values is not None:
            lon = np.array(lon_values.to_numpy(zero_copy_only=False), dtype=float)  # writable copies
            lat = np.array(lat_values.to_numpy(zero_copy_only=False), dtype=float)
            empty = np.asarray(pc.and_(pc.equal(lon_text, ""), pc.equal(lat_text, "")).to_numpy(zero_copy_only=False))
            fine = empty | ((lon >= -180) & (lon <= 180) & (lat >= -90) & (lat <= 90))
            odd = np.flatnonzero(~fine & usable)
        else:
            lon, lat = np.full(self.n, np.nan), np.full(self.n, np.nan)
            odd = np.flatnonzero(usable)
        if len(odd):
            lon_cells = pc.take(lon_text, pa.array(odd)).to_pylist()
            lat_cells = pc.take(lat_text, pa.array(odd)).to_pylist()
            for row, lon_cell, lat_cell in zip(odd.tolist(), lon_cells, lat_cells, strict=True):
                point = points.get((lon_cell, lat_cell))
                if point is None:
                    try:
                        parsed = parse_lonlat(lon_cell, lat_cell)
                        point = (
                            np.nan if parsed[0] is None else parsed[0],
                            np.nan if parsed[1] is None else parsed[1],
                            None,
                        )
                    except ValueError as exc:
                        point = (np.nan, np.nan, str(exc))
                    if len(points) < 100_000:
                        points[(lon_cell, lat_cell)] = point
                lon[row], lat[row] = point[0], point[1]
                if point[2] is not None:
                    self.reasons[row] = ("Longitude", point[2])
        return lon, lat

    def number(self, occurrences: Occurrences) -> None:
        """Occurrence numbers of the kept rows, continuing `occurrences` (which is updated)."""
        kept = np.flatnonzero(self.keep)
        occurrence = np.zeros(self.n, dtype=np.int64)
        occurrence[kept] = occurrences.number(pc.take(self.key, pa.array(kept)))
        self.source_id = pc.binary_join_element_wise(self.key, pc.cast(pa.array(occurrence), pa.string()), "#")

    def items(self, source: str, size: int) -> Iterator[IncidentBatch | Reject]:
        """Rejects and IncidentBatches of up to `size` records, in file order."""
        nature = pc.if_else(pc.equal(pc.utf8_lower(self.crime_type), ASB), INCIDENT, CRIME)
        accuracy = np.where(np.isfinite(self.lon), SNAPPED, NONE)
        rejected = sorted(self.reasons)
        next_reject = 0
        for start in range(0, self.n, size):
            stop = min(start + size, self.n)
            while next_reject < len(rejected) and rejected[next_reject] < stop:
                row = rejected[next_reject]
                yield Reject(source, self.first_line + int(row), *self.reasons[row])
                next_reject += 1
            rows = np.flatnonzero(self.keep[start:stop]) + start
            if not len(rows):
                continue
            take, codes, count = pa.array(rows), self.month_codes[rows], len(rows)
            yield IncidentBatch(
                source,
                {
                    "source_id": pc.take(self.source_id, take).to_pylist(),
                    "position": (rows + self.first_line).tolist(),
                    "occurred_from": self.starts[codes].tolist(),
                    "occurred_to": self.ends[codes].tolist(),
                    "published_at": [None] * count,
                    "type": pc.take(self.crime_type, take).to_pylist(),
                    "nature": pc.take(nature, take).to_pylist(),
                    "lon": pa.array(self.lon[rows], from_pandas=True).to_pylist(),
                    "lat": pa.array(self.lat[rows], from_pandas=True).to_pylist(),
                    "accuracy": accuracy[rows].tolist(),
                    "place_text": pc.take(self.location, take).to_pylist()
                    if self.location is not None
                    else [""] * count,
                    "url": [""] * count,
                    "raw_json": pc.take(self.raw, take).to_pylist(),
                    "fingerprint": pc.take(self.digest, take).to_pylist(),
                },
                ids_unique=True,
            )


def read(
    path: str | Path, header: list[str], *, source: str, index: dict[str, int], size: int
) -> Iterator[IncidentBatch | Reject | Handover]:
    """Yield Rejects and IncidentBatches; the last item may be a Handover for the careful reader."""
    raw_columns = [(name, index[name]) for name in RAW if name in index]
    periods: dict[str, Any] = {}
    points: dict[tuple[str, str], Any] = {}
    occurrences, rows_done = Occurrences(), 0
    try:
        reader = pcsv.open_csv(
            path,
            read_options=pcsv.ReadOptions(use_threads=True, block_size=BLOCK_BYTES),
            parse_options=pcsv.ParseOptions(ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, OSError):
        yield Handover(0, occurrences)
        return
    try:
        while True:
            try:
                record_batch = reader.read_next_batch()
            except StopIteration:
                return
            except (pa.ArrowInvalid, OSError):
                # A row of another width, or text that is not UTF-8, somewhere in this block.
                yield Handover(rows_done, occurrences)
                return
            try:
                if record_batch.num_columns != len(header):
                    raise Irregular
                block = _Block(record_batch.columns, rows_done + 2, index, raw_columns, periods, points)
            except Irregular:
                yield Handover(rows_done, occurrences)
                return
            block.number(occurrences)
            yield from block.items(source, size)
            rows_done += block.n
    finally:
        reader.close()  # stop its read-ahead threads, also when the caller stops early
