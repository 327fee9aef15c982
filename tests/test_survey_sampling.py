import numpy as np
import pytest

from lofte.analysis.sampling import SamplingError, allocate, stratified_sample
from lofte.analysis.survey_index import index_scores


def test_it_allocates_proportionally_with_largest_remainders():
    n = allocate([5000, 3000, 2000], 1000)
    assert n.tolist() == [500, 300, 200]
    n = allocate([1000, 1000, 1000], 1000)
    assert n.sum() == 1000 and sorted(n.tolist()) == [333, 333, 334]


def test_it_gives_every_stratum_a_minimum():
    n = allocate([10000, 10], 100, minimum=2)
    assert n.tolist() == [98, 2]


def test_it_allocates_equally():
    assert allocate([10000, 500, 300], 300, method="equal").tolist() == [100, 100, 100]


def test_it_refuses_impossible_samples():
    with pytest.raises(SamplingError, match="larger than the frame"):
        allocate([10, 10], 30)
    with pytest.raises(SamplingError, match="unknown allocation"):
        allocate([10, 10], 5, method="neyman")
    with pytest.raises(SamplingError, match="cannot give 2 people"):
        allocate([10, 10, 10], 5)


def test_it_draws_the_same_sample_for_the_same_seed():
    strata = np.repeat(["a", "b", "c"], [600, 300, 100])
    one = stratified_sample(strata, 100, seed=7)
    two = stratified_sample(strata, 100, seed=7)
    other = stratified_sample(strata, 100, seed=8)
    assert one.rows.tolist() == two.rows.tolist()
    assert one.rows.tolist() != other.rows.tolist()
    assert len(set(one.rows.tolist())) == 100
    drawn = strata[one.rows]
    assert [(drawn == s).sum() for s in "abc"] == [60, 30, 10]
    assert one.weight("a") == 10.0 and one.weight("c") == 10.0


def test_it_takes_a_fixed_allocation():
    strata = np.repeat(["a", "b"], [50, 50])
    sample = stratified_sample(strata, 0, allocation={"a": 5, "b": 20}, seed=1)
    assert sample.allocation.tolist() == [5, 20]
    assert sample.weight("a") == 10.0 and sample.weight("b") == 2.5
    with pytest.raises(SamplingError, match="not in the frame"):
        stratified_sample(strata, 0, allocation={"z": 5}, seed=1)


def test_it_scores_the_problem_index_with_a_minimum_of_answers():
    answers = {"a": ["1", "4", "dk", None], "b": ["2", "4", "3", None], "c": ["1", "", "4", "2"]}
    scores = index_scores(answers, scores={"1": 0, "2": 1, "3": 2, "4": 3}, min_answered=2)
    assert scores[0] == pytest.approx(1 / 3)
    assert scores[1] == 3.0
    assert scores[2] == 2.5
    assert np.isnan(scores[3])  # one answer only
    weighted = index_scores(answers, scores={"1": 0, "2": 1, "3": 2, "4": 3}, weights={"a": 2}, min_answered=1)
    assert weighted[0] == pytest.approx(1 / 4)
    assert answers["a"] == ["1", "4", "dk", None]  # inputs are not changed
