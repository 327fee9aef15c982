"""The pure progress function: statuses, partial fulfilment, local days across DST."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from lofte.analysis.progress import MetricDefinition, milestone_progress, target_progress

STOCKHOLM = ZoneInfo("Europe/Stockholm")
UTC = UTC
PERIOD = dict(period_start=date(2016, 3, 1), period_end=date(2017, 2, 28))
YEAR = dict(PERIOD, tz="Europe/Stockholm")  # for targets, which count local days


def patrols(*spans, place_id=1):
    return pd.DataFrame([(place_id, s, e) for s, e in spans], columns=["place_id", "start", "end"])


def daily_visits(n_days, per_day=3, first=date(2016, 3, 1)):
    spans = []
    for d in range(n_days):
        day = first + timedelta(days=d)
        for k in range(per_day):
            start = datetime(day.year, day.month, day.day, 18 + k, 0, tzinfo=STOCKHOLM)
            spans.append((start, start + timedelta(minutes=12)))
    return patrols(*spans)


def test_it_counts_visits_per_day_over_the_whole_period_once_it_has_ended():
    frame = daily_visits(365, per_day=3)
    definition = MetricDefinition(metric="patrol_visits_per_day", target=2.5)
    result = target_progress(definition, patrols=frame, today=date(2026, 1, 1), **YEAR)
    assert result.status == "kept"
    assert result.actual == pytest.approx(3.0)
    assert result.numbers["visits"] == 1095
    assert result.numbers["days"] == 365


def test_it_reports_1016_visits_as_2_78_a_day():
    frame = daily_visits(365, per_day=3).iloc[:1016]
    definition = MetricDefinition(metric="patrol_visits_per_day", target=2.5)
    result = target_progress(definition, patrols=frame, today=date(2017, 6, 1), **YEAR)
    assert result.numbers["visits"] == 1016
    assert round(result.actual, 2) == 2.78


def test_it_marks_a_target_partly_kept_above_half_and_not_kept_below():
    definition = MetricDefinition(metric="patrol_visits", target=100)
    partly = target_progress(definition, patrols=daily_visits(20, per_day=3), today=date(2018, 1, 1), **YEAR)
    assert (partly.actual, partly.status) == (60.0, "partly_kept")
    assert partly.numbers["share_of_target"] == 0.6
    low = target_progress(definition, patrols=daily_visits(10, per_day=3), today=date(2018, 1, 1), **YEAR)
    assert (low.actual, low.status) == (30.0, "not_kept")
    stricter = target_progress(
        definition, patrols=daily_visits(20, per_day=3), today=date(2018, 1, 1), partial_share=0.75, **YEAR
    )
    assert stricter.status == "not_kept"


def test_it_counts_days_up_to_today_while_the_period_runs():
    definition = MetricDefinition(metric="patrol_visits_per_day", target=2.5)
    # 10 days into the period, 3 visits on each of the first 10 days, and some "future" rows.
    frame = daily_visits(30, per_day=3)
    result = target_progress(definition, patrols=frame, today=date(2016, 3, 10), **YEAR)
    assert result.numbers["days"] == 10
    assert result.numbers["visits"] == 30
    assert result.status == "on_track"
    assert result.as_of == date(2016, 3, 10)
    behind = target_progress(definition, patrols=daily_visits(10, per_day=2), today=date(2016, 3, 10), **YEAR)
    assert behind.status == "behind"


def test_it_judges_a_cumulative_target_by_its_pace_while_running():
    definition = MetricDefinition(metric="activities", kind="information_meeting", target=10)
    meetings = pd.DataFrame(
        {
            "start": [datetime(2016, 3, 5, 18, tzinfo=STOCKHOLM), datetime(2016, 5, 5, 18, tzinfo=STOCKHOLM)],
            "kind": ["information_meeting", "information_meeting"],
        }
    )
    # Mid-period (day 92 of 365): expected 2.5 meetings by now, 2 held: behind.
    result = target_progress(definition, activities=meetings, today=date(2016, 5, 31), **YEAR)
    assert result.status == "behind"
    assert result.numbers["expected_by_now"] == pytest.approx(10 * 92 / 365, abs=0.01)
    early = target_progress(definition, activities=meetings, today=date(2016, 3, 20), **YEAR)
    assert early.status == "on_track"


def test_it_is_not_started_before_the_period():
    definition = MetricDefinition(metric="patrol_visits", target=10)
    assert target_progress(definition, today=date(2016, 1, 1), **YEAR).status == "not_started"


def test_it_counts_a_visit_on_its_local_day_across_the_spring_dst_change():
    # 2016-03-27: clocks go 02:00 -> 03:00 in Sweden. 00:30 local is 23:30 UTC the day before.
    visit = datetime(2016, 3, 26, 23, 30, tzinfo=UTC)
    frame = patrols((visit, visit + timedelta(minutes=15)))
    definition = MetricDefinition(metric="patrol_visits", target=1)
    on_day = target_progress(
        definition,
        patrols=frame,
        today=date(2016, 3, 27),
        period_start=date(2016, 3, 27),
        period_end=date(2016, 3, 27),
        tz="Europe/Stockholm",
    )
    assert on_day.actual == 1.0
    day_before = target_progress(
        definition,
        patrols=frame,
        today=date(2016, 3, 26),
        period_start=date(2016, 3, 26),
        period_end=date(2016, 3, 26),
        tz="Europe/Stockholm",
    )
    assert day_before.actual == 0.0


def test_it_measures_patrol_minutes_in_real_time_across_dst_changes():
    # 01:30 to 03:30 local on 2016-03-27 is one real hour; on 2016-10-30 01:30-02:30 (first) to
    # 02:30 (second) is also one hour, though the wall clock shows 02:30 twice.
    spring = (datetime(2016, 3, 27, 1, 30, tzinfo=STOCKHOLM), datetime(2016, 3, 27, 3, 30, tzinfo=STOCKHOLM))
    autumn = (datetime(2016, 10, 30, 2, 30, tzinfo=STOCKHOLM), datetime(2016, 10, 30, 2, 30, fold=1, tzinfo=STOCKHOLM))
    definition = MetricDefinition(metric="patrol_minutes", target=100)
    result = target_progress(definition, patrols=patrols(spring, autumn), today=date(2017, 6, 1), **YEAR)
    assert result.actual == pytest.approx(120.0)
    assert result.status == "kept"


def test_it_filters_patrols_by_place():
    frame = pd.concat([daily_visits(5, per_day=1), daily_visits(5, per_day=2).assign(place_id=2)])
    definition = MetricDefinition(metric="patrol_visits", target=1, place_ids=(2,))
    result = target_progress(definition, patrols=frame, today=date(2016, 3, 5), **YEAR)
    assert result.actual == 10.0


def test_it_counts_seizures_by_category_kind_pieces_and_weight():
    seizures = pd.DataFrame(
        [
            (date(2016, 4, 1), "weapon", "pistol", False, 2, "piece"),
            (date(2016, 4, 2), "weapon", "automatkarbin", True, 1, "piece"),
            (date(2016, 4, 3), "narcotics", "cannabis", False, 1500.5, "g"),
            (date(2016, 4, 4), "narcotics", "kokain", False, 99.5, "g"),
            (date(2016, 4, 5), "narcotics", "ecstasy", False, 40, "tablet"),
            (date(2015, 4, 5), "narcotics", "cannabis", False, 9999, "g"),  # before the period
        ],
        columns=["date", "category", "kind", "automatic", "quantity", "unit"],
    )
    kw = dict(seizures=seizures, today=date(2017, 6, 1), **YEAR)

    def actual(**options):
        return target_progress(MetricDefinition(metric="seizures", target=1, **options), **kw).actual

    assert actual() == 5
    assert actual(category="weapon") == 2
    assert actual(category="weapon", measure="pieces") == 3
    assert actual(category="weapon", automatic_only=True, measure="pieces") == 1
    assert actual(category="narcotics", measure="weight_g") == pytest.approx(1600.0)
    assert actual(category="narcotics", kind="Cannabis", measure="weight_g") == pytest.approx(1500.5)


def test_it_does_not_mutate_its_inputs():
    frame = daily_visits(3)
    before = frame.copy()
    target_progress(MetricDefinition(metric="patrol_minutes", target=1), patrols=frame, today=date(2016, 3, 2), **YEAR)
    pd.testing.assert_frame_equal(frame, before)


def test_it_rejects_unknown_metrics_and_comparators():
    with pytest.raises(ValueError, match="metric"):
        MetricDefinition(metric="happiness")
    with pytest.raises(ValueError, match="comparator"):
        MetricDefinition(metric="patrol_visits", comparator="~")
    with pytest.raises(ValueError, match="measure"):
        MetricDefinition(metric="patrol_visits", measure="weight_g")


def test_it_treats_an_overspent_at_most_budget_as_not_kept_while_running():
    definition = MetricDefinition(metric="patrol_visits", comparator="<=", target=5)
    result = target_progress(definition, patrols=daily_visits(3, per_day=3), today=date(2016, 3, 3), **YEAR)
    assert result.status == "not_kept"


@pytest.mark.parametrize(
    "done, today, status",
    [
        (date(2016, 5, 1), date(2016, 5, 2), "kept"),
        (date(2016, 7, 1), date(2016, 7, 2), "partly_kept"),
        (None, date(2016, 5, 1), "on_track"),
        (None, date(2016, 7, 1), "behind"),
        (None, date(2017, 7, 1), "not_kept"),
        (None, date(2016, 1, 1), "not_started"),
        (date(2016, 5, 1), date(2016, 4, 1), "on_track"),  # a done date in the future does not count yet
    ],
)
def test_it_gives_milestones_their_status(done, today, status):
    result = milestone_progress(due=date(2016, 6, 1), done=done, today=today, **PERIOD)
    assert result.status == status
    if status == "partly_kept":
        assert result.numbers["days_late"] == 30


def test_it_serialises_to_a_dict():
    result = milestone_progress(due=date(2016, 6, 1), done=date(2016, 5, 1), today=date(2017, 1, 1), **PERIOD)
    assert result.to_dict()["as_of"] == "2016-05-01"
    assert result.to_dict()["status"] == "kept"


def test_visits_shorter_than_the_minimum_do_not_count():
    # Issue 24: a visit of 0 minutes counted towards "twice a day".
    start = datetime(2016, 3, 1, 18, 0, tzinfo=STOCKHOLM)
    frame = patrols((start, start), (start, start + timedelta(seconds=30)), (start, start + timedelta(minutes=12)))
    every = MetricDefinition(metric="patrol_visits", target=1)
    counted = MetricDefinition(metric="patrol_visits", target=1, min_visit_minutes=1)
    assert target_progress(every, patrols=frame, today=date(2017, 6, 1), **YEAR).actual == 3
    result = target_progress(counted, patrols=frame, today=date(2017, 6, 1), **YEAR)
    assert result.actual == 1 and result.numbers["short_visits"] == 2 and result.numbers["minutes"] == 12
    minutes = MetricDefinition(metric="patrol_minutes", target=1, min_visit_minutes=1)
    assert target_progress(minutes, patrols=frame, today=date(2017, 6, 1), **YEAR).actual == 12
