"""Near-repeat Knox test with the Near Repeat Calculator's conventions (Ratcliffe).

Every pair of events is counted once. Spatial rows: "same location" (distance exactly 0),
then (0, h), [h, 2h), ..., and "more than" (>= n h); time columns: whole days between
the events in [0, T), [T, 2T), ..., and "more than" (>= m T). Manhattan distance by
default. The expected counts come from permuting the dates over the events (Monte
Carlo); p = (simulations >= observed + 1) / (permutations + 1).

Speed: the locations never move, so only pairs closer than n h are ever needed (found
once with a k-d tree). The histogram of time differences over all pairs does not change
when dates are permuted, so the "more than" row is that histogram minus the close pairs.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from .types import ArrayLike, FloatArray, IntArray


@dataclass(frozen=True)
class KnoxTable:
    """Observed and expected pair counts, ratios and p-values, shape (n_space + 2, n_time + 1)."""

    space_labels: list[str]
    time_labels: list[str]
    observed: IntArray
    expected: FloatArray
    ratio: FloatArray
    p: FloatArray
    permutations: int
    seed: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "space": self.space_labels,
            "time": self.time_labels,
            "observed": self.observed.tolist(),
            "expected": self.expected.tolist(),
            "ratio": self.ratio.tolist(),
            "p": self.p.tolist(),
            "permutations": self.permutations,
            "seed": self.seed,
        }

    def rows(self) -> Iterator[dict[str, Any]]:
        """One dict per cell: space band, time band, observed, expected, ratio, p."""
        for i, space in enumerate(self.space_labels):
            for j, time in enumerate(self.time_labels):
                yield {
                    "space": space,
                    "time": time,
                    "observed": int(self.observed[i, j]),
                    "expected": float(self.expected[i, j]),
                    "ratio": float(self.ratio[i, j]),
                    "p": float(self.p[i, j]),
                }


def _all_pairs_time_histogram(days: IntArray, bands: int, band: int) -> IntArray:
    """Pairs of events per time band over all pairs: invariant under permuting dates."""
    days = days - days.min()
    per_day = np.bincount(days).astype(np.float64)
    # pairs at lag k: sum_d c_d c_{d+k}; lag 0: sum c_d (c_d - 1) / 2
    span = len(per_day)
    size = 1 << int(np.ceil(np.log2(2 * span)))
    spectrum = np.fft.rfft(per_day, size)
    lags = np.fft.irfft(spectrum * np.conj(spectrum), size)[:span]
    lags = np.rint(lags).astype(np.int64)
    lags[0] = int(np.sum(per_day * (per_day - 1) / 2))
    histogram = np.zeros(bands + 1, dtype=np.int64)
    index = np.minimum(np.arange(span) // band, bands)
    np.add.at(histogram, index, lags)
    return histogram


def knox(
    x: ArrayLike,
    y: ArrayLike,
    days: ArrayLike,
    *,
    space_band: float,
    space_bands: int = 3,
    time_band: int = 1,
    time_bands: int = 3,
    distance: str = "manhattan",
    permutations: int = 999,
    seed: int | None = None,
    float32: bool = False,
) -> KnoxTable:
    """The Knox table of close pairs in space and time against date permutations.

    Parameters
    ----------
    x, y : coordinates in metres (a projected CRS)
    days : event dates as whole days (integers, e.g. days since 1970-01-01)
    space_band : h, metres; space_bands: n
    time_band : T, days; time_bands: m
    distance : "manhattan" (the Near Repeat Calculator's default) or "euclidean"
    permutations : Monte Carlo permutations of the dates
    seed : seed of the permutations
    float32 : round coordinates to single precision first, as the Near Repeat Calculator does

    Returns
    -------
    KnoxTable
    """
    from scipy.spatial import cKDTree

    dtype = np.float32 if float32 else np.float64
    points = np.column_stack([np.asarray(x, dtype=dtype), np.asarray(y, dtype=dtype)]).astype(np.float64)
    days = np.asarray(days, dtype=np.int64)
    n = len(points)
    if n < 2:
        raise ValueError("the Knox test needs at least two events")
    if len(days) != n:
        raise ValueError("x, y and days must have one value per event")
    if distance not in ("manhattan", "euclidean"):
        raise ValueError("distance must be 'manhattan' or 'euclidean'")
    limit = space_band * space_bands
    tree = cKDTree(points)
    pairs = tree.query_pairs(np.nextafter(limit, 0), p=1 if distance == "manhattan" else 2, output_type="ndarray")
    i, j = pairs[:, 0], pairs[:, 1]
    diff = np.abs(points[i] - points[j])
    d = diff.sum(axis=1) if distance == "manhattan" else np.hypot(diff[:, 0], diff[:, 1])
    keep = d < limit  # query_pairs includes the boundary; "more than" starts at n h
    i, j, d = i[keep], j[keep], d[keep]
    space_row = np.where(d == 0, 0, 1 + np.minimum((d // space_band).astype(np.int64), space_bands - 1))
    n_rows, n_cols = space_bands + 2, time_bands + 1
    all_pairs = _all_pairs_time_histogram(days, time_bands, time_band)

    def table(day_values: IntArray) -> IntArray:
        lag = np.abs(day_values[i] - day_values[j])
        col = np.minimum(lag // time_band, time_bands)
        close = np.bincount(space_row * n_cols + col, minlength=(n_rows - 1) * n_cols)
        close = close.reshape(n_rows - 1, n_cols)
        return np.vstack([close, all_pairs - close.sum(axis=0)])

    observed = table(days)
    rng = np.random.default_rng(seed)
    greater = np.zeros(observed.shape, dtype=np.int64)
    total = np.zeros(observed.shape, dtype=np.float64)
    for _ in range(permutations):
        simulated = table(rng.permutation(days))
        greater += simulated >= observed
        total += simulated
    expected = total / permutations if permutations else np.full(observed.shape, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(expected > 0, observed / expected, np.nan)
    p = (greater + 1) / (permutations + 1)
    space_labels = (
        ["same location"]
        + [f"{k * space_band:g}-{(k + 1) * space_band:g}" for k in range(space_bands)]
        + [f">={limit:g}"]
    )
    time_labels = [f"{k * time_band}-{(k + 1) * time_band}" for k in range(time_bands)] + [
        f">={time_bands * time_band}"
    ]
    return KnoxTable(space_labels, time_labels, observed, expected, ratio, p, permutations, seed)
