"""Design-based survey estimation: strata, clusters, weights, finite-population correction,
post-stratification and raking, Taylor-linearised standard errors, proportion intervals that
stay inside [0, 1], design effects, domains and the comparison of two waves.

The variance follows R's `survey` package (Lumley) step by step, so that the two agree to
rounding: the linearised values are centred per stratum over PSU totals, scaled by
(1 - n/N) n / (n - 1), with later stages added in proportion n/N of the stage above; after
post-stratification or raking the linearised values are first replaced by their residuals
from the adjustment cells (survey:::svyrecvar). Pure numpy/scipy; inputs are never modified.
"""

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np

from .types import AnyArray, ArrayLike, BoolArray, FloatArray, IntArray
from .vocabulary import Change


class DesignError(ValueError):
    pass


@dataclass(frozen=True)
class Design:
    """A survey design over n respondents.

    weights : final weights (after any post-stratification or raking)
    strata : stratum of each respondent at each stage, shape (n, stages)
    clusters : sampling unit of each respondent at each stage, shape (n, stages); the last
        stage may be the respondent itself
    popsize : population size (number of units) of the stratum at each stage, or None
    adjustments : post-stratification and raking steps, for the variance
    """

    weights: FloatArray
    strata: AnyArray
    clusters: AnyArray
    popsize: AnyArray | None
    adjustments: tuple[Any, ...] = field(default=())
    lonely_psu: str = "fail"

    @property
    def n(self) -> int:
        return len(self.weights)

    def degrees_of_freedom(self, inside: BoolArray | None = None) -> int:
        """PSUs minus strata among the respondents `inside` (all by default), as R's degf."""
        keep = np.ones(self.n, dtype=bool) if inside is None else inside
        # PSU codes are unique across strata (see `design`), so counting present codes is enough.
        psus = np.bincount(self.clusters[keep, 0]) > 0
        strata = np.bincount(self.strata[keep, 0]) > 0
        return int(psus.sum() - strata.sum())


def _codes(values: ArrayLike) -> IntArray:
    return np.unique(np.asarray(values), return_inverse=True)[1].reshape(-1)


def _row_codes(matrix: ArrayLike) -> IntArray:
    """One integer per distinct row of a 2-D array of non-negative integer codes."""
    matrix = np.asarray(matrix, dtype=np.int64)
    key = np.zeros(len(matrix), dtype=np.int64)
    for column in matrix.T:
        # Mixed-radix key; re-coded after every column so that it never overflows.
        key = _codes(key * (int(column.max()) + 1) + column)
    return key


def _is_staged(value: object) -> bool:
    """A list with one array per stage (rather than one array)?"""
    return isinstance(value, (list, tuple)) and len(value) > 0 and np.ndim(value[0]) == 1


def _stages(value: Any, default: AnyArray) -> list[AnyArray]:
    if value is None:
        return [default]
    return [np.asarray(v) for v in value] if _is_staged(value) else [np.asarray(value)]


def _respondents(*candidates: Any) -> int:
    """The number of respondents, from the first design argument given."""
    for candidate in candidates:
        if candidate is not None:
            return len(np.asarray(candidate[0] if _is_staged(candidate) else candidate))
    raise DesignError("give weights, probabilities, or a population size")


def design(
    *,
    weights: ArrayLike | None = None,
    probs: ArrayLike | None = None,
    strata: Any = None,
    clusters: Any = None,
    popsize: Any = None,
    lonely_psu: str = "fail",
) -> Design:
    """Describe a sample.

    Parameters
    ----------
    weights : sampling weights; or `probs`, inclusion probabilities. When both are absent
        and `popsize` is given, weights follow from it (stage by stage) as in R
    strata : stratum labels (one stage) or a list of arrays, one per stage
    clusters : PSU labels, or a list of arrays for several stages (PSU, then SSU, ...);
        None means each respondent is its own unit
    popsize : the population size of the stratum (stage 1) or a list, one array per
        stage, like R's `fpc=~N` (numbers larger than 1: population sizes)
    lonely_psu : "fail" (R's default) or "certainty" for strata with a single PSU
    """
    n = _respondents(weights, probs, strata, clusters, popsize)
    cluster_list = _stages(clusters, np.arange(n))
    strata_list = _stages(strata, np.zeros(n, dtype=int))
    while len(strata_list) < len(cluster_list):
        strata_list.append(np.zeros(n, dtype=int))
    popsize_list = None if popsize is None else [np.asarray(p, dtype=float) for p in _stages(popsize, np.array([]))]
    if popsize_list is not None and np.any(popsize_list[0] <= 1):
        raise DesignError("popsize must be population sizes (> 1), not sampling fractions")
    # Each stage's units are nested in the one above (R's nest=TRUE for SSU ids).
    cluster_codes, parents = [], np.zeros(n, dtype=np.int64)
    for stage, ids in enumerate(cluster_list):
        parents = _row_codes(np.column_stack([parents, _codes(strata_list[stage]), _codes(ids)]))
        cluster_codes.append(parents)
    strata_codes = np.column_stack([_codes(s) for s in strata_list])
    clusters_arr = np.column_stack(cluster_codes)
    popsize_arr = np.column_stack(popsize_list) if popsize_list is not None else None
    if weights is not None:
        w = np.asarray(weights, dtype=float)
    elif probs is not None:
        w = 1 / np.asarray(probs, dtype=float)
    elif popsize_arr is not None:
        w = np.ones(n)
        for stage in range(popsize_arr.shape[1]):
            sampled = _units_sampled(
                strata_codes[:, stage], clusters_arr[:, stage], clusters_arr[:, stage - 1] if stage else None
            )
            w = w * popsize_arr[:, stage] / sampled
    else:
        raise DesignError("give weights, probabilities, or a population size")
    if np.any(~np.isfinite(w)) or np.any(w <= 0):
        raise DesignError("weights must be positive and finite")
    return Design(w, strata_codes, clusters_arr, popsize_arr, (), lonely_psu)


def _units_sampled(strata: IntArray, clusters: IntArray, parents: IntArray | None) -> FloatArray:
    """For each respondent: how many units of this stage were sampled in its stratum (within its parent)."""
    key = strata if parents is None else parents * (strata.max() + 1) + strata
    out = np.empty(len(key))
    for value in np.unique(key):
        inside = key == value
        out[inside] = len(np.unique(clusters[inside]))
    return out


# --- Adjusting weights ---------------------------------------------------------------------------


def _cell_targets(cells: ArrayLike, population: Mapping[Any, float]) -> tuple[IntArray, FloatArray]:
    """(codes per respondent, population count per code) for one set of adjustment cells."""
    labels, codes = np.unique(np.asarray(cells), return_inverse=True)
    missing = [label for label in labels.tolist() if label not in population]
    if missing:
        raise DesignError(f"no population count for cells {missing}")
    return codes.reshape(-1), np.array([population[label] for label in labels.tolist()], dtype=float)


def poststratify(d: Design, cells: ArrayLike, population: Mapping[Any, float]) -> Design:
    """Post-stratify: weights scaled so that each cell's weighted count equals its population count.

    cells : the cell of each respondent; population : {cell: population count}
    """
    codes, targets = _cell_targets(cells, population)
    new = d.weights * (targets / np.bincount(codes, weights=d.weights))[codes]
    step = ("poststratify", codes, new, d.weights)
    return replace(d, weights=new, adjustments=d.adjustments + (step,))


def rake(
    d: Design, margins: Sequence[tuple[ArrayLike, Mapping[Any, float]]], *, max_iter: int = 10, epsilon: float = 1.0
) -> Design:
    """Rake to population margins by iterative proportional fitting, as R's `rake`.

    margins : list of (cells array, {cell: population count})
    epsilon : stop when no cell of the cross-table of all margins moves by more than this
        (a weighted count; below 1 it is a share of the total weight)

    Raises DesignError when it does not converge in `max_iter` rounds.
    """
    prepared = [_cell_targets(cells, population) for cells, population in margins]
    eps = epsilon * d.weights.sum() if epsilon < 1 else epsilon
    combined = _row_codes(np.column_stack([codes for codes, _ in prepared]))
    weights, old = d.weights, np.bincount(combined, weights=d.weights)
    for _ in range(max_iter):
        steps = []
        for codes, targets in prepared:
            weights = weights * (targets / np.bincount(codes, weights=weights))[codes]
            steps.append((codes, weights))
        now = np.bincount(combined, weights=weights)
        if np.max(np.abs(now - old)) < eps:
            return replace(d, weights=weights, adjustments=d.adjustments + (("rake", tuple(steps)),))
        old = now
    raise DesignError(f"raking did not converge in {max_iter} rounds")


def nonresponse_adjust(d: Design, responded: ArrayLike, cells: ArrayLike) -> Design:
    """Weighting-class non-response adjustment: respondents carry the weight of the non-respondents
    of their cell. Returns the design of the respondents only."""
    responded = np.asarray(responded, dtype=bool)
    cells = np.asarray(cells)
    factor = np.ones(d.n)
    for c in np.unique(cells):
        inside = cells == c
        answered = d.weights[inside & responded].sum()
        if answered == 0:
            raise DesignError(f"nobody answered in cell {c!r}: merge it with another cell")
        factor[inside] = d.weights[inside].sum() / answered
    keep = responded
    return Design(
        d.weights[keep] * factor[keep],
        d.strata[keep],
        d.clusters[keep],
        None if d.popsize is None else d.popsize[keep],
        (),
        d.lonely_psu,
    )


# --- Variance ------------------------------------------------------------------------------------


def _adjust_residuals(x: FloatArray, d: Design) -> FloatArray:
    for step in d.adjustments:
        if step[0] == "poststratify":
            _, cells, psw, oldw = step
            sums = np.bincount(cells, weights=x * oldw / psw)
            means = sums / np.bincount(cells, weights=oldw)
            x = x - means[cells] * psw
        else:
            for _ in range(10):
                for cells, psw in step[1]:
                    means = np.bincount(cells, weights=x / psw) / np.bincount(cells)
                    x = x - psw * means[cells]
    return x


def _onestage(x: FloatArray, strata: AnyArray, clusters: AnyArray, popsize: AnyArray | None, lonely_psu: str) -> float:
    total = 0.0
    for h in np.unique(strata):
        inside = strata == h
        psus, idx = np.unique(clusters[inside], return_inverse=True)
        n_psu = len(psus)
        f = 1.0 if popsize is None else (popsize[inside][0] - n_psu) / popsize[inside][0]
        totals = np.bincount(idx, weights=x[inside])
        if f < 1e-7:  # every unit of the stratum was sampled: no sampling variance here
            continue
        if n_psu == 1:
            if lonely_psu == "fail":
                raise DesignError(
                    f"stratum {h} has only one sampling unit: merge strata, or use lonely_psu='certainty'"
                )
            continue
        centred = totals - totals.mean()
        total += f * n_psu / (n_psu - 1) * np.sum(centred**2)
    return total


def _multistage(
    x: FloatArray, strata: AnyArray, clusters: AnyArray, popsize: AnyArray | None, lonely_psu: str
) -> float:
    v = _onestage(x, strata[:, 0], clusters[:, 0], None if popsize is None else popsize[:, 0], lonely_psu)
    if popsize is not None and clusters.shape[1] > 1:
        for psu in np.unique(clusters[:, 0]):
            inside = clusters[:, 0] == psu
            n_psu = len(np.unique(clusters[strata[:, 0] == strata[inside, 0][0], 0]))
            sub_popsize = popsize[inside, 1:] if popsize.shape[1] > 1 else None
            v += (
                _multistage(x[inside], strata[inside, 1:], clusters[inside, 1:], sub_popsize, lonely_psu)
                * n_psu
                / popsize[inside, 0][0]
            )
    return v


def variance_of_total(d: Design, x: ArrayLike) -> float:
    """Design variance of the total of linearised values x (one per respondent)."""
    x = _adjust_residuals(np.asarray(x, dtype=float), d)
    return _multistage(x, d.strata, d.clusters, d.popsize, d.lonely_psu)


# --- Estimates -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    estimate: float
    se: float
    n: int  # respondents with an answer (in the domain)
    deff: float | None
    df: int
    ci_low: float | None = None
    ci_high: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def mean(d: Design, y: ArrayLike, *, domain: ArrayLike | None = None, level: float = 0.95) -> Estimate:
    """Weighted mean of y (NaN = no answer, left out) with its Taylor SE, design effect and a
    normal-theory interval (as R's confint of svymean).

    domain : boolean array; the estimate for that subpopulation, with the variance of the whole design
    """
    from scipy import stats

    y = np.asarray(y, dtype=float)
    inside = np.isfinite(y) if domain is None else (np.isfinite(y) & np.asarray(domain, dtype=bool))
    n = int(inside.sum())
    if n == 0:
        raise DesignError("no answers in this domain")
    w = np.where(inside, d.weights, 0.0)
    total = w.sum()
    estimate = float(np.sum(w * np.where(inside, y, 0.0)) / total)
    x = np.where(inside, w * (np.where(inside, y, 0.0) - estimate) / total, 0.0)
    var = variance_of_total(d, x)
    se = float(np.sqrt(var))
    deff = None
    if total > n and n > 1:
        yy = y[inside]
        srs_var = (np.sum(w[inside] * (yy - estimate) ** 2) / total * n / (n - 1)) * (total - n) / (total * n)
        deff = float(var / srs_var) if srs_var > 0 else None
    z = stats.norm.ppf(0.5 + level / 2)
    return Estimate(estimate, se, n, deff, d.degrees_of_freedom(inside), estimate - z * se, estimate + z * se)


def proportion(
    d: Design, y: ArrayLike, *, domain: ArrayLike | None = None, ci: str = "logit", level: float = 0.95
) -> Estimate:
    """Share of respondents with y true (y: 0/1 or bool; NaN = no answer) and an interval.

    ci : "logit" (R's svyciprop default: Wald on the logit scale, t with the design's
        degrees of freedom), "korn-graubard" (R's method "beta") or "wald" (may leave [0, 1])
    """
    return interval(mean(d, y, domain=domain, level=level), ci=ci, level=level)


def interval(est: Estimate, *, ci: str = "logit", level: float = 0.95) -> Estimate:
    """The Estimate of a proportion with its interval by the given method (see `proportion`)."""
    from scipy import stats

    p, se = est.estimate, est.se
    alpha = 1 - level
    if ci not in ("wald", "logit", "korn-graubard", "beta"):
        raise ValueError(f"ci must be 'logit', 'korn-graubard' or 'wald', got {ci!r}")
    if se < 1e-9 * max(p * (1 - p), 1e-12):
        # A share fixed by calibration (raked to a known margin): no sampling error left.
        return replace(est, ci_low=float(p), ci_high=float(p))
    if ci == "wald":
        low, high = est.ci_low, est.ci_high
        assert low is not None and high is not None, "mean() sets a Wald interval"
    elif ci == "logit":
        if p <= 0 or p >= 1:
            low, high = (0.0, 0.0) if p <= 0 else (1.0, 1.0)
        else:
            t = _t_quantile(1 - alpha / 2, est.df) if est.df > 0 else np.inf
            centre, half = np.log(p / (1 - p)), t * se / (p * (1 - p))
            low, high = 1 / (1 + np.exp(-(centre - half))), 1 / (1 + np.exp(-(centre + half)))
    elif ci in ("korn-graubard", "beta"):
        n_eff = p * (1 - p) / se**2 if se > 0 else est.n
        n_eff = n_eff * (_t_quantile(alpha / 2, est.n - 1) / _t_quantile(alpha / 2, est.df)) ** 2
        low = stats.beta.ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1) if p > 0 else 0.0
        high = stats.beta.ppf(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p)) if p < 1 else 1.0
    else:
        raise ValueError(f"ci must be 'logit', 'korn-graubard' or 'wald', got {ci!r}")
    return replace(est, ci_low=float(low), ci_high=float(high))


@lru_cache(maxsize=4096)
def _t_quantile(q: float, df: int) -> float:
    from scipy import stats

    return float(stats.t.ppf(q, df))


@dataclass(frozen=True)
class Comparison:
    """Follow-up minus baseline for two independent samples, with the design's minimum detectable difference."""

    base: float
    follow: float
    diff: float
    se: float
    ci_low: float
    ci_high: float
    p: float
    mdd: float  # the smallest difference these two samples detect with `power` at `alpha`
    verdict: Change

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def compare(base: Estimate, follow: Estimate, *, level: float = 0.95, power: float = 0.8) -> Comparison:
    """Compare two Estimates from independent samples (e.g. the baseline and the follow-up wave)."""
    from scipy import stats

    diff = follow.estimate - base.estimate
    se = float(np.hypot(base.se, follow.se))
    z = stats.norm.ppf(0.5 + level / 2)
    p = float(2 * stats.norm.sf(abs(diff) / se)) if se > 0 else float(diff == 0)
    mdd = float((z + stats.norm.ppf(power)) * se)
    low, high = diff - z * se, diff + z * se
    verdict = Change.INCREASE if low > 0 else Change.DECREASE if high < 0 else Change.NONE
    return Comparison(base.estimate, follow.estimate, diff, se, low, high, p, mdd, verdict)


def minimum_detectable_difference(
    n1: int, n2: int, *, p: float = 0.5, deff: float = 1.0, level: float = 0.95, power: float = 0.8
) -> float:
    """Planning: the smallest difference in a proportion two samples of n1 and n2 detect."""
    from scipy import stats

    se = np.sqrt(deff * p * (1 - p) * (1 / n1 + 1 / n2))
    return float((stats.norm.ppf(0.5 + level / 2) + stats.norm.ppf(power)) * se)
