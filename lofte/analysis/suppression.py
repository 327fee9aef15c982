"""Small-count suppression that cannot be undone by differencing (DESIGN.md section 7).

Hiding the cells below a threshold is not enough when totals are published beside them: a month's
total minus the shown types of that month gives the hidden one back. `protect_table` therefore also
hides complementary cells (the smallest non-zero ones) until no hidden value follows from the shown
values and the table's sums. A hidden value is determined exactly when every solution of the sums
agrees on it, that is when it has no component in the null space of the sums restricted to the
hidden cells; hidden cells are all at least 1, so any null-space direction leaves a second
non-negative integer solution (the sums of a table are totally unimodular).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .types import ArrayLike, BoolArray, FloatArray


def suppress_small_counts(counts: ArrayLike, *, threshold: int = 5) -> FloatArray:
    """Counts as a float array with 0 < n < threshold replaced by NaN (shown as "<threshold").

    Zeros stay: they reveal nothing about a person. The input is not modified.
    """
    values = np.array(counts, dtype=float)
    values[(values > 0) & (values < threshold)] = np.nan
    return values


@dataclass(frozen=True)
class ProtectedTable:
    """A count table with its row totals, column totals and grand total, as it may be published.

    Hidden values are NaN. `small` marks values hidden because they are below the threshold,
    `complementary` values hidden only so that the small ones cannot be worked out from the totals.
    """

    cells: FloatArray  # (rows, columns)
    row_totals: FloatArray  # (rows,)
    column_totals: FloatArray  # (columns,)
    total: float
    small: BoolArray  # (rows + 1, columns + 1): the table with its totals in the last row and column
    complementary: BoolArray

    def to_dict(self) -> dict[str, Any]:
        def listed(values: FloatArray) -> list[Any]:
            return [None if np.isnan(v) else int(v) for v in np.ravel(values)]

        return {
            "cells": [listed(row) for row in self.cells],
            "row_totals": listed(self.row_totals),
            "column_totals": listed(self.column_totals),
            "total": None if np.isnan(self.total) else int(self.total),
        }


def _with_totals(counts: np.ndarray) -> np.ndarray:
    rows, columns = counts.shape
    full = np.zeros((rows + 1, columns + 1))
    full[:rows, :columns] = counts
    full[:rows, columns] = counts.sum(axis=1)
    full[rows, :columns] = counts.sum(axis=0)
    full[rows, columns] = counts.sum()
    return full


def _sums(shape: tuple[int, int], published: list[BoolArray] | None = None) -> np.ndarray:
    """The table's sums as rows of a matrix over its flattened values (each equation equals 0), and
    one row per `published` mask (cells, without totals) whose sum is shown elsewhere."""
    rows, columns = shape  # with the totals
    equations = []
    for mask in published or []:
        e = np.zeros(shape)
        e[:-1, :-1] = mask
        equations.append(e.ravel())
    for i in range(rows):
        e = np.zeros(shape)
        e[i, :-1], e[i, -1] = 1, -1
        equations.append(e.ravel())
    for j in range(columns):
        e = np.zeros(shape)
        e[:-1, j], e[-1, j] = 1, -1
        equations.append(e.ravel())
    return np.array(equations)


def _determined(sums: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Flat indices of hidden values that the shown values and the sums fix exactly."""
    from scipy.linalg import null_space

    index = np.flatnonzero(hidden)
    if not len(index):
        return index
    free = null_space(sums[:, index])
    if free.shape[1] == 0:
        return index
    determined: np.ndarray = index[np.abs(free).max(axis=1) < 1e-9]
    return determined


def _complement(full: np.ndarray, hidden: np.ndarray, at: int, locked: np.ndarray) -> int:
    """The value to hide next to protect the hidden value at flat index `at`: the smallest shown
    non-zero cell in its row or column, a total only when no cell will do, else any shown non-zero value.
    `locked` values (given away by sums published elsewhere) are never chosen: hiding them hides nothing."""
    rows, columns = full.shape
    i, j = divmod(at, columns)
    candidates = [(i, c) for c in range(columns) if c != j] + [(r, j) for r in range(rows) if r != i]
    usable = [(int(r == rows - 1 or c == columns - 1), full[r, c], r * columns + c) for r, c in candidates]
    usable = [u for u in usable if u[1] > 0 and not hidden.flat[u[2]] and not locked.flat[u[2]]]
    if not usable:
        rest = np.flatnonzero((full.ravel() > 0) & ~hidden.ravel() & ~locked.ravel())
        if not len(rest):  # every non-zero value is hidden and one still follows: from the published sums
            raise ValueError("published: the sums published beside the table give a hidden count away themselves")
        return int(rest[np.argmin(full.ravel()[rest])])
    return int(min(usable)[2])


def _guarded(determined: np.ndarray, guarded: np.ndarray | None) -> np.ndarray:
    return determined if guarded is None else determined[guarded[determined]]


def _given_away(sums: np.ndarray, shape: tuple[int, int], published: bool) -> np.ndarray:
    """The table's values (with totals, `shape`) that the published sums fix even with every value of
    the table hidden: as good as shown, so hiding them protects nothing."""
    locked = np.zeros(shape, dtype=bool)
    if published:
        locked.flat[_determined(sums, np.ones(shape, dtype=bool))] = True
    return locked


def protect_table(
    counts: ArrayLike, *, threshold: int = 5, published: Sequence[ArrayLike] | None = None
) -> ProtectedTable:
    """Hide counts 0 < n < `threshold` in a table and its totals, and as many further non-zero values
    as it takes that none of the hidden ones can be worked out from the rest.

    Parameters
    ----------
    counts : 2-d array of non-negative integer counts (rows x columns, e.g. types x months)
    threshold : smallest count that may be shown
    published : boolean masks of the table's shape, keyword-only: groups of cells whose sum is
        published beside the table (e.g. a promise's outcome incidents per month, the sum of some
        types' rows); no hidden value may follow from those sums either. ValueError when the sums
        give a count away by themselves (two published sums that differ by a small count).

    Returns
    -------
    ProtectedTable with NaN for hidden values. The input is not modified.
    """
    table = np.array(counts, dtype=float)
    if table.ndim != 2:
        raise ValueError("counts: a table of rows and columns is needed")
    if (table < 0).any() or not np.isfinite(table).all():
        raise ValueError("counts: counts must be finite and non-negative")
    masks = [np.asarray(mask, dtype=bool) for mask in published or []]
    if any(mask.shape != table.shape for mask in masks):
        raise ValueError("published: each mask must have the table's shape")
    full = _with_totals(table)
    small = (full > 0) & (full < threshold)
    sums = _sums(full.shape, masks)
    locked = _given_away(sums, full.shape, bool(masks))
    if (locked & small).any():
        raise ValueError("published: the sums published beside the table give a small count away themselves")
    hidden = small.copy()
    # With sums published beside the table some values (a total of cells the sums give away) are fixed
    # whatever is hidden; what must stay open then is the small counts. Without, every hidden value.
    guarded = small.ravel() if masks else None
    while len(determined := _guarded(_determined(sums, hidden), guarded)):
        hidden.flat[_complement(full, hidden, int(determined[0]), locked)] = True
    shown = np.where(hidden, np.nan, full)
    rows, columns = table.shape
    return ProtectedTable(
        cells=shown[:rows, :columns],
        row_totals=shown[:rows, columns],
        column_totals=shown[rows, :columns],
        total=float(shown[rows, columns]),
        small=small,
        complementary=hidden & ~small,
    )


def protect_counts(counts: ArrayLike, *, threshold: int = 5) -> FloatArray:
    """Counts whose total is published (e.g. the squares of a map) with 0 < n < `threshold` hidden
    (NaN) and, when exactly one is hidden, the smallest other non-zero one too, so that the total
    minus the shown counts does not give it back. The input is not modified."""
    values = suppress_small_counts(counts, threshold=threshold)
    hidden = np.isnan(values)
    if hidden.sum() == 1:
        rest = np.flatnonzero(~hidden & (values > 0))
        if len(rest):
            values[rest[np.argmin(values[rest])]] = np.nan
    return values
