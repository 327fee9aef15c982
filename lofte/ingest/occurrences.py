"""Occurrence numbers of row keys: the n-th row with a key in a file gets n.

police.uk rows that share a month and a Crime ID (or, without one, their content) are told
apart by this number. Keys are compared by a 64-bit hash of their UTF-8 bytes, computed for
a whole column at once, and counted in sorted arrays: a million keys cost 16 MB and no
Python loop (a dict of the key strings cost 130 MB and a second per million rows).

Two different keys with the same hash (a chance in tens of millions for a million-row file)
share a counter: their rows still get distinct ids, because the key's text is part of the
id, only numbered with a gap; and the same file is always numbered alike.
"""

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from lofte.analysis.types import IntArray

UIntArray = npt.NDArray[np.uint64]
_ONE = np.uint64(1)


def _mix(z: UIntArray) -> UIntArray:
    """splitmix64's finaliser on a uint64 array (wrapping arithmetic): a bijection that
    spreads every input bit over the output."""
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def key_hashes(keys: Sequence[str]) -> UIntArray:
    """64-bit hashes (uint64) of strings: an Arrow string array without nulls, or a list of str.

    Each byte is weighted by a pseudo-random number for its position, the sum taken per
    string (wrapping), and the sum mixed with the length.
    """
    array = keys if isinstance(keys, pa.Array) else pa.array(keys, pa.string())
    array = array.cast(pa.large_string())  # 64-bit offsets, whatever the input had
    if len(array) == 0:
        return np.empty(0, dtype=np.uint64)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64, count=len(array) + 1, offset=array.offset * 8)
    data = array.buffers()[2]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.empty(0, dtype=np.uint8)
    data = data[offsets[0] : offsets[-1]]
    starts, lengths = offsets[:-1] - offsets[0], np.diff(offsets)
    position = np.arange(len(data), dtype=np.int64) - np.repeat(starts, lengths)
    weight = _mix(np.arange(1, int(lengths.max(initial=0)) + 1, dtype=np.uint64))
    with np.errstate(over="ignore"):
        weighted = data.astype(np.uint64) * weight[position]
        sums = np.zeros(len(array), dtype=np.uint64)
        filled = lengths > 0  # reduceat gives an empty string the next string's first value
        sums[filled] = np.add.reduceat(weighted, starts[filled]) if len(weighted) else 0
        return _mix(sums + _mix(lengths.astype(np.uint64) + _ONE))


def _within(codes: IntArray) -> IntArray:
    """For each row, how many earlier rows (in order) share its code, plus one."""
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    starts = np.r_[True, sorted_codes[1:] != sorted_codes[:-1]]
    run_start = np.maximum.accumulate(np.where(starts, np.arange(len(codes)), 0))
    out = np.empty(len(codes), dtype=np.int64)
    out[order] = np.arange(len(codes)) - run_start + 1
    return out


class Occurrences:
    """How many rows with each key a reading has met so far (by key hash)."""

    def __init__(self) -> None:
        # A large sorted run and a small recent one, merged when the recent one grows: keeps
        # adding a block's new keys from copying every key seen so far.
        self._runs = [(np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64))] * 2

    def __len__(self) -> int:
        return sum(len(hashes) for hashes, _ in self._runs)

    def number(self, keys: Sequence[str]) -> IntArray:
        """The occurrence number of each of `keys` (in order), counting earlier calls' keys."""
        distinct, codes = np.unique(key_hashes(keys), return_inverse=True)
        codes = codes.ravel()
        added = np.bincount(codes, minlength=len(distinct))
        before = np.zeros(len(distinct), dtype=np.int64)
        new = np.ones(len(distinct), dtype=bool)
        for hashes, counts in self._runs:
            at = np.minimum(np.searchsorted(hashes, distinct), max(len(hashes) - 1, 0))
            found = (hashes[at] == distinct) if len(hashes) else np.zeros(len(distinct), dtype=bool)
            before[found] = counts[at[found]]
            counts[at[found]] += added[found]
            new &= ~found
        self._add(distinct[new], added[new])
        return _within(codes) + before[codes]

    def _add(self, hashes: UIntArray, counts: IntArray) -> None:
        (big, big_counts), (recent, recent_counts) = self._runs
        at = np.searchsorted(recent, hashes)
        recent, recent_counts = np.insert(recent, at, hashes), np.insert(recent_counts, at, counts)
        if len(recent) > max(65_536, len(big) // 8):
            at = np.searchsorted(big, recent)
            big, big_counts = np.insert(big, at, recent), np.insert(big_counts, at, recent_counts)
            recent, recent_counts = recent[:0], recent_counts[:0]
        self._runs = [(big, big_counts), (recent, recent_counts)]
