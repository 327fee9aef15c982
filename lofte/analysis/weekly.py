"""Is this week unusual? The count a week is expected to bring, from the same series' own history.

The improved Farrington method (Noufaily et al. 2013, Statistics in Medicine 32:1206-1222), as R's
`surveillance::farringtonFlexible` computes it with `thresholdMethod = "nbPlugin"`: a quasi-Poisson
regression on the weeks of the `b` years before, with a level of a ten-level seasonal factor for the
weeks around the same week of each earlier year and nine levels for the rest of each year, a linear
trend kept only when it is significant, three years deep and does not extrapolate beyond the data, and
the most recent `past_weeks_not_included` weeks left out of the fit so that an ongoing rise does not
raise its own baseline. Noufaily's down-weighting of past outbreaks is there (`weights_threshold`) but
off by default: on ordinary series it lowers the baseline and calls too many weeks unusual.

R's `nbPlugin` compares the week with the negative binomial of the fitted mean and dispersion as if
both were known; with one or two years of history that called 11.7 % of ordinary weeks unusual. Here
(`predictive=True`, the default) the week is compared with that distribution averaged over what the
fit does not know: the log-mean's standard error and the dispersion's estimate on its degrees of
freedom. `p_value` is the chance of at least the week's count in an ordinary week, `low` and `high` the
alpha and 1 - alpha quantiles. `predictive=False` gives R's numbers (the tests compare them). One
difference stays: surveillance 1.20 tests the trend with a dispersion computed from the prior weights
it writes over the fit's working weights, so it keeps some trends this module's t-test does not.

The EST weekly picture looks at many categories at once; `unusual_weeks` (and `decided_together`)
holds the chance that any of them is called unusual in an ordinary week to `level` (Holm's method over
the categories' p-values; a category too quiet lately to be called unusual, `limit54`, still counts
towards the multiplicity: left out, only weeks chosen for their high counts were tested, and 7.7 % of
ordinary weeks were flagged).
`tests/test_weekly.py` compares each number with R's `surveillance`; `benchmarks/weekly.py` measures
the rate on simulated ordinary weeks (docs/benchmarks.md).

Weeks are positions in a series of consecutive weeks, oldest first; a year is `freq` (52) weeks.
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any, TypeVar

import numpy as np

from .types import ArrayLike

# A fitted weekly mean known no better than a factor of e (2.7) either way says nothing about a week.
MAX_LOG_SE = 1.0
K = TypeVar("K")


@dataclass(frozen=True)
class WeekExpectation:
    """One week of one series against its history.

    count : the week's count.
    expected : the fitted mean for the week (None when there is too little history: `reason` says why).
    low, high : the alpha and 1 - alpha quantiles of an ordinary week (counts).
    p_value : the chance of at least `count` in an ordinary week.
    unusual : more than usual (decided by `unusual_weeks` over several series; `high` exceeded here).
    trend : whether the fit kept a time trend.
    dispersion : the quasi-Poisson dispersion (at least 1).
    reason : why nothing was expected or the week cannot be called unusual, or "": "short_history"
        (not `b` years and `w` weeks before the week), "no_events" (none in the history), "uncertain"
        (the fitted mean's standard error on the log scale is at least MAX_LOG_SE), "quiet_lately"
        (fewer than `limit54` events lately).
    """

    count: int
    expected: float | None
    low: int | None
    high: int | None
    p_value: float | None
    unusual: bool
    trend: bool
    dispersion: float | None
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _blocks(k: int, n: int, *, b: int, w: int, periods: int, freq: int) -> np.ndarray:
    """The seasonal level of each week 0..n-1 for the week at position k (NaN: not in the baseline), as
    `surveillance:::blocks`: the weeks around each earlier year's same week are level `periods`, the
    weeks between two such windows are split into `periods - 1` blocks (longer blocks first)."""
    levels = np.full(n, np.nan)
    levels[max(k - w, 0) : k + 1] = periods
    reference = [k - freq * i for i in range(b + 1)]  # this week, then the same week 1..b years back
    for i in range(1, b + 1):
        week = reference[i]
        levels[week - w : week + w + 1] = periods
        if periods != 1:
            gap = reference[i - 1] - 2 * w - 1 - week
            if gap < periods - (2 * w + 1):
                raise ValueError("periods: too many seasonal levels for the window")
            length, rest = divmod(gap, periods - 1)
            lengths = np.full(periods - 1, length)
            lengths[:rest] += 1
            starts = week + w + 1 + np.concatenate([[0], np.cumsum(lengths)])
            for j in range(periods - 1):
                levels[starts[j] : starts[j + 1]] = j + 1
    return levels


def _fit(y: np.ndarray, X: np.ndarray, weights: np.ndarray | None) -> Any:
    import statsmodels.api as sm

    model = sm.GLM(y, X, family=sm.families.Poisson(), var_weights=weights)
    return model.fit(scale="X2", use_t=True)


def _quasi_poisson(y: np.ndarray, X: np.ndarray, weights_threshold: float | None) -> tuple[Any, float]:
    """The quasi-Poisson fit and its dispersion (at least 1), reweighted as `surveillance`'s
    `algo.farrington.fitGLM.flexible` with `reweight = TRUE` when `weights_threshold` is given."""
    first = _fit(y, X, None)
    phi = max(float(first.scale), 1.0)
    if weights_threshold is None:
        return first, phi
    mu = first.fittedvalues
    hat = first.get_influence().hat_matrix_diag
    # Anscombe residuals; a week far above its fit is an outbreak and weighs less in the baseline.
    s = 1.5 * (y ** (2 / 3) * mu ** (-1 / 6) - mu**0.5) / np.sqrt(phi * (1 - hat))
    high = s > weights_threshold
    inverse_square = np.ones_like(s)
    inverse_square[high] = s[high] ** -2.0
    gamma = len(s) / inverse_square.sum()
    omega = gamma * inverse_square
    fit = _fit(y, X, omega)
    return fit, max(float(fit.scale), 1.0)


def _nb_quantile(q: float, mu: float, phi: float) -> int:
    from scipy import stats

    if phi > 1:
        return int(stats.nbinom.ppf(q, mu / (phi - 1), 1 / phi))
    return int(stats.poisson.ppf(q, mu))


def _nb_at_least(y: int, mu: float, phi: float) -> float:
    from scipy import stats

    if phi > 1:
        return float(stats.nbinom.sf(y - 1, mu / (phi - 1), 1 / phi))
    return float(stats.poisson.sf(y - 1, mu))


def _predictive_at_least(y: int, eta: float, se: float, phi: float, df: float = np.inf) -> float:
    """P(Y >= y) for a week whose log-mean is only known as N(eta, se²) and whose dispersion was
    estimated as `phi` on `df` degrees of freedom: the negative binomial of each mean and dispersion,
    averaged over both (Gauss-Hermite nodes for the mean, 16 equally likely values of the scaled
    chi-square for the dispersion)."""
    from scipy import stats

    nodes, weights = np.polynomial.hermite_e.hermegauss(40)
    means = np.exp(eta + se * nodes)[:, None]
    weights = weights / weights.sum()
    if np.isfinite(df) and phi > 1:
        phis = np.maximum(phi * df / stats.chi2.ppf((np.arange(16) + 0.5) / 16, df), 1.0 + 1e-9)[None, :]
    else:
        phis = np.array([[phi]])
    tails = stats.nbinom.sf(y - 1, means / (phis - 1), 1 / phis) if phi > 1 else stats.poisson.sf(y - 1, means)
    return float(np.sum(weights[:, None] * tails) / tails.shape[1])


def _predictive_quantile(q: float, eta: float, se: float, phi: float, df: float = np.inf) -> int:
    """The smallest count c with P(Y <= c) >= q under the predictive distribution above (bisection)."""
    low, high = 0, max(_nb_quantile(q, float(np.exp(eta + 3 * se)), phi * 3), 1)
    while low < high:
        middle = (low + high) // 2
        if 1 - _predictive_at_least(middle + 1, eta, se, phi, df) >= q:
            high = middle
        else:
            low = middle + 1
    return low


def expected_week(
    counts: ArrayLike,
    *,
    week: int = -1,
    predictive: bool = True,
    b: int = 5,
    w: int = 3,
    periods: int = 10,
    past_weeks_not_included: int = 26,
    alpha: float = 0.05,
    weights_threshold: float | None = None,
    trend: bool = True,
    p_threshold_trend: float = 0.05,
    limit54: tuple[int, int] = (5, 4),
    freq: int = 52,
) -> WeekExpectation:
    """The count week `week` of the weekly `counts` (oldest first) is expected to bring.

    Parameters
    ----------
    counts : weekly counts, oldest first, consecutive weeks (a week without events is 0).
    week : the position of the week to judge (default: the last).
    predictive : widen `low`, `high` and `p_value` by the uncertainty of the fitted mean (its standard
        error on the log scale); False gives R's `nbPlugin` numbers, which call too many ordinary weeks
        unusual when the history is short.
    b : years of history used (the series needs `b` years and `w` weeks before `week`).
    w : half-width of the window around the same week of earlier years (weeks).
    periods : levels of the seasonal factor (1: only the windows, Farrington's original).
    past_weeks_not_included : recent weeks left out of the fit (weeks).
    alpha : the tail of an ordinary week beyond `high`.
    weights_threshold : Anscombe residuals above this are down-weighted as past outbreaks (Noufaily's
        2.58; None: no reweighting, the default, because down-weighting an ordinary series' high weeks
        lowers its baseline: with 2.58, 6.5 % of ordinary weeks were called unusual against 4.7 %).
    trend, p_threshold_trend : fit a linear trend, kept when significant at this level, with at least
        three years of history, and not predicting beyond the largest count of the baseline.
    limit54 : (events, weeks): no week is called unusual unless the last `weeks` weeks hold at least
        `events` events.
    freq : weeks in a year.
    """
    y_all = np.asarray(counts, dtype=float)
    if y_all.ndim != 1 or np.any(y_all < 0) or not np.all(np.isfinite(y_all)):
        raise ValueError("counts: a one-dimensional series of counts of at least zero")
    k = week % len(y_all) if len(y_all) else 0
    count = int(y_all[k]) if len(y_all) else 0
    if k < freq * b + w:
        return WeekExpectation(count, None, None, None, None, False, False, None,
                               reason="short_history")  # fmt: skip
    levels = _blocks(k, len(y_all), b=b, w=w, periods=periods, freq=freq)
    levels[max(k - past_weeks_not_included, 0) : k + 1] = np.nan
    keep = np.flatnonzero(~np.isnan(levels))
    y = y_all[keep]
    weeks = keep.astype(float) + 1  # R's 1-based time index
    if y.sum() == 0:
        return WeekExpectation(count, 0.0, 0, 0, 1.0 if count == 0 else 0.0, False, False, 1.0,
                               reason="no_events")  # fmt: skip
    seasons = sorted(set(levels[keep].astype(int)))
    season_columns = [(levels[keep] == level).astype(float) for level in seasons[1:]]
    now_row_season = [1.0 if level == periods else 0.0 for level in seasons[1:]]

    def design(with_trend: bool) -> tuple[np.ndarray, np.ndarray]:
        columns = [np.ones_like(y)] + ([weeks] if with_trend else []) + season_columns
        now = [1.0] + ([k + 1.0] if with_trend else []) + now_row_season
        return np.column_stack(columns), np.array(now)

    kept_trend = False
    if trend:
        X, now = design(True)
        fit, phi = _quasi_poisson(y, X, weights_threshold)
        mu_now = float(np.exp(now @ fit.params))
        significant = float(fit.pvalues[1]) < p_threshold_trend
        kept_trend = b >= 3 and significant and mu_now <= y.max()
    if not kept_trend:
        X, now = design(False)
        fit, phi = _quasi_poisson(y, X, weights_threshold)
    eta = float(now @ fit.params)
    mu = float(np.exp(eta))
    if predictive:
        se = float(np.sqrt(now @ fit.cov_params() @ now * phi / float(fit.scale)))
        if not se < MAX_LOG_SE:
            return WeekExpectation(count, mu, None, None, None, False, kept_trend, phi,
                                   reason="uncertain")  # fmt: skip
        df = float(fit.df_resid)
        low, high = _predictive_quantile(alpha, eta, se, phi, df), _predictive_quantile(1 - alpha, eta, se, phi, df)
        p_value = _predictive_at_least(count, eta, se, phi, df)
    else:
        low, high = _nb_quantile(alpha, mu, phi), _nb_quantile(1 - alpha, mu, phi)
        p_value = _nb_at_least(count, mu, phi)
    enough = y_all[max(k - limit54[1] + 1, 0) : k + 1].sum() >= limit54[0]
    reason = "" if enough else "quiet_lately"
    unusual = enough and count > high and count > 0
    return WeekExpectation(count, mu, max(low, 0), high, p_value, unusual, bool(kept_trend), phi, reason)


def unusual_weeks(
    series: Mapping[str, ArrayLike], *, week: int = -1, level: float = 0.05, **options: Any
) -> dict[str, WeekExpectation]:
    """Each series' week against its history, with `unusual` decided over all of them
    (`decided_together`). `options` go to `expected_week` (its `alpha` sets only the shown quantiles)."""
    results = {name: expected_week(counts, week=week, **options) for name, counts in series.items()}
    return decided_together(results, level=level)


def decided_together(results: Mapping[K, WeekExpectation], *, level: float = 0.05) -> dict[K, WeekExpectation]:
    """The weeks of several series (`expected_week`, each with its own options), with `unusual`
    decided over all of them: a series is "more than usual" when its p-value passes Holm's step-down
    test at `level`, so that in an ordinary week the chance of calling any of them unusual stays at
    most `level` (and `limit54` is met)."""
    # Every category with a p-value counts towards the multiplicity, also one too quiet lately to be
    # called unusual (limit54): leaving those out tested only the weeks chosen for their high counts.
    tested = sorted(((r.p_value, i) for i, r in enumerate(results.values()) if r.p_value is not None and r.expected))
    passed: set[int] = set()
    for rank, (p, i) in enumerate(tested):
        if p > level / (len(tested) - rank):
            break
        passed.add(i)
    return {
        name: replace(r, unusual=i in passed and not r.reason and r.count > 0)
        for i, (name, r) in enumerate(results.items())
    }
