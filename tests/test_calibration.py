"""Calibration (issue 22): a method that says "measurable change" when nothing changed must be wrong at
most as often as its level says (5 %). Each test simulates designs a promise has, with no effect at
the start, and counts the verdicts that are not "no measurable change"."""

import numpy as np
import pytest

from lofte.analysis.evaluation import its
from lofte.analysis.vocabulary import Change

SIMULATIONS = 200
# At most the level, with room for the simulation's own noise (three standard errors of a share of
# 5 % in 200 draws is 4.6 points).
MOST = 0.05 + 3 * np.sqrt(0.05 * 0.95 / SIMULATIONS)


@pytest.mark.parametrize(("before", "after"), [(14, 6), (16, 8), (24, 12), (48, 24)])
def test_its_says_no_measurable_change_about_noise_at_most_as_often_as_its_level(before, after):
    """Monthly Poisson counts and no change (the issue measured 59 %, 43 %, 30 % and 16 % before); with
    two years or more before the start, a season too, which the model is given (as the report does)."""
    rng = np.random.default_rng(before * 100 + after)
    months = np.arange(before + after)
    with_season = before >= 24
    season = 1 + 0.25 * np.sin(2 * np.pi * months / 12) if with_season else np.ones(len(months))
    changes = 0
    for _ in range(SIMULATIONS):
        counts = rng.poisson(20 * season)
        result = its(counts, start=before, month_of_year=months % 12 + 1 if with_season else None)
        changes += result.verdict != Change.NONE
    assert changes / SIMULATIONS <= MOST, f"{before} + {after} months: {changes / SIMULATIONS:.1%} called a change"


@pytest.mark.parametrize(("before", "after"), [(36, 12), (48, 24)])
def test_its_errors_are_as_wide_as_the_estimates_vary_when_neighbouring_months_are_correlated(before, after):
    """Counts whose log mean drifts as an AR(1) (rho 0.5) around a season: the Newey–West errors were
    0.85 of the level change's spread over 48 + 24 months (8 % of noise called a change); the
    AR-corrected sandwich must reach at least 0.9 of it."""
    rng = np.random.default_rng(before * 100 + after)
    months = np.arange(before + after)
    season = 1 + 0.25 * np.sin(2 * np.pi * months / 12)
    estimates, errors = [], []
    for _ in range(400):
        drift = np.zeros(len(months))
        for k in range(1, len(months)):
            drift[k] = 0.5 * drift[k - 1] + rng.normal(0, 0.1)
        result = its(rng.poisson(20 * season * np.exp(drift)), start=before, month_of_year=months % 12 + 1)
        estimates.append(result.level_change)
        errors.append(result.level_se)
    ratio = np.mean(errors) / np.std(estimates)
    assert ratio >= 0.9, f"{before} + {after} months: errors {ratio:.2f} of the estimates' spread"


@pytest.mark.parametrize("variance_over_mean", [1, 3, 10])
def test_the_poisson_did_says_no_measurable_change_about_noise_at_most_as_often_as_its_level(variance_over_mean):
    """The report's DiD: an area and four control areas, 24 months before and 12 during, counts around
    20 a month whose variance is 1, 3 or 10 times their mean (Poisson, then gamma-Poisson), no effect.
    With model-based Poisson errors the overdispersed designs called a change far more often."""
    from lofte.analysis.evaluation import did

    rng = np.random.default_rng(variance_over_mean)
    areas, months, start = 5, 36, 24
    treated = np.repeat((np.arange(areas) == 0).astype(int), months)
    post = np.tile((np.arange(months) >= start).astype(int), areas)
    unit = np.repeat(np.arange(areas), months)
    size = np.repeat(rng.uniform(0.7, 1.4, areas), months)
    changes = 0
    for _ in range(SIMULATIONS):
        mu = 20 * size
        if variance_over_mean > 1:  # gamma-Poisson: variance = mu + mu² / shape = ratio x mu at 20 a month
            shape = 20 / (variance_over_mean - 1)
            mu = rng.gamma(shape, mu / shape)
        y = rng.poisson(mu)
        changes += did(y, treated, post, unit=unit, model="poisson").verdict != Change.NONE
    share = changes / SIMULATIONS
    assert share <= MOST, f"variance {variance_over_mean} x the mean: {share:.1%} called a change"


def test_cluster_robust_errors_are_refused_with_too_few_units():
    """Two units gave "+1.75 (95 % interval +1.75 to +1.75)": a cluster-robust error of zero."""
    from lofte.analysis.evaluation import did

    y = [10, 12, 11, 30, 9, 11, 10, 12]
    with pytest.raises(ValueError, match="too few for cluster-robust"):
        did(y, [1, 1, 1, 1, 0, 0, 0, 0], [0, 0, 1, 1, 0, 0, 1, 1], unit=[0, 0, 0, 0, 1, 1, 1, 1], model="ols-cluster")


@pytest.mark.parametrize("variance_over_mean", [1, 3])
def test_the_event_study_says_areas_moved_apart_before_at_most_as_often_as_its_level(variance_over_mean):
    """The report's event study: an area and one control area, 24 months before and 12 during, monthly
    counts with a quarter's terms, no difference at all. Quarterly sums with Poisson's own errors (the
    report before) said "already moved apart" of 74 % of such pairs with variance 3 x the mean."""
    from lofte.analysis.evaluation import event_study

    rng = np.random.default_rng(10 + variance_over_mean)
    months = 36
    quarter = (np.arange(months) - 24) // 3
    treated = np.repeat([1, 0], months)
    alarms = 0
    for _ in range(SIMULATIONS):
        mu = np.full(2 * months, 20.0)
        if variance_over_mean > 1:
            shape = 20 / (variance_over_mean - 1)
            mu = rng.gamma(shape, mu / shape)
        result = event_study(rng.poisson(mu), treated, np.tile(quarter, 2), start=0)
        alarms += result.pretrend_p is not None and result.pretrend_p < 0.05
    share = alarms / SIMULATIONS
    assert share <= MOST, f"variance {variance_over_mean} x the mean: {share:.1%} said the areas moved apart"


def test_a_stopped_count_is_called_a_fall_at_most_as_often_as_the_level_allows():
    """The separated Poisson DiD (no incident in the area after the start): with few incidents, by
    chance none fall after the start; the more cautious of the exact and the likelihood-ratio test
    keeps those from being called a fall too often."""
    from lofte.analysis.evaluation import did

    rng = np.random.default_rng(3)
    treated = np.r_[np.ones(24), np.zeros(24)]
    post = np.tile(np.r_[np.zeros(12), np.ones(12)], 2)
    falls = separated = 0
    for _ in range(SIMULATIONS * 5):
        y = np.r_[rng.poisson(0.3, 24), rng.poisson(20, 24)]
        try:
            result = did(y, treated, post, model="poisson")
        except ValueError:  # no incident at all in the area
            continue
        separated += result.separated
        falls += result.verdict != Change.NONE
    assert separated > 20  # the path is exercised
    assert falls / (SIMULATIONS * 5) <= MOST


@pytest.mark.parametrize("variance_over_mean", [1, 3, 10])
def test_the_wdd_says_no_measurable_change_about_noise_at_most_as_often_as_its_level(variance_over_mean):
    """The WDD's variance is Poisson's, the sum of the counts; areas whose monthly counts varied three
    or ten times as much were called a change in 26 % and 55 % of simulations with no effect. The
    report widens it by the areas' monthly dispersion (`monthly_dispersion`)."""
    from lofte.analysis.evaluation import monthly_dispersion, wdd

    rng = np.random.default_rng(20 + variance_over_mean)
    changes = 0
    for _ in range(SIMULATIONS):
        mu = np.full((2, 24), 20.0)
        if variance_over_mean > 1:
            shape = 20 / (variance_over_mean - 1)
            mu = rng.gamma(shape, mu / shape)
        area, control = rng.poisson(mu)
        spread = monthly_dispersion([area, control], start=12)
        result = wdd((area[:12].sum(), area[12:].sum()), (control[:12].sum(), control[12:].sum()), dispersion=spread)
        changes += result.verdict != Change.NONE
    share = changes / SIMULATIONS
    assert share <= MOST, f"variance {variance_over_mean} x the mean: {share:.1%} called a change"


def trend_counts(rng, months, kind, *, per_month=0.0, mean=20.0):
    """As benchmarks/calibration.py: monthly counts changing by `per_month`, Poisson, gamma-Poisson
    (variance 3 x the mean) or Poisson with a season of +-25 % the trend is not told about."""
    t = np.arange(months)
    mu = mean * (1 + per_month) ** (t - (months - 1) / 2)
    if kind == "overdispersed":
        mu = rng.gamma(10.0, mu / 10.0)
    elif kind == "seasonal":
        mu = mu * (1 + 0.25 * np.sin(2 * np.pi * t / 12))
    return rng.poisson(mu)


@pytest.mark.parametrize("months", [24, 36])
@pytest.mark.parametrize("kind", ["poisson", "overdispersed", "seasonal"])
def test_the_situation_trend_says_no_measurable_change_about_noise_at_most_as_often_as_its_level(months, kind):
    """The situation page's and the evidence matrix's trend, given the months of the year: a season of
    +-25 % read as a trend in 38 % of flat years (issue 22); with 24 months or more it has a term per
    month of the year. A planted fall of 2 % a month lies inside at least 90 % of the intervals."""
    from lofte.analysis.situation import poisson_trend

    rng = np.random.default_rng(months)
    month_of_year = np.arange(months) % 12 + 1
    changes = covered = 0
    for _ in range(SIMULATIONS):
        changes += poisson_trend(trend_counts(rng, months, kind), month_of_year=month_of_year).verdict != Change.NONE
        planted = poisson_trend(trend_counts(rng, months, kind, per_month=-0.02), month_of_year=month_of_year)
        covered += planted.ci_low <= -0.02 <= planted.ci_high
    assert changes / SIMULATIONS <= MOST, f"{months} months, {kind}: {changes / SIMULATIONS:.1%} called a change"
    assert covered / SIMULATIONS >= 0.9, f"{months} months, {kind}: {covered / SIMULATIONS:.1%} covered"


def test_the_situation_trend_refuses_a_year_that_may_be_its_season():
    from lofte.analysis.situation import poisson_trend

    rng = np.random.default_rng(12)
    season = 1 + 0.25 * np.sin(2 * np.pi * np.arange(12) / 12)
    trend = poisson_trend(rng.poisson(20 * season), month_of_year=np.arange(12) % 12 + 1)
    assert (trend.verdict, trend.reason) == (Change.TOO_LITTLE_DATA, "season")
