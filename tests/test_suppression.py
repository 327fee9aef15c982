"""Suppression that differencing cannot undo, checked with linear programming as the oracle: for
each hidden value, the smallest and largest value consistent with everything shown must differ."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import linprog

from lofte.analysis.suppression import protect_counts, protect_table


def feasible_range(shown, at, published=(), counts=None):
    """min and max of hidden value `at` ((row, column) in the table with totals) over non-negative
    tables that agree with every shown value and every sum, and with the sums `published` beside the
    table (masks over its cells, their values taken from `counts`)."""
    rows, columns = shown.shape
    hidden = np.isnan(shown)
    index = {k: n for n, k in enumerate(zip(*np.nonzero(hidden)))}
    equations, rhs = [], []
    for line in [[(i, j) for j in range(columns)] for i in range(rows)] + [
        [(i, j) for i in range(rows)] for j in range(columns)
    ]:
        a, b = np.zeros(len(index)), 0.0
        *parts, total = line
        for k, sign in [(p, 1) for p in parts] + [(total, -1)]:
            if k in index:
                a[index[k]] += sign
            else:
                b -= sign * shown[k]
        if a.any():
            equations.append(a)
            rhs.append(b)
        else:
            assert abs(b) < 1e-9  # a line with nothing hidden adds up
    for mask in published:
        a, b = np.zeros(len(index)), float(np.asarray(counts)[mask].sum())
        for k in zip(*np.nonzero(mask)):
            if k in index:
                a[index[k]] += 1
            else:
                b -= shown[k]
        if a.any():
            equations.append(a)
            rhs.append(b)
    c = np.zeros(len(index))
    c[index[at]] = 1
    low = linprog(c, A_eq=equations, b_eq=rhs, bounds=(0, None))
    high = linprog(-c, A_eq=equations, b_eq=rhs, bounds=(0, None))
    assert low.status == 0 and high.status in (0, 3)  # 3: unbounded (everything hidden, even the total)
    return low.fun, np.inf if high.status == 3 else -high.fun


def with_totals(p):
    rows, columns = p.cells.shape
    full = np.full((rows + 1, columns + 1), np.nan)
    full[:rows, :columns], full[:rows, columns], full[rows, :columns] = p.cells, p.row_totals, p.column_totals
    full[rows, columns] = p.total
    return full


def test_it_hides_a_complement_where_a_total_would_give_a_small_count_back():
    counts = np.array([[10, 3, 12], [20, 15, 9], [7, 8, 30]])
    p = protect_table(counts, threshold=5)
    assert np.isnan(p.cells[0, 1]) and p.small[0, 1]
    assert p.complementary.sum() >= 2  # one more in the 3's row and one in its column, at least
    shown = with_totals(p)
    for at in zip(*np.nonzero(np.isnan(shown))):
        low, high = feasible_range(shown, at)
        assert low < high
    assert counts.tolist() == [[10, 3, 12], [20, 15, 9], [7, 8, 30]]


def test_it_hides_nothing_more_when_the_pattern_already_protects():
    counts = np.array([[3, 4, 20], [2, 1, 30], [10, 10, 10]])  # a 2 x 2 block of small counts
    p = protect_table(counts, threshold=5)
    assert p.small.sum() == 4 and not p.complementary.any()
    assert p.total == counts.sum()


def test_it_keeps_zeros_and_shows_everything_without_small_counts():
    p = protect_table([[0, 7], [9, 0]], threshold=5)
    assert p.to_dict() == {"cells": [[0, 7], [9, 0]], "row_totals": [7, 9], "column_totals": [9, 7], "total": 16}


def test_a_small_total_is_hidden_with_what_would_give_it_back():
    p = protect_table([[1, 0], [0, 30], [6, 8]], threshold=5)
    assert np.isnan(p.row_totals[0]) and np.isnan(p.cells[0, 0])
    shown = with_totals(p)
    for at in zip(*np.nonzero(np.isnan(shown))):
        low, high = feasible_range(shown, at)
        assert low < high


def test_it_refuses_what_is_not_a_table_of_counts():
    with pytest.raises(ValueError, match="counts"):
        protect_table([1, 2, 3])
    with pytest.raises(ValueError, match="non-negative"):
        protect_table([[1, -2]])


@settings(max_examples=150, deadline=None)
@given(arrays(np.int64, st.tuples(st.integers(1, 5), st.integers(1, 6)), elements=st.integers(0, 12)))
def test_no_hidden_value_follows_from_the_shown_ones(counts):
    p = protect_table(counts, threshold=5)
    shown = with_totals(p)
    full = np.zeros_like(shown)
    full[:-1, :-1], full[:-1, -1], full[-1, :-1], full[-1, -1] = counts, counts.sum(1), counts.sum(0), counts.sum()
    assert np.array_equal(np.isnan(shown), p.small | p.complementary)
    assert not np.isnan(shown[(full == 0)]).any()  # zeros are never hidden
    assert np.all(np.isnan(shown[(full > 0) & (full < 5)]))
    for at in zip(*np.nonzero(np.isnan(shown))):
        low, high = feasible_range(shown, at)
        assert low - 1e-6 <= full[at] <= high + 1e-6
        assert high - low >= 1 - 1e-6, (counts.tolist(), at)


def test_map_squares_never_leave_one_hidden_square_beside_the_total():
    out = protect_counts([0, 3, 10, 20, 6], threshold=5)
    assert np.isnan(out[[1, 4]]).all() and out[[0, 2, 3]].tolist() == [0, 10, 20]
    assert np.isnan(protect_counts([2, 3, 10], threshold=5)[[0, 1]]).all()
    assert protect_counts([7, 10], threshold=5).tolist() == [7, 10]


def test_a_sum_published_beside_the_table_cannot_give_a_small_count_back():
    # Types x months; the promise's outcome types (rows 0 and 1) are published month by month beside
    # it, and row 2 holds the small counts that "month total minus outcome" would give back.
    counts = np.array([[30, 25, 40], [20, 22, 18], [1, 2, 1]])
    published = [np.isin(np.arange(3)[:, None] + np.zeros((1, 3)), [0, 1]) & (np.arange(3)[None, :] == m)
                 for m in range(3)]  # fmt: skip
    alone = protect_table(counts, threshold=5)
    shown = with_totals(alone)
    pinned = [at for at in zip(*np.nonzero(np.isnan(shown)))
              if np.subtract(*feasible_range(shown, at, published, counts)) == 0]  # fmt: skip
    assert pinned  # without the sums, the table is not safe beside them
    together = protect_table(counts, threshold=5, published=published)
    shown = with_totals(together)
    for at in zip(*np.nonzero(together.small)):
        low, high = feasible_range(shown, at, published, counts)
        assert low < high, at


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.int64, st.tuples(st.integers(2, 4), st.integers(2, 5)), elements=st.integers(0, 12)),
    st.sets(st.integers(0, 3), min_size=1),
    st.booleans(),
)
def test_no_hidden_count_follows_from_the_table_and_the_sums_published_beside_it(counts, outcome, with_total):
    """As a promise publishes them: its outcome types' sum in each month, and over all the months,
    each 0 or at least the threshold (the outcome comparison's own rule)."""
    rows, columns = counts.shape
    chosen = np.isin(np.arange(rows), sorted(outcome))[:, None] & np.ones((1, columns), dtype=bool)
    published = [chosen & (np.arange(columns) == m)[None, :] for m in range(columns)]
    published += [chosen] if with_total else []
    assume(all(counts[m].sum() == 0 or counts[m].sum() >= 5 for m in published))
    try:
        protected = protect_table(counts, threshold=5, published=published)
    except ValueError:  # the sums alone give a small count away: the caller publishes neither
        assume(False)
    shown = with_totals(protected)
    for at in zip(*np.nonzero(protected.small)):  # every small count can take two values at least
        low, high = feasible_range(shown, at, published, counts)
        assert low < high - 1e-9, (counts.tolist(), at)
