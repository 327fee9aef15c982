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
