"""The tertial analysis's comparison of two periods (`lofte.analysis.periods`): R's `poisson.test`
intervals where the counts are Poisson, and calibrated over a page of overdispersed categories."""

import numpy as np
import pytest

from lofte.analysis.periods import compare_periods, weekly_dispersion
from lofte.analysis.vocabulary import Change


def weeks(total, n):
    counts = np.zeros(n)
    counts[0] = total
    return counts


@pytest.mark.parametrize(
    ("after", "before", "weeks_after", "weeks_before", "r"),
    [
        # R 4.x: poisson.test(c(after, before), c(weeks_after, weeks_before)): estimate, conf.int
        (30, 18, 17, 17, (1.6666666667, 0.8993560143, 3.1749748064)),
        (7, 1, 17, 17, (7.0, 0.8993003459, 315.4833853688)),
        (12, 20, 17, 18, (0.6352941176, 0.2831586684, 1.3645436312)),
    ],
)
def test_it_gives_r_poisson_tests_interval_for_poisson_counts(after, before, weeks_after, weeks_before, r):
    found = compare_periods(weeks(before, weeks_before), weeks(after, weeks_after), dispersion=1)
    assert (found.ratio, found.ci_low, found.ci_high) == pytest.approx(r, rel=1e-8)
    assert found.verdict == Change.NONE


def test_it_names_a_doubling_and_refuses_nothing_at_all():
    rng = np.random.default_rng(2)
    doubled = compare_periods(rng.poisson(5, 17), rng.poisson(10, 17))
    assert doubled.verdict == Change.INCREASE and doubled.ci_low > 1
    assert compare_periods(np.zeros(17), np.zeros(17)).verdict == Change.TOO_LITTLE_DATA
    appeared = compare_periods(np.zeros(17), np.full(17, 2.0))
    assert (appeared.ratio, appeared.verdict) == (None, Change.INCREASE)
    with pytest.raises(ValueError):
        compare_periods([], [1])


def test_the_dispersion_reads_spells_of_weeks():
    assert weekly_dispersion(np.full(17, 3.0)) == 1.0
    assert weekly_dispersion(np.r_[np.zeros(16), [34.0]]) > 10  # every event in one week


def page_of_ordinary_periods(rng, categories=20, n=17, size=2.0, **options):
    """Twenty categories, none changed: does the page say "rose" or "fell" anywhere?"""
    means = np.exp(rng.uniform(np.log(0.3), np.log(10), categories))
    said = False
    for mean in means:
        before = rng.negative_binomial(size, size / (size + mean), n)
        after = rng.negative_binomial(size, size / (size + mean), n)
        said |= compare_periods(before, after, comparisons=categories, **options).verdict in (
            Change.INCREASE, Change.DECREASE
        )  # fmt: skip
    return said


def test_a_page_of_unchanged_categories_says_changed_at_most_as_often_as_the_level():
    """400 pages of twenty overdispersed categories (negative binomial, size 2) without any change:
    the share of pages that call anything changed stays within two standard errors of 5 %. With
    Poisson's variance it is far above: the dispersion is what makes the intervals honest."""
    rng = np.random.default_rng(7)
    pages = 400
    share = np.mean([page_of_ordinary_periods(rng) for _ in range(pages)])
    assert share <= 0.05 + 2 * np.sqrt(0.05 * 0.95 / pages), share
    poisson = np.mean([page_of_ordinary_periods(rng, dispersion=1) for _ in range(100)])
    assert poisson > 0.3, poisson


def test_a_pattern_is_named_only_where_the_counts_are_more_uneven_than_chance():
    from lofte.analysis.periods import pattern

    assert pattern([30, 31, 29, 30, 28, 70, 72]).shown  # weekends
    assert not pattern([30, 31, 29, 30, 28, 35, 33]).shown
    assert pattern([1, 2, 0, 1, 0, 3, 2]).p_value is None  # too few to tell
    assert not pattern([30, 31, 29, 30, 28, 70, 72], dispersion=12).shown  # spells, not weekends
    rng = np.random.default_rng(5)
    named = np.mean([pattern(rng.poisson(20, 7)).shown for _ in range(2000)])
    assert named <= 0.05 + 2 * np.sqrt(0.05 * 0.95 / 2000)


def test_it_finds_the_detectable_fall_as_often_as_its_power_says():
    from lofte.analysis.periods import detectable_fall

    rng = np.random.default_rng(5)
    for before, phi in ((100, 1.0), (400, 2.0)):
        fall = detectable_fall(before, dispersion=phi)
        assert 0 < fall < 1
        found = 0

        def draw(mean, phi=phi):
            # 52 weekly counts with variance φ × mean: negative binomial in spells, Poisson without.
            if phi == 1:
                return rng.poisson(mean, 52)
            return rng.negative_binomial(mean / (phi - 1), 1 / phi, 52)

        for _ in range(2000):
            change = compare_periods(draw(before / 52), draw(before * fall / 52), dispersion=phi)
            found += change.verdict == Change.DECREASE
        assert 0.74 <= found / 2000 <= 0.86, (before, phi, fall, found)
    assert detectable_fall(0) is None and detectable_fall(3) is None
    assert detectable_fall(1000) > detectable_fall(100)
