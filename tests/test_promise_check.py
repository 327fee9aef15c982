"""The promise check: one test per rule, on plain facts, then on a stored promise."""

from dataclasses import replace
from datetime import date

import pytest

from lofte.analysis import wording
from lofte.analysis.promise_check import CommitmentFacts, OutcomeFacts, PromiseFacts, check_promise

PERIOD = dict(period_start=date(2016, 3, 1), period_end=date(2017, 2, 28), area_places=3, incident_outcomes=1)
GOOD_TARGET = CommitmentFacts(
    id=1, kind="target", responsible=1, metric="patrol_visits_per_day", target=2.5, places=3, recent_per_day=2.0
)
GOOD_MILESTONE = CommitmentFacts(id=2, kind="milestone", responsible=2, due=date(2016, 9, 1))


def rules(*commitments, **promise):
    facts = PromiseFacts(**(PERIOD | promise), commitments=tuple(commitments))
    return [(f.commitment, f.rule) for f in check_promise(facts).findings]


def test_a_clear_promise_passes():
    facts = PromiseFacts(**PERIOD, commitments=(GOOD_TARGET, GOOD_MILESTONE))
    result = check_promise(facts)
    assert result.ok and result.to_dict() == {"ok": True, "findings": []}


def test_every_commitment_needs_someone_responsible():
    assert rules(replace(GOOD_TARGET, responsible=0)) == [(1, "responsible")]


@pytest.mark.parametrize(
    "vague",
    [
        replace(GOOD_TARGET, metric=""),
        replace(GOOD_TARGET, target=None),
        replace(GOOD_MILESTONE, due=None),
    ],
)
def test_a_target_needs_a_metric_and_a_value_and_a_milestone_a_date(vague):
    assert rules(vague) == [(vague.id, "measurable")]


def test_a_milestone_is_due_within_the_period():
    assert rules(replace(GOOD_MILESTONE, due=date(2017, 6, 1))) == [(2, "due_date")]


def test_a_patrol_target_needs_places():
    assert rules(replace(GOOD_TARGET, places=0), area_places=0) == [(1, "places")]
    assert rules(replace(GOOD_TARGET, places=0)) == []  # every place of the area


@pytest.mark.parametrize(
    "target, recent, flagged",
    [
        (2.5, 2.0, False),  # near the pace
        (10, 2.0, True),  # five times the pace
        (10, 0.0, True),  # nothing logged lately
        (10, None, False),  # nothing to judge by
    ],
)
def test_a_target_far_beyond_the_recent_pace_is_flagged(target, recent, flagged):
    found = rules(replace(GOOD_TARGET, target=target, recent_per_day=recent))
    assert found == ([(1, "reachable")] if flagged else [])


def test_impossible_shares_and_minutes_are_flagged_and_upper_limits_are_not_paced():
    assert rules(replace(GOOD_TARGET, metric="koper_share", target=60)) == [(1, "reachable")]
    assert rules(replace(GOOD_TARGET, metric="patrol_minutes", target=10**7, recent_per_day=None)) == [(1, "reachable")]
    assert rules(replace(GOOD_TARGET, comparator="<=", target=100, recent_per_day=0.1)) == []


def test_an_expected_survey_change_must_be_detectable():
    # DESIGN.md section 3: two waves of 1 000, p = 0.5, 80 % power: 6.3 points; with a design
    # effect of 1.5 (the check's planning assumption): 7.7 points.
    outcome = OutcomeFacts(item="otrygg_kvall", expected_change=-5, baseline_n=1000, follow_up_n=1000)
    findings = check_promise(PromiseFacts(**PERIOD, commitments=(replace(GOOD_TARGET, outcome=outcome),))).findings
    assert [(f.rule, "7.7 points" in f.message) for f in findings] == [("detectable", True)]
    assert rules(replace(GOOD_TARGET, outcome=replace(outcome, expected_change=-10))) == []
    assert rules(replace(GOOD_TARGET, outcome=replace(outcome, expected_change=None))) == [(1, "detectable")]
    assert rules(replace(GOOD_TARGET, outcome=replace(outcome, baseline_n=0))) == [(1, "detectable")]


def test_a_promise_needs_an_outcome_and_a_commitment():
    assert rules(GOOD_TARGET, incident_outcomes=0) == [(None, "outcome")]
    outcome = OutcomeFacts(item="x", expected_change=-10, baseline_n=1000, follow_up_n=1000)
    assert rules(replace(GOOD_TARGET, outcome=outcome), incident_outcomes=0) == []
    assert rules() == [(None, "commitments")]


def test_a_count_for_the_period_is_paced_over_the_period_not_a_day():
    seizures = replace(GOOD_TARGET, metric="seizures", target=10, places=0, recent_per_day=1 / 365)
    (found,) = check_promise(PromiseFacts(**PERIOD, commitments=(seizures,))).findings
    assert (found.key, found.numbers) == ("pace_period", {"target": 10, "factor": 3.0, "recent": 1.0})
    assert found.message.startswith("The target needs 10 in the promise's period, more than 3 times the 1 ")
    visits = check_promise(PromiseFacts(**PERIOD, commitments=(replace(GOOD_TARGET, target=2, recent_per_day=0.027),)))
    assert visits.findings[0].message.startswith("The target needs 2 a day, more than 3 times the recent 0.027 a day")


def test_each_finding_is_a_sentence_key_with_its_numbers():
    outcome = OutcomeFacts(item="otrygg_kvall", expected_change=-5, baseline_n=1000, follow_up_n=1000)
    (found,) = check_promise(PromiseFacts(**PERIOD, commitments=(replace(GOOD_TARGET, outcome=outcome),))).findings
    assert found.key == "undetectable" and found.numbers["item"] == "otrygg_kvall"
    assert found.numbers["expected"] == 5 and round(found.numbers["detectable"], 1) == 7.7
    assert wording.check(found.key, found.numbers) == found.message
