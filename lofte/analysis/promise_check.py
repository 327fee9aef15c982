"""The promise check: what makes a medborgarlöfte vague, found before it is published.

Reviews of citizen promises found commitments nobody was responsible for, targets nobody could
measure and outcomes nobody could detect. Each rule here looks for one of those and says how to
fix it; the findings are warnings (publishing anyway needs a stated reason, kept with the promise).

Pure: the facts come in as plain dataclasses (`lofte.promises.check` reads them from the database).
"""

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

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
    commitment: int | None  # None: the promise as a whole
    rule: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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
        findings.append(Finding(None, "commitments", "Add at least one commitment: what will you do?"))
    linked = facts.incident_outcomes + sum(c.outcome is not None for c in facts.commitments)
    if not linked:
        findings.append(
            Finding(
                None,
                "outcome",
                "Link at least one outcome: a survey question or the incident types the problem is about, "
                "so that the follow-up can say whether the promise helped.",
            )
        )
    return CheckResult(tuple(findings))


def _commitment_findings(promise: PromiseFacts, c: CommitmentFacts) -> list[Finding]:
    found = []

    def say(rule: str, message: str) -> None:
        found.append(Finding(c.id, rule, message))

    if c.responsible == 0:
        say("responsible", "Name the organisation responsible for this commitment.")
    if c.kind == "milestone":
        if c.due is None:
            say("measurable", "Give the milestone a due date.")
        elif not promise.period_start <= c.due <= promise.period_end:
            say("due_date", "The due date lies outside the promise's period: move it inside, or change the period.")
    else:
        if not c.metric:
            say("measurable", "Choose a metric Löfte can count, or make this a milestone with a due date.")
        if c.target is None:
            say("measurable", "Give the target a value.")
        if c.metric in PATROL_METRICS and c.places == 0 and promise.area_places == 0:
            say("places", "Add the places this patrol target applies to: the area has no places yet.")
        if c.metric and c.target is not None:
            found.extend(Finding(c.id, "reachable", m) for m in _unreachable(promise, c))
    if c.outcome is not None:
        found.extend(Finding(c.id, "detectable", m) for m in _undetectable(c.outcome))
    if promise.causes and not c.causes:
        say("cause", "Link the causes this commitment addresses: a commitment no cause calls for is hard to defend.")
    return found


def _unreachable(promise: PromiseFacts, c: CommitmentFacts) -> list[str]:
    """Why a target cannot be met in the period, if it cannot."""
    assert c.target is not None
    wants_more = c.comparator in (Comparator.AT_LEAST, Comparator.MORE_THAN, Comparator.EXACTLY)
    if c.metric == Metric.KOPER_SHARE and c.target > 1:
        return ["A share is at most 1 (100 %): write 0.6 for 60 %."]
    if c.metric == Metric.PATROL_MINUTES and c.target > promise.days * MINUTES_A_DAY * max(1, c.places):
        return ["More patrol minutes than the period has, even with a patrol at every place all day."]
    if not wants_more or c.recent_per_day is None or c.metric == Metric.KOPER_SHARE:
        return []
    per_day = c.target if c.metric == Metric.PATROL_VISITS_PER_DAY else c.target / promise.days
    if per_day <= 0:
        return []
    if c.recent_per_day == 0:
        return [
            f"Nothing of this kind has been logged here lately, and the target needs {per_day:.2g} a day: "
            f"plan who will do it, or set a target the period can reach."
        ]
    if per_day > PACE_FACTOR * c.recent_per_day:
        return [
            f"The target needs {per_day:.2g} a day, more than {PACE_FACTOR:g} times the recent "
            f"{c.recent_per_day:.2g} a day: plan the extra work, or lower the target."
        ]
    return []


def _undetectable(outcome: OutcomeFacts) -> list[str]:
    if outcome.baseline_n == 0:
        return [f"The survey of '{outcome.item}' has no baseline wave: without one, no change can be shown."]
    if outcome.expected_change is None:
        return [f"Say how much you expect '{outcome.item}' to change (percentage points), so it can be checked."]
    mde = 100 * minimum_detectable_difference(
        outcome.baseline_n,
        outcome.follow_up_n or outcome.baseline_n,
        p=MDE_PROPORTION,
        deff=MDE_DESIGN_EFFECT,
    )
    if abs(outcome.expected_change) < mde:
        return [
            f"An expected change of {abs(outcome.expected_change):.3g} percentage points in '{outcome.item}' is "
            f"smaller than the {mde:.2g} points the survey can detect: ask more residents, or expect no "
            f"measurable change."
        ]
    return []
