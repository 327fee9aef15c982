"""Did a count rise or fall between two periods? The tertial analysis's comparison (EST, issue 25).

EST's deeper analysis three times a year compares each category of observations and each incident
type of a four-month period with the same period a year before. Counts of neighbouring weeks vary
more than Poisson's (gatherings come in spells), and a page that compares twenty categories at once
calls some of them changed by chance: `compare_periods` reads the counts week by week, widens the
interval by their overdispersion, and gives intervals that hold for all the categories of a page
together (Bonferroni), so that in a period without any change the page says "rose" or "fell"
anywhere at most `1 - level` of the time (`tests/test_periods.py` measures it).

The interval is the exact conditional one (Clopper–Pearson for the after period's share of both
periods' counts, as R's `poisson.test` gives for a ratio of two rates), on counts divided by the
dispersion φ (the Pearson statistic of the weekly counts around each period's mean over its degrees
of freedom, at least 1): a quasi-Poisson count of n carries the information of n/φ Poisson events.
"""

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .types import ArrayLike
from .vocabulary import Change


@dataclass(frozen=True)
class PeriodChange:
    """A count in two periods.

    before, after : the counts (events).
    ratio : after / before, per week (None when there is nothing before).
    ci_low, ci_high : the interval of the ratio, simultaneous over `comparisons` (None: too little data).
    dispersion : φ, the weekly counts' variance over their mean (at least 1).
    verdict : increase or decrease only where the interval excludes 1.
    """

    before: int
    after: int
    ratio: float | None
    ci_low: float | None
    ci_high: float | None
    dispersion: float
    verdict: Change

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def weekly_counts(days: ArrayLike, *, length: int) -> np.ndarray:
    """Events per seven-day block of a period of `length` days, from each event's day counted from the
    period's first (0, 1, …); a last block of fewer than seven days joins the one before."""
    n = max(1, length // 7)
    blocks = np.minimum(np.asarray(days, dtype=int) // 7, n - 1)
    return np.bincount(blocks, minlength=n).astype(float)


def weekly_dispersion(*periods: ArrayLike) -> float:
    """The Pearson statistic of weekly counts around their period's mean, over its degrees of freedom
    (at least 1: Poisson's). Periods without events add nothing."""
    statistic, df = 0.0, 0
    for counts in periods:
        y = np.asarray(counts, dtype=float)
        mean = y.mean() if len(y) else 0.0
        if mean > 0 and len(y) > 1:
            statistic += float(((y - mean) ** 2).sum() / mean)
            df += len(y) - 1
    return max(1.0, statistic / df) if df else 1.0


def compare_periods(
    before: ArrayLike, after: ArrayLike, *, level: float = 0.95, comparisons: int = 1, dispersion: float | None = None
) -> PeriodChange:
    """Compare weekly counts of a period with those of an earlier one (weeks; the periods may differ in
    length: the ratio is per week).

    Parameters
    ----------
    before, after : weekly counts of the earlier and the later period.
    level : the confidence of the intervals, simultaneous over `comparisons`.
    comparisons : how many counts the page compares at once (Bonferroni: each interval at
        1 - (1 - level) / comparisons).
    dispersion : φ to use (default: `weekly_dispersion` of these two periods).
    """
    from scipy import stats

    b, a = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    if b.ndim != 1 or a.ndim != 1 or not len(b) or not len(a) or (b < 0).any() or (a < 0).any():
        raise ValueError("before, after: one-dimensional weekly counts of at least one week, not negative")
    if comparisons < 1 or not 0 < level < 1:
        raise ValueError("level in (0, 1) and comparisons at least 1")
    phi = weekly_dispersion(b, a) if dispersion is None else max(1.0, float(dispersion))
    nb, na = float(b.sum()), float(a.sum())
    if nb + na == 0:
        return PeriodChange(0, 0, None, None, None, phi, Change.TOO_LITTLE_DATA)
    weeks = len(b) / len(a)  # after's share of events, turned into a ratio per week
    alpha = (1 - level) / comparisons
    xa, xb = na / phi, nb / phi  # the counts' information, as Poisson events
    low = stats.beta.ppf(alpha / 2, xa, xb + 1) if xa > 0 else 0.0
    high = stats.beta.ppf(1 - alpha / 2, xa + 1, xb) if xb > 0 else 1.0
    ratio_low = float(low / (1 - low) * weeks)
    ratio_high = float(high / (1 - high) * weeks) if high < 1 else float("inf")
    ratio = na / nb * weeks if nb else None
    verdict = Change.INCREASE if ratio_low > 1 else Change.DECREASE if ratio_high < 1 else Change.NONE
    return PeriodChange(int(nb), int(na), ratio, ratio_low, ratio_high, phi, verdict)


@dataclass(frozen=True)
class Pattern:
    """Whether counts over categories (weekdays, parts of the day) differ more than chance gives.

    p_value : of the quasi-Poisson goodness of fit against equal shares (the chi-square statistic over
        the dispersion φ, Pearson's over its degrees of freedom: events that come in spells say less).
    shown : whether the pattern may be named (p_value below 1 - level).
    """

    counts: list[int]
    p_value: float | None
    shown: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def pattern(counts: ArrayLike, *, dispersion: float = 1.0, level: float = 0.95) -> Pattern:
    """Are the `counts` (one per category of equal size, e.g. the seven weekdays) more uneven than
    chance? None when there are fewer than five events per category on average."""
    from scipy import stats

    y = np.asarray(counts, dtype=float)
    if y.ndim != 1 or len(y) < 2 or (y < 0).any():
        raise ValueError("counts: one-dimensional, at least two categories, not negative")
    if y.sum() < 5 * len(y):
        return Pattern([int(v) for v in y], None, False)
    expected = y.sum() / len(y)
    statistic = float(((y - expected) ** 2 / expected).sum()) / max(1.0, float(dispersion))
    p = float(stats.chi2.sf(statistic, len(y) - 1))
    return Pattern([int(v) for v in y], p, p < 1 - level)


def detectable_fall(count: float, *, dispersion: float = 1.0, level: float = 0.95, power: float = 0.8) -> float | None:
    """The smallest fall a comparison of two equal periods (`compare_periods`) finds with `power`,
    when the first period has `count` events: the ratio after / before (0.7 = a fall of 30 %), None
    when not even a fall to nothing would be found that often.

    The Wald approximation on the log of the ratio, whose variance is φ (1/before + 1/after): solved
    for the ratio r with |log r| = (z(1 - (1 - level)/2) + z(power)) √(φ (1/n + 1/(n r)))."""
    from scipy import optimize, stats

    if count <= 0:
        return None
    phi = max(1.0, float(dispersion))
    z = stats.norm.ppf(1 - (1 - level) / 2) + stats.norm.ppf(power)

    def gap(r: float) -> float:
        return float(-np.log(r) - z * np.sqrt(phi * (1 / count + 1 / (count * r))))

    # The gap rises from r = 1 and falls again towards 0 (the after count's own noise): the root
    # is the one between its peak and 1.
    peak = optimize.minimize_scalar(lambda r: -gap(r), bounds=(1e-9, 1.0), method="bounded").x
    if gap(peak) < 0:
        return None
    return float(optimize.brentq(gap, peak, 1.0))
