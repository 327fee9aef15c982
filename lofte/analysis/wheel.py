"""The annual wheel: do incidents recur by month, weekday or hour more than chance gives?

Brå's guidance for the municipalities' lägesbild (lag 2023:196) asks where and *when* crime
concentrates, as an "annual wheel" of recurring patterns by season, weekday and hour, so that measures
can be timed. A page that marks every month above the mean as a peak names noise: with twelve months
of a few hundred incidents some month is always highest. `cycle` names a pattern only where the counts
are more uneven than chance (`periods.pattern`'s quasi-Poisson test), and a category as higher or
lower than an even spread only where its interval, simultaneous over the cycle's categories
(Bonferroni), excludes the even share.

Categories may differ in size (February has 28 days, July 31): `exposure` gives each its share of
the time, and the even spread is proportional to it. Counts are divided by the dispersion φ (events
that come in spells carry less information, as in `periods.compare_periods`).
"""

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .types import ArrayLike


@dataclass(frozen=True)
class Cycle:
    """Counts over the categories of one cycle (the months of the year, the weekdays, the hours).

    counts : events per category.
    ratio : each count over what an even spread (by `exposure`) gives; None without events.
    ci_low, ci_high : the ratio's interval, simultaneous over the categories (None without events).
    p_value : of the test against an even spread (None: fewer than five events per category).
    shown : whether the pattern may be named (p_value below 1 - level).
    above, below : the categories (indices) whose interval lies above or below 1, only when shown.
    dispersion : φ used.
    """

    counts: list[int]
    ratio: list[float | None]
    ci_low: list[float | None]
    ci_high: list[float | None]
    p_value: float | None
    shown: bool
    above: list[int]
    below: list[int]
    dispersion: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def cycle(
    counts: ArrayLike, *, exposure: ArrayLike | None = None, dispersion: float = 1.0, level: float = 0.95
) -> Cycle:
    """Test and describe counts over the categories of a cycle.

    Parameters
    ----------
    counts : events per category (e.g. twelve months, seven weekdays, 24 hours).
    exposure : each category's size (e.g. days in the month, summed over the years counted);
        equal sizes by default.
    dispersion : φ, the counts' variance over their mean in the series they come from (at least 1).
    level : the confidence of the test and of the intervals (simultaneous over the categories).
    """
    from scipy import stats

    y = np.asarray(counts, dtype=float)
    if y.ndim != 1 or len(y) < 2 or (y < 0).any():
        raise ValueError("counts: one-dimensional, at least two categories, not negative")
    size = np.ones_like(y) if exposure is None else np.asarray(exposure, dtype=float)
    if size.shape != y.shape or (size <= 0).any():
        raise ValueError("exposure: one positive size per category")
    if not 0 < level < 1:
        raise ValueError("level in (0, 1)")
    phi = max(1.0, float(dispersion))
    k, total = len(y), float(y.sum())
    share = size / size.sum()
    whole = [int(v) for v in y]
    if total == 0:
        none: list[float | None] = [None] * k
        return Cycle(whole, none, none, none, None, False, [], [], phi)
    expected = total * share
    ratio = y / expected
    alpha = (1 - level) / k
    n, x = total / phi, y / phi  # the counts' information, as Poisson events
    low = np.where(x > 0, stats.beta.ppf(alpha / 2, np.maximum(x, 1e-12), n - x + 1), 0.0)
    high = np.where(x < n, stats.beta.ppf(1 - alpha / 2, x + 1, np.maximum(n - x, 1e-12)), 1.0)
    ci_low, ci_high = low / share, high / share
    p_value: float | None = None
    if total >= 5 * k:
        statistic = float(((y - expected) ** 2 / expected).sum()) / phi
        p_value = float(stats.chi2.sf(statistic, k - 1))
    shown = p_value is not None and p_value < 1 - level
    return Cycle(
        counts=whole,
        ratio=[float(v) for v in ratio],
        ci_low=[float(v) for v in ci_low],
        ci_high=[float(v) for v in ci_high],
        p_value=p_value,
        shown=shown,
        above=[i for i in range(k) if shown and ci_low[i] > 1],
        below=[i for i in range(k) if shown and ci_high[i] < 1],
        dispersion=phi,
    )


def month_days(years: ArrayLike) -> np.ndarray:
    """Days in each month of the year (January first), summed over `years`: the months' exposure."""
    import calendar

    days = np.zeros(12)
    for year in np.atleast_1d(np.asarray(years, dtype=int)).tolist():
        days += [calendar.monthrange(year, m)[1] for m in range(1, 13)]
    return days
