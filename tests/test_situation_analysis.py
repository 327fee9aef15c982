"""Trend and suppression: checked against statsmodels' GLM (a test-only oracle)."""

import numpy as np
import pytest

from lofte.analysis.situation import grid_counts, monthly_counts, poisson_trend
from lofte.analysis.suppression import suppress_small_counts
from lofte.analysis.vocabulary import Change


def test_it_matches_a_poisson_glm_when_counts_are_not_overdispersed():
    """Independent Poisson months (no dispersion above 1, no positive correlation between neighbouring
    months): the GLM's coefficient and error, with Student's t on n - 2 degrees of freedom (issue 22:
    the normal quantile was a little too narrow on a year of months)."""
    sm = pytest.importorskip("statsmodels.api", reason="statsmodels is the test oracle")
    rng = np.random.default_rng(3)
    counts = rng.poisson(np.exp(3 + 0.03 * np.arange(24)))
    result = poisson_trend(counts)
    t = np.arange(24) - 11.5
    fit = sm.GLM(counts, sm.add_constant(t), family=sm.families.Poisson()).fit()
    assert result.monthly_change == pytest.approx(np.expm1(fit.params[1]), rel=1e-9)
    assert result.dispersion <= 1
    quantile = 2.0738730679040147  # t(0.975, 22)
    assert result.ci_low == pytest.approx(np.expm1(fit.params[1] - quantile * fit.bse[1]), rel=1e-7)
    assert result.ci_high == pytest.approx(np.expm1(fit.params[1] + quantile * fit.bse[1]), rel=1e-7)


def test_it_fits_the_season_over_two_years_and_refuses_a_trend_within_a_shorter_span():
    """Issue 22: a season of +-25 % over twelve months gave a "trend" in 38 % of flat series. With a
    month of the year for each count, 24 months or more get a term per month (the GLM with month
    dummies is the oracle); fewer are refused in words (reason "season")."""
    sm = pytest.importorskip("statsmodels.api", reason="statsmodels is the test oracle")
    rng = np.random.default_rng(5)
    months = np.arange(30)
    month_of_year = (months + 3) % 12 + 1  # from April
    counts = rng.poisson(20 * (1 + 0.25 * np.sin(2 * np.pi * months / 12)) * 1.01**months)
    result = poisson_trend(counts, month_of_year=month_of_year)
    dummies = [(month_of_year == m).astype(float) for m in range(1, 13) if m != month_of_year[0]]
    X = np.column_stack([np.ones(30), months - 14.5, *dummies])
    fit = sm.GLM(counts, X, family=sm.families.Poisson()).fit()
    assert result.seasonal and result.monthly_change == pytest.approx(np.expm1(fit.params[1]), rel=1e-9)
    short = poisson_trend(counts[:23], month_of_year=month_of_year[:23])
    assert (short.verdict, short.reason, short.monthly_change) == ("too little data", "season", None)
    assert poisson_trend(counts[:23]).verdict != "too little data"  # no season given: none assumed


def test_it_widens_the_interval_for_overdispersed_counts_like_quasi_poisson():
    sm = pytest.importorskip("statsmodels.api", reason="statsmodels is the test oracle")
    counts = np.array([40, 12, 55, 20, 70, 15, 60, 25, 80, 18, 66, 30])
    result = poisson_trend(counts)
    t = np.arange(12) - 5.5
    fit = sm.GLM(counts, sm.add_constant(t), family=sm.families.Poisson()).fit(scale="X2")
    assert result.dispersion > 1
    assert result.dispersion == pytest.approx(fit.scale, rel=1e-9)
    se = fit.bse[1]
    assert np.log1p(result.ci_high) - np.log1p(result.monthly_change) == pytest.approx(
        se * 2.2281388519649385, rel=1e-6
    )  # t(0.975, 10)


def test_it_says_no_measurable_change_for_noise_and_a_direction_for_a_clear_trend():
    flat = poisson_trend([20, 22, 18, 21, 19, 20, 23, 17, 20, 21, 19, 20])
    assert flat.verdict == "no measurable change"
    assert flat.ci_low < 0 < flat.ci_high
    falling = poisson_trend([60, 55, 52, 47, 44, 40, 37, 33, 31, 28, 25, 23])
    assert falling.verdict == "decrease" and falling.ci_high < 0
    assert poisson_trend([1, 2, 0]).verdict == "too little data"
    assert poisson_trend([0] * 12).verdict == "too little data"


def test_it_counts_months_with_zeros():
    months = np.array([10, 10, 12, 15])
    assert monthly_counts(months, first=10, last=13).tolist() == [2, 0, 1, 0]


def test_it_suppresses_small_counts_but_not_zeros():
    counts = np.array([0, 1, 4, 5, 12])
    out = suppress_small_counts(counts, threshold=5)
    assert np.isnan(out[1]) and np.isnan(out[2])
    assert out[[0, 3, 4]].tolist() == [0, 5, 12]
    assert counts.tolist() == [0, 1, 4, 5, 12]


def test_it_bins_points_into_cells():
    ix, iy, n = grid_counts([5, 15, 16, 250, np.nan], [5, 5, 9, 5, 1], cell=10, origin=(0, 0))
    assert sorted(zip(ix.tolist(), iy.tolist(), n.tolist())) == [(0, 0, 1), (1, 0, 2), (25, 0, 1)]


def test_it_finds_no_trend_in_incidents_that_all_fall_in_one_month():
    # The fit runs off to infinity; the interval overflowed to "inf %" before (issue 22).
    trend = poisson_trend([0] * 11 + [40])
    assert trend.verdict == "too little data" and trend.monthly_change is None


def test_it_counts_only_whole_months_for_the_trend():
    from datetime import date

    from lofte.incidents.situation import Filters, whole_months

    steady = np.full(12, 30)
    partial = steady.copy()
    partial[-1] = 12  # the default period ends on the latest incident's day: 12 days into the month
    mid_month = Filters(start=date(2025, 12, 1), end=date(2026, 11, 12))
    assert len(whole_months(partial, mid_month)) == 11
    assert poisson_trend(partial).monthly_change < -0.02  # what the page said of a steady area
    assert poisson_trend(whole_months(partial, mid_month)).monthly_change == pytest.approx(0, abs=1e-9)
    whole = Filters(start=date(2025, 12, 1), end=date(2026, 11, 30))
    late_start = Filters(start=date(2025, 12, 15), end=date(2026, 11, 30))
    assert len(whole_months(steady, whole)) == 12 and len(whole_months(steady, late_start)) == 11


@pytest.mark.parametrize(
    ("count", "exposure", "r"),
    [  # R: poisson.test(count, exposure): estimate, conf.int
        (45, 12.5, (3.6, 2.6258647031, 4.8170832398)),
        (3, 2.1, (1.4285714286, 0.2946057728, 4.1748919380)),
        (1200, 25.3, (47.4308300395, 44.7848583167, 50.1923147352)),
    ],
)
def test_a_rate_per_thousand_residents_has_r_poisson_tests_interval(count, exposure, r):
    from lofte.analysis.situation import rate_per_thousand

    found = rate_per_thousand(count, residents=int(exposure * 1000), years=1.0)
    assert (found.per_1000, found.ci_low, found.ci_high) == pytest.approx(r, rel=1e-8)
    wider = rate_per_thousand(count, residents=int(exposure * 1000), years=1.0, dispersion=3)
    assert wider.ci_low < found.ci_low and wider.ci_high > found.ci_high and wider.per_1000 == found.per_1000


@pytest.mark.parametrize(
    ("count", "exposure", "other", "other_exposure", "r"),
    [
        # R 4.x: poisson.test(c(count, other), c(exposure, other_exposure)): estimate, conf.int
        (30, 17, 18, 17, (1.6666666667, 0.8993560143, 3.1749748064)),
        (12, 17, 20, 18, (0.6352941176, 0.2831586684, 1.3645436312)),
    ],
)
def test_it_compares_two_rates_as_r_poisson_test(count, exposure, other, other_exposure, r):
    from lofte.analysis.situation import compare_rates

    found = compare_rates(count, exposure, other, other_exposure)
    assert (found.ratio, found.ci_low, found.ci_high) == pytest.approx(r, rel=1e-8)
    assert found.verdict == Change.NONE


def test_it_calls_a_district_higher_only_where_the_interval_says_so():
    from lofte.analysis.situation import compare_rates

    # 300 incidents among 20 000 residents against 6 000 among 600 000: 1.5 times the municipality's.
    higher = compare_rates(300, 20_000, 6_000, 600_000)
    assert higher.ratio == pytest.approx(1.5) and higher.verdict == Change.INCREASE
    # The same at a dispersion of 9: still higher; at 30 no longer measurable.
    assert compare_rates(300, 20_000, 6_000, 600_000, dispersion=9).verdict == Change.INCREASE
    assert compare_rates(300, 20_000, 6_000, 600_000, dispersion=30).verdict == Change.NONE
    assert compare_rates(0, 1, 0, 1).verdict == Change.TOO_LITTLE_DATA
    with pytest.raises(ValueError):
        compare_rates(1, 0, 1, 1)
