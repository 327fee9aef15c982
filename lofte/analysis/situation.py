"""The situation picture's numbers: monthly counts, an honest trend, small-count suppression.

Pure functions over arrays; the database boundary is `lofte.incidents.situation`.
"""

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .types import AnyArray, ArrayLike, IntArray
from .vocabulary import Change


@dataclass(frozen=True)
class Trend:
    """A log-linear (quasi-Poisson) trend over monthly counts.

    `monthly_change` is the relative change per month (0.02 = +2 % a month) with its
    confidence interval; `verdict` is "increase" or "decrease" only when the interval
    excludes no change, else "no measurable change" (or "too little data").
    """

    months: int
    total: int
    monthly_change: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    dispersion: float | None
    verdict: Change

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def month_index(years: ArrayLike, months: ArrayLike) -> Any:
    """Months since year 0, for arrays of calendar years and months (1-12)."""
    return np.asarray(years, dtype=np.int64) * 12 + np.asarray(months, dtype=np.int64) - 1


def monthly_counts(month_numbers: ArrayLike, *, first: int, last: int, weights: ArrayLike | None = None) -> AnyArray:
    """Counts per month for month indexes `first`..`last` inclusive, zeros included."""
    month_numbers = np.asarray(month_numbers, dtype=np.int64)
    keep = (month_numbers >= first) & (month_numbers <= last)
    w = None if weights is None else np.asarray(weights, dtype=float)[keep]
    return np.bincount(month_numbers[keep] - first, weights=w, minlength=last - first + 1)


def poisson_trend(counts: ArrayLike, *, alpha: float = 0.05, min_months: int = 6, max_iter: int = 50) -> Trend:
    """Fit log E[count_t] = a + b t by IRLS and scale the errors for overdispersion.

    Parameters
    ----------
    counts : array of non-negative counts, one per consecutive month
    alpha : 1 - confidence level of the interval (default 0.05: 95 %)
    min_months : fewer months than this give the verdict "too little data"

    Returns
    -------
    Trend
        The standard error is the Poisson one times sqrt(Pearson chi2 / (n - 2)) when
        that is above 1 (quasi-Poisson): crime counts are usually overdispersed, and
        a plain Poisson interval would claim changes the data cannot support.
    """
    from scipy import stats

    y = np.asarray(counts, dtype=float)
    n, total = len(y), int(round(y.sum()))
    if n < min_months or total == 0:
        return Trend(n, total, None, None, None, None, None, Change.TOO_LITTLE_DATA)
    t = np.arange(n, dtype=float) - (n - 1) / 2
    X = np.column_stack([np.ones(n), t])
    beta = np.array([np.log(y.mean()), 0.0])
    # Every incident in one month, or a fit that runs off to infinity: no trend to speak of (the
    # interval overflowed to "inf %" before, issue 22).
    if np.count_nonzero(y) < 2:
        return Trend(n, total, None, None, None, None, None, Change.TOO_LITTLE_DATA)
    converged = False
    for _ in range(max_iter):
        mu = np.exp(X @ beta)
        z = X @ beta + (y - mu) / mu
        try:
            new = np.linalg.solve(X.T @ (mu[:, None] * X), X.T @ (mu * z))
        except np.linalg.LinAlgError:
            break
        converged = bool(np.max(np.abs(new - beta)) < 1e-10)
        beta = new
        if converged:
            break
    if not converged:
        return Trend(n, total, None, None, None, None, None, Change.TOO_LITTLE_DATA)
    mu = np.exp(X @ beta)
    covariance = np.linalg.inv(X.T @ (mu[:, None] * X))
    dispersion = float(np.sum((y - mu) ** 2 / mu) / (n - 2))
    scale = max(1.0, dispersion)
    se = float(np.sqrt(covariance[1, 1] * scale))
    b = float(beta[1])
    if scale > 1:  # quasi-Poisson: t reference distribution with n - 2 degrees of freedom
        quantile = stats.t.ppf(1 - alpha / 2, n - 2)
        p = float(2 * stats.t.sf(abs(b / se), n - 2))
    else:
        quantile = stats.norm.ppf(1 - alpha / 2)
        p = float(2 * stats.norm.sf(abs(b / se)))
    low, high = np.expm1(b - quantile * se), np.expm1(b + quantile * se)
    verdict = Change.INCREASE if low > 0 else Change.DECREASE if high < 0 else Change.NONE
    return Trend(n, total, float(np.expm1(b)), float(low), float(high), p, dispersion, verdict)


def grid_counts(
    x: ArrayLike, y: ArrayLike, *, cell: float, origin: tuple[float, float]
) -> tuple[IntArray, IntArray, IntArray]:
    """Counts of points in square cells of `cell` metres from `origin` (x0, y0), as (ix, iy, n) arrays."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    ix = np.floor((x[ok] - origin[0]) / cell).astype(np.int64)
    iy = np.floor((y[ok] - origin[1]) / cell).astype(np.int64)
    if not len(ix):
        empty = np.array([], dtype=np.int64)
        return empty, empty, empty
    cells, n = np.unique(np.column_stack([ix, iy]), axis=0, return_counts=True)
    return cells[:, 0], cells[:, 1], n
