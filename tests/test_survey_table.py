"""The fast table of estimates agrees with one-at-a-time estimation (which agrees with R)."""

import numpy as np
import pandas as pd
import pytest

from lofte.analysis import survey as sv
from lofte.analysis.survey_table import estimate_table

from .test_survey_estimation import generated, python_design


@pytest.mark.parametrize("kind", ["stratified", "clustered", "raked"])
def test_the_table_matches_single_estimates(kind):
    df = generated(5)
    d = python_design(kind, df)
    items = {"unsafe": df.unsafe.tolist(), "worry": df.worry.tolist(), "sex": df.sex.tolist()}
    rows = estimate_table(d, items, domains=df.area, ci="korn-graubard")
    assert len(rows) == 3 * (2 + 4 + 1 + 1 + 2)  # three domains x (levels + means of numeric items)
    for row in rows:
        domain = None if row["domain"] == "all" else (df.area == row["domain"]).to_numpy()
        column = pd.Series(items[row["item"]], dtype=object)
        missing = column.isna().to_numpy()
        if row["level"] == "mean":
            expected = sv.mean(d, column.astype(float), domain=domain)
        else:
            y = np.where(missing, np.nan, (column == row["level"]).astype(float))
            expected = sv.proportion(d, y, domain=domain, ci="korn-graubard")
        got = (row["estimate"], row["se"], row["ci_low"], row["ci_high"], row["deff"])
        assert got == pytest.approx(
            (expected.estimate, expected.se, expected.ci_low, expected.ci_high, expected.deff), rel=1e-9, abs=1e-7
        ), row  # raked margins: se ~ 0
        assert row["n"] == expected.n


def test_two_stage_designs_with_population_sizes_take_the_exact_path():
    rng = np.random.default_rng(1)
    psu = np.repeat(np.arange(8), 6)
    d = sv.design(clusters=[psu, np.arange(48)], popsize=[np.full(48, 30), np.full(48, 20)])
    y = rng.integers(0, 2, 48)
    (row0, row1, mean_row) = estimate_table(d, {"y": y.tolist()})
    assert row1["se"] == pytest.approx(sv.proportion(d, y).se, rel=1e-12)


def test_blank_none_and_nan_answers_are_left_out():
    d = sv.design(weights=[1, 1, 1, 1, 1, 2])
    rows = estimate_table(d, {"q": ["1", "", None, float("nan"), "2", "2"]})
    by_level = {r["level"]: r for r in rows}
    assert set(by_level) == {1, 2, "mean"}
    assert by_level[2]["n"] == 3 and by_level[2]["estimate"] == pytest.approx(3 / 4)
    assert by_level["mean"]["estimate"] == pytest.approx((1 + 2 * 3) / 4)
