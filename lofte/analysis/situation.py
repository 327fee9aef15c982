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
    excludes no change, else "no measurable change" (or "too little data", with the
    `reason`: "months", "incidents" or "season").
    """

    months: int
    total: int
    monthly_change: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    dispersion: float | None
    verdict: Change
    reason: str | None = None
    seasonal: bool = False  # the fit has a term for each month of the year

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# Months a trend needs before the season can be told from it: two of each month of the year.
SEASON_MONTHS = 24


def month_index(years: ArrayLike, months: ArrayLike) -> Any:
    """Months since year 0, for arrays of calendar years and months (1-12)."""
    return np.asarray(years, dtype=np.int64) * 12 + np.asarray(months, dtype=np.int64) - 1


def monthly_counts(month_numbers: ArrayLike, *, first: int, last: int, weights: ArrayLike | None = None) -> AnyArray:
    """Counts per month for month indexes `first`..`last` inclusive, zeros included."""
    month_numbers = np.asarray(month_numbers, dtype=np.int64)
    keep = (month_numbers >= first) & (month_numbers <= last)
    w = None if weights is None else np.asarray(weights, dtype=float)[keep]
    return np.bincount(month_numbers[keep] - first, weights=w, minlength=last - first + 1)


def poisson_trend(
    counts: ArrayLike,
    *,
    month_of_year: ArrayLike | None = None,
    alpha: float = 0.05,
    min_months: int = 6,
    max_iter: int = 50,
) -> Trend:
    """Fit log E[count_t] = a + b t (+ a term per month of the year) by IRLS, with errors that
    allow for overdispersion and for correlated neighbouring months.

    Parameters
    ----------
    counts : array of non-negative counts, one per consecutive month
    month_of_year : 1..12 per month, when the counts may follow a season. With at least 24 months
        the fit has a term for each month of the year and `b` is the trend beyond the season; with
        fewer the trend cannot be told from the season and the verdict is "too little data" (reason
        "season"). Without it the season is assumed away.
    alpha : 1 - confidence level of the interval (default 0.05: 95 %)
    min_months : fewer months than this give the verdict "too little data"

    Returns
    -------
    Trend
        The standard error of `b` is the model's scaled by the Pearson dispersion (never below 1:
        quasi-Poisson) and widened for correlation between neighbouring months
        (`evaluation.correlated_errors`), with Student's t on the residual degrees of freedom.
        Calibration (issue 22, benchmarks/calibration.py --method trend): on 12 months with a season
        of +-25 % a trend without season terms called 38 % of flat series a change, and 8 % of
        autocorrelated ones over 24-36 months.
    """
    from scipy import stats

    from .evaluation import correlated_errors

    y = np.asarray(counts, dtype=float)
    n, total = len(y), int(round(y.sum()))

    def refused(reason: str, *, seasonal: bool = False) -> Trend:
        return Trend(n, total, None, None, None, None, None, Change.TOO_LITTLE_DATA, reason, seasonal)

    if n < min_months:
        return refused("months")
    # No incident, or every incident in one month: no trend to speak of (the interval overflowed to
    # "inf %" before, issue 22).
    if total == 0 or np.count_nonzero(y) < 2:
        return refused("incidents")
    t = np.arange(n, dtype=float) - (n - 1) / 2
    columns = [np.ones(n), t]
    seasonal = month_of_year is not None
    if month_of_year is not None:
        month = np.asarray(month_of_year, dtype=int)
        if len(month) != n or set(month) - set(range(1, 13)):
            raise ValueError("month_of_year: expected 1..12 for each month")
        if n < SEASON_MONTHS:
            return refused("season", seasonal=True)
        columns += [(month == m).astype(float) for m in range(1, 13) if m != month[0] and (month == m).any()]
    X = np.column_stack(columns)
    beta = np.zeros(X.shape[1])
    beta[0] = np.log(y.mean())
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
    if not converged or not np.all(np.isfinite(beta)):
        return refused("incidents", seasonal=seasonal)
    mu = np.exp(X @ beta)
    df = n - X.shape[1]
    residuals = (y - mu) / np.sqrt(mu)
    dispersion = float(np.sum(residuals**2) / df)
    se = float(correlated_errors(X, mu, residuals, max(1.0, dispersion))[1])
    b = float(beta[1])
    quantile = stats.t.ppf(1 - alpha / 2, df)
    p = float(2 * stats.t.sf(abs(b / se), df))
    low, high = np.expm1(b - quantile * se), np.expm1(b + quantile * se)
    verdict = Change.INCREASE if low > 0 else Change.DECREASE if high < 0 else Change.NONE
    return Trend(n, total, float(np.expm1(b)), float(low), float(high), p, dispersion, verdict, None, seasonal)


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


@dataclass(frozen=True)
class Rate:
    """Events a year per 1 000 residents with its interval (`count` events over `years` years among
    `residents` residents)."""

    count: int
    residents: int
    years: float
    per_1000: float
    ci_low: float
    ci_high: float
    dispersion: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def rate_per_thousand(
    count: int, *, residents: int, years: float, dispersion: float = 1.0, level: float = 0.95
) -> Rate:
    """The yearly rate per 1 000 residents of `count` events over `years` years (e.g. 1.0 for twelve
    months) in an area of `residents`.

    The interval is the exact Poisson one (R's `poisson.test(count, residents * years / 1000)`) on the
    count divided by `dispersion` (the monthly counts' quasi-Poisson dispersion, at least 1: counts that
    vary more than Poisson's carry less information) and scaled back."""
    from scipy import stats

    if residents <= 0 or years <= 0 or count < 0:
        raise ValueError("residents and years: positive; count: not negative")
    phi = max(1.0, float(dispersion))
    exposure = residents * years / 1000
    x = count / phi
    alpha = 1 - level
    low = stats.chi2.ppf(alpha / 2, 2 * x) / 2 if x > 0 else 0.0
    high = stats.chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2
    return Rate(
        count, residents, years, count / exposure, float(low * phi / exposure), float(high * phi / exposure), phi
    )


@dataclass(frozen=True)
class RateRatio:
    """One rate over another (e.g. a district's incidents per resident over the municipality's).

    ratio : (count / exposure) over (other_count / other_exposure); None when the other has no events.
    ci_low, ci_high : its interval, simultaneous over `comparisons`.
    verdict : increase (higher) or decrease (lower) only where the interval excludes 1.
    """

    count: int
    exposure: float
    other_count: int
    other_exposure: float
    ratio: float | None
    ci_low: float
    ci_high: float
    dispersion: float
    verdict: Change

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def compare_rates(
    count: int,
    exposure: float,
    other_count: int,
    other_exposure: float,
    *,
    dispersion: float = 1.0,
    level: float = 0.95,
    comparisons: int = 1,
) -> RateRatio:
    """Compare two rates: the exact conditional interval of R's `poisson.test(c(count, other_count),
    c(exposure, other_exposure))` on counts divided by `dispersion` (at least 1), at `level`
    simultaneous over `comparisons` (Bonferroni). Exposures in any one unit (resident-years)."""
    from scipy import stats

    if min(count, other_count) < 0 or min(exposure, other_exposure) <= 0 or comparisons < 1:
        raise ValueError("counts: not negative; exposures: positive; comparisons: at least 1")
    phi = max(1.0, float(dispersion))
    alpha = (1 - level) / comparisons
    x, y = count / phi, other_count / phi
    scale = other_exposure / exposure
    if x + y == 0:
        return RateRatio(
            count, exposure, other_count, other_exposure, None, 0.0, float("inf"), phi, Change.TOO_LITTLE_DATA
        )
    low = stats.beta.ppf(alpha / 2, x, y + 1) if x > 0 else 0.0
    high = stats.beta.ppf(1 - alpha / 2, x + 1, y) if y > 0 else 1.0
    ratio_low = float(low / (1 - low) * scale)
    ratio_high = float(high / (1 - high) * scale) if high < 1 else float("inf")
    ratio = count / other_count * scale if other_count else None
    verdict = Change.INCREASE if ratio_low > 1 else Change.DECREASE if ratio_high < 1 else Change.NONE
    return RateRatio(count, exposure, other_count, other_exposure, ratio, ratio_low, ratio_high, phi, verdict)
