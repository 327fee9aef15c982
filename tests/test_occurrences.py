"""Occurrence numbers by key hash: the same numbers as counting the key strings exactly."""

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from lofte.ingest.occurrences import Occurrences, key_hashes


def exact_numbers(calls):
    """The reference: a dict of the key strings."""
    counts, out = {}, []
    for keys in calls:
        numbers = []
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
            numbers.append(counts[key])
        out.append(numbers)
    return out


def test_it_numbers_repeated_keys_in_order_across_calls():
    occurrences = Occurrences()
    assert occurrences.number(["2024-09|a", "2024-09|b", "2024-09|a"]).tolist() == [1, 1, 2]
    assert occurrences.number(["2024-09|a", "", "2024-10|a", ""]).tolist() == [3, 1, 1, 2]
    assert len(occurrences) == 4


def test_it_hashes_arrow_slices_and_lists_alike():
    keys = ["", "a", "ab", "ba", "Ærø", "x" * 300, "a\x00"]
    array = pa.array(["skip"] + keys)[1:]  # a slice: offsets do not start at zero
    assert key_hashes(array).tolist() == key_hashes(keys).tolist()
    assert len(set(key_hashes(keys).tolist())) == len(keys)  # order, length and bytes all count


def test_it_keeps_counting_when_its_runs_are_merged():
    rng = np.random.default_rng(1)
    calls = [[f"k{i}" for i in rng.integers(0, 150_000, size=40_000)] for _ in range(6)]  # > 65 536 keys
    occurrences = Occurrences()
    assert [occurrences.number(keys).tolist() for keys in calls] == exact_numbers(calls)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.text(alphabet="ab|-#é\x00", max_size=4), max_size=30), max_size=5))
def test_it_agrees_with_counting_the_strings(calls):
    occurrences = Occurrences()
    assert [occurrences.number(keys).tolist() for keys in calls] == exact_numbers(calls)
