"""The promise check: what makes a medborgarlöfte vague, found before it is published.

Reviews of citizen promises found commitments nobody was responsible for, targets nobody could
measure and outcomes nobody could detect. Each rule here looks for one of those and says how to
fix it; the findings are warnings (publishing anyway needs a stated reason, kept with the promise).

Pure: the facts come in as plain dataclasses (`lofte.promises.check` reads them from the database).
"""

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from . import wording
from .survey import minimum_detectable_difference
from .vocabulary import PATROL_METRICS, Comparator, Metric

# A target that needs this many times the pace of the last 90 days before the promise is flagged.
PACE_FACTOR = 3.0
# Planning assumptions for the smallest survey change a promise can hope to detect.
MDE_PROPORTION = 0.5  # the most uncertain proportion: the detectable change is largest there
MDE_DESIGN_EFFECT = 1.5  # what weighting typically costs a resident survey
MINUTES_A_DAY = 24 * 60


@dataclass(frozen=True)
class OutcomeFacts:
    """A survey question a commitment is meant to move, and how many answer it."""

    item: str
    expected_change: float | None  # percentage points, as the owners expect it; None: not stated
    baseline_n: int  # answers (or invitations) of the baseline wave; 0 without one
    follow_up_n: int  # of the follow-up wave; 0 without one (then assumed equal to the baseline)


@dataclass(frozen=True)
class CommitmentFacts:
    id: int | None
    kind: str  # "target" or "milestone"
    responsible: int  # how many organisations are responsible
    metric: str = ""
    comparator: str = Comparator.AT_LEAST
    target: float | None = None
    due: date | None = None
    places: int = 0  # places the commitment names (0: every place of the area)
    # The metric's pace per day: so far once the promise is under way, else in the 90 days before it;
    # None when the area has no record of this kind before the promise (nothing to judge by).
    recent_per_day: float | None = None
    outcome: OutcomeFacts | None = None
    causes: int = 0  # causes of the promise's cause tree the commitment addresses


@dataclass(frozen=True)
class PromiseFacts:
    period_start: date
    period_end: date
    area_places: int  # places in the promise's area
    incident_outcomes: int = 0  # incident types linked as outcomes
    causes: int = 0  # causes in the promise's cause tree (0: no cause analysis yet)
    commitments: tuple[CommitmentFacts, ...] = field(default_factory=tuple)

    @property
    def days(self) -> int:
        return (self.period_end - self.period_start).days + 1


@dataclass(frozen=True)
class Finding:
    """One thing to look at: the `rule` it breaks, and what to do as a sentence (`key`, one of
    `wording.CHECK`, with its `numbers`), written in English as `message`; pages write the same
    sentence in their language from the key (`wording.check`)."""

    commitment: int | None  # None: the promise as a whole
    rule: str
    message: str
    key: str = ""
    numbers: dict[str, float | str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _finding(commitment: int | None, rule: str, key: str, **numbers: float | str) -> Finding:
    return Finding(commitment, rule, wording.check(key, numbers), key, numbers)


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "findings": [f.to_dict() for f in self.findings]}


def check_promise(facts: PromiseFacts) -> CheckResult:
    """Every finding about the promise, in the order of its commitments, the promise's own last."""
    findings = [f for c in facts.commitments for f in _commitment_findings(facts, c)]
    if not facts.commitments:
        findings.append(_finding(None, "commitments", "no_commitments"))
    linked = facts.incident_outcomes + sum(c.outcome is not None for c in facts.commitments)
    if not linked:
        findings.append(_finding(None, "outcome", "no_outcome"))
    return CheckResult(tuple(findings))


def _commitment_findings(promise: PromiseFacts, c: CommitmentFacts) -> list[Finding]:
    found = []

    def say(rule: str, key: str, **numbers: float | str) -> None:
        found.append(_finding(c.id, rule, key, **numbers))

    if c.responsible == 0:
        say("responsible", "no_responsible")
    if c.kind == "milestone":
        if c.due is None:
            say("measurable", "no_due_date")
        elif not promise.period_start <= c.due <= promise.period_end:
            say("due_date", "due_outside_period")
    else:
        if not c.metric:
            say("measurable", "no_metric")
        if c.target is None:
            say("measurable", "no_target_value")
        if c.metric in PATROL_METRICS and c.places == 0 and promise.area_places == 0:
            say("places", "no_places")
        if c.metric and c.target is not None:
            for key, numbers in _unreachable(promise, c):
                say("reachable", key, **numbers)
    if c.outcome is not None:
        for key, numbers in _undetectable(c.outcome):
            say("detectable", key, **numbers)
    if promise.causes and not c.causes:
        say("cause", "no_cause")
    return found


Sentence = tuple[str, dict[str, float | str]]  # a key of wording.CHECK and its numbers


def _unreachable(promise: PromiseFacts, c: CommitmentFacts) -> list[Sentence]:
    """Why a target cannot be met in the period, if it cannot. A target per day is compared a day;
    a count for the whole period (seizures, activities, cases, minutes) over the period ("10 in the
    period", not "0.027 a day")."""
    assert c.target is not None
    wants_more = c.comparator in (Comparator.AT_LEAST, Comparator.MORE_THAN, Comparator.EXACTLY)
    if c.metric == Metric.KOPER_SHARE and c.target > 1:
        return [("share_above_one", {})]
    if c.metric == Metric.PATROL_MINUTES and c.target > promise.days * MINUTES_A_DAY * max(1, c.places):
        return [("minutes_above_period", {})]
    if not wants_more or c.recent_per_day is None or c.metric == Metric.KOPER_SHARE:
        return []
    daily = c.metric == Metric.PATROL_VISITS_PER_DAY
    per_day = c.target if daily else c.target / promise.days
    if per_day <= 0:
        return []
    span = "day" if daily else "period"
    needed = c.target
    recent = c.recent_per_day if daily else c.recent_per_day * promise.days
    if c.recent_per_day == 0:
        return [(f"nothing_logged_{span}", {"target": needed})]
    if per_day > PACE_FACTOR * c.recent_per_day:
        return [(f"pace_{span}", {"target": needed, "factor": PACE_FACTOR, "recent": recent})]
    return []


def _undetectable(outcome: OutcomeFacts) -> list[Sentence]:
    if outcome.baseline_n == 0:
        return [("no_baseline", {"item": outcome.item})]
    if outcome.expected_change is None:
        return [("no_expected_change", {"item": outcome.item})]
    mde = 100 * minimum_detectable_difference(
        outcome.baseline_n,
        outcome.follow_up_n or outcome.baseline_n,
        p=MDE_PROPORTION,
        deff=MDE_DESIGN_EFFECT,
    )
    if abs(outcome.expected_change) < mde:
        return [("undetectable", {"item": outcome.item, "expected": abs(outcome.expected_change), "detectable": mde})]
    return []
