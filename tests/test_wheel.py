"""The annual wheel (`lofte.analysis.wheel`): the test against an even spread is scipy's chi-square
(Pearson's, as R's `chisq.test(x, p = exposure)`), the intervals are Clopper–Pearson's (statsmodels'
`proportion_confint(method="beta")`), and a wheel of months, weekdays and hours without any pattern
names one at most as often as its level says, also when incidents come in spells."""

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from lofte.analysis.wheel import cycle, month_days


def test_it_tests_against_the_exposure_as_scipys_chisquare():
    counts = np.array([40, 31, 45, 38, 52, 47, 60, 58, 41, 39, 36, 44])
    days = month_days([2016])
    found = cycle(counts, exposure=days)
    expected = counts.sum() * days / days.sum()
    assert found.p_value == pytest.approx(stats.chisquare(counts, expected).pvalue, rel=1e-10)
    assert found.ratio[6] == pytest.approx(60 / expected[6])


def test_it_gives_clopper_pearson_intervals_simultaneous_over_the_categories():
    counts = [30, 10, 20, 25, 15, 40, 20]
    found = cycle(counts, level=0.95)
    low, high = proportion_confint(counts, sum(counts), alpha=0.05 / 7, method="beta")
    assert found.ci_low == pytest.approx(list(np.asarray(low) * 7), rel=1e-8)
    assert found.ci_high == pytest.approx(list(np.asarray(high) * 7), rel=1e-8)


def test_it_names_a_clear_peak_and_only_where_the_interval_says_so():
    hours = np.full(24, 20)
    hours[20:23] = 80
    found = cycle(hours)
    assert found.shown and found.above == [20, 21, 22]
    assert set(found.below) <= set(range(20))
    # The same shape over a quarter of the events, at a dispersion of 4: not enough to name anything.
    spelled = cycle(hours // 4, dispersion=4)
    assert not spelled.shown and spelled.above == spelled.below == []


def test_it_refuses_a_pattern_from_too_few_events_and_bad_input():
    assert cycle([3, 1, 0, 2, 1, 0, 2]).p_value is None
    assert cycle(np.zeros(12)).ratio == [None] * 12
    for bad in ([1], [[1, 2]], [-1, 2]):
        with pytest.raises(ValueError):
            cycle(bad)
    with pytest.raises(ValueError):
        cycle([1, 2, 3], exposure=[1, 0, 1])


def test_month_days_sums_the_years():
    assert month_days([2016, 2017])[1] == 29 + 28
    assert month_days(2017).sum() == 365


@pytest.mark.parametrize("spells", [False, True])
def test_it_is_calibrated_on_a_wheel_without_any_pattern(spells):
    """Three years of incidents at 2 a day, spread evenly over the calendar (or in spells: a day's
    count negative binomial with φ = 3), the φ of the daily counts given: the month, weekday and hour
    cycles each name a pattern at most 5 % of the time, and a month, weekday or hour above or below
    the rest no more often."""
    rng = np.random.default_rng(26)
    days = np.arange(np.datetime64("2014-01-01"), np.datetime64("2017-01-01"))
    month = days.astype("datetime64[M]").astype(int) % 12
    weekday = (days.astype(int) + 3) % 7
    exposure = month_days([2014, 2015, 2016])
    named = {"month": 0, "weekday": 0, "hour": 0}
    runs = 1000
    for _ in range(runs):
        # A day's count: mean 2, variance 6 in spells, else Poisson's.
        per_day = rng.negative_binomial(1, 1 / 3, len(days)) if spells else rng.poisson(2, len(days))
        phi = max(1.0, per_day.var(ddof=1) / per_day.mean())
        hours = np.bincount(rng.integers(0, 24, per_day.sum()), minlength=24)
        found = {
            "month": cycle(np.bincount(month, per_day, minlength=12), exposure=exposure, dispersion=phi),
            "weekday": cycle(np.bincount(weekday, per_day, minlength=7), dispersion=phi),
            "hour": cycle(hours, dispersion=phi),
        }
        for name, result in found.items():
            named[name] += result.shown or bool(result.above or result.below)
    for name, n in named.items():
        assert n / runs <= 0.05 + 2 * np.sqrt(0.05 * 0.95 / runs), (name, n)
