"""Stratified simple random samples drawn without replacement, with their design weights.

A survey's sample is drawn from a register extract (the frame). Each stratum h of N_h people
gets n_h of the sample; each sampled person carries the design weight N_h / n_h and the
stratum's population N_h for the finite-population correction.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .types import ArrayLike, IntArray


class SamplingError(ValueError):
    """The sample cannot be drawn as asked (too large, an empty stratum, a bad allocation)."""


@dataclass(frozen=True)
class StratifiedSample:
    """Which frame rows were drawn, and the design per stratum.

    Attributes
    ----------
    rows : frame row indexes of the sampled people, sorted
    strata : the stratum labels, in the order of `population` and `allocation`
    population : N_h, people in the frame per stratum
    allocation : n_h, people sampled per stratum
    """

    rows: IntArray
    strata: tuple[str, ...]
    population: IntArray
    allocation: IntArray

    def weight(self, stratum: str) -> float:
        """Design weight N_h / n_h of a person sampled in `stratum` (people represented)."""
        h = self.strata.index(stratum)
        return float(self.population[h] / self.allocation[h])

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows.tolist(),
            "strata": {
                str(s): {"population": int(N), "sample": int(n)}
                for s, N, n in zip(self.strata, self.population, self.allocation)
            },
        }


def allocate(population: ArrayLike, size: int, *, method: str = "proportional", minimum: int = 2) -> IntArray:
    """How many of `size` to draw from each stratum.

    Parameters
    ----------
    population : N_h per stratum
    size : total sample size
    method : "proportional" (n_h ∝ N_h, largest remainders) or "equal"
    minimum : at least this many per stratum (2 keeps a variance estimate possible), capped at N_h

    Returns
    -------
    n_h as an integer array summing to `size`
    """
    N = np.asarray(population, dtype=np.int64)
    if (N <= 0).any():
        raise SamplingError("every stratum needs at least one person in the frame")
    if size > N.sum():
        raise SamplingError(f"a sample of {size} is larger than the frame ({int(N.sum())} people)")
    floor = np.minimum(N, minimum)
    if floor.sum() > size:
        raise SamplingError(f"a sample of {size} cannot give {minimum} people to each of {len(N)} strata")
    if method not in ("proportional", "equal"):
        raise SamplingError(f"unknown allocation {method!r}: use proportional or equal")
    shares = N / N.sum() if method == "proportional" else np.full(len(N), 1 / len(N))
    n = np.maximum(floor, np.floor(shares * size).astype(np.int64))
    n = np.minimum(n, N)
    # Hand out what is left by largest remainder, then take back from the largest over-allocations.
    while n.sum() != size:
        ideal = shares * size
        if n.sum() < size:
            room = np.where(n < N, ideal - n, -np.inf)
            n[int(np.argmax(room))] += 1
        else:
            excess = np.where(n > floor, n - ideal, -np.inf)
            n[int(np.argmax(excess))] -= 1
    return np.asarray(n, dtype=np.int64)


def stratified_sample(
    strata: ArrayLike,
    size: int,
    *,
    method: str = "proportional",
    allocation: Mapping[Any, int] | None = None,
    minimum: int = 2,
    seed: int | np.random.SeedSequence | None,
) -> StratifiedSample:
    """Draw a stratified simple random sample without replacement.

    Parameters
    ----------
    strata : the stratum of each frame row (any labels)
    size : total sample size (ignored when `allocation` is given)
    method : "proportional" or "equal", see `allocate`
    allocation : {stratum: n_h} to fix the sizes per stratum instead
    seed : seed of the random generator; the same frame and seed give the same sample

    Returns
    -------
    StratifiedSample
    """
    strata = np.asarray(strata)
    labels, codes = np.unique(strata, return_inverse=True)
    N = np.bincount(codes, minlength=len(labels))
    if allocation is not None:
        unknown = set(allocation) - set(labels.tolist())
        if unknown:
            raise SamplingError(f"allocation names strata not in the frame: {sorted(map(str, unknown))}")
        n = np.array([int(allocation.get(label, 0)) for label in labels.tolist()], dtype=np.int64)
        too_many = [str(label) for label, a, b in zip(labels.tolist(), n, N) if a > b]
        if too_many:
            raise SamplingError(f"allocation larger than the stratum in {too_many}")
    else:
        n = allocate(N, size, method=method, minimum=minimum)
    rng = np.random.default_rng(seed)
    chosen = []
    order = np.argsort(codes, kind="stable")
    starts = np.concatenate([[0], np.cumsum(N)])
    for h in range(len(labels)):
        members = order[starts[h] : starts[h + 1]]
        chosen.append(rng.choice(members, size=int(n[h]), replace=False))
    rows = np.sort(np.concatenate(chosen)) if chosen else np.array([], dtype=np.int64)
    return StratifiedSample(rows, tuple(labels.tolist()), N, n)
