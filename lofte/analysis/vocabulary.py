"""The words Löfte's numbers are stated in, declared once.

The models' choices (`Commitment.Metric`, `Wave.Kind`, …), the API's schemas and the templates take
their values from these enums; `tests/test_vocabulary.py` proves that they stay in step. Members are
strings (`StrEnum`), so they compare equal to the values stored in the database.
"""

from enum import StrEnum


class Metric(StrEnum):
    """What a measurable target counts."""

    PATROL_VISITS = "patrol_visits"
    PATROL_VISITS_PER_DAY = "patrol_visits_per_day"
    PATROL_MINUTES = "patrol_minutes"
    KOPER_SHARE = "koper_share"  # share of visits lasting 10-16 minutes
    SEIZURES = "seizures"
    ACTIVITIES = "activities"
    SUPPORT_CASES = "support_cases"


PATROL_METRICS = frozenset(
    {Metric.PATROL_VISITS, Metric.PATROL_VISITS_PER_DAY, Metric.PATROL_MINUTES, Metric.KOPER_SHARE}
)
RATE_METRICS = frozenset({Metric.PATROL_VISITS_PER_DAY, Metric.KOPER_SHARE})  # not summed over time


class Comparator(StrEnum):
    """How the actual value must relate to the target."""

    AT_LEAST = ">="
    MORE_THAN = ">"
    AT_MOST = "<="
    LESS_THAN = "<"
    EXACTLY = "=="


class Measure(StrEnum):
    """What of a seizure is summed."""

    COUNT = "count"
    PIECES = "pieces"
    WEIGHT_G = "weight_g"


class Status(StrEnum):
    """Where a commitment stands."""

    KEPT = "kept"
    PARTLY_KEPT = "partly_kept"
    NOT_KEPT = "not_kept"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NOT_STARTED = "not_started"
    UNMEASURABLE = "unmeasurable"  # a target without a metric or value, a milestone without a date


class Change(StrEnum):
    """What a comparison with its interval says (a trend, or a survey indicator between two waves)."""

    INCREASE = "increase"
    DECREASE = "decrease"
    NONE = "no measurable change"
    TOO_LITTLE_DATA = "too little data"


class Verdict(StrEnum):
    """A survey change read against the direction that is better for residents."""

    BETTER = "better"
    WORSE = "worse"
    CHANGE = "change"  # measurable, for an indicator without a better direction
    NONE = "none"


class WaveKind(StrEnum):
    """The role of a survey wave."""

    BASELINE = "baseline"
    FOLLOW_UP = "follow_up"
    OTHER = "other"
