"""Visits from crafted GPS tracks, and the dosage summary."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from shapely.geometry import box

from lofte.analysis.dosage import Geofences, dosage, extract_visits, hot_hours, place_of_pings

STOCKHOLM = ZoneInfo("Europe/Stockholm")
FENCES = Geofences.build([10, 20], cx=[0.0, 1000.0], cy=[0.0, 0.0], radius=[75.0, 75.0])


def epoch(*args, tz=STOCKHOLM, fold=0):
    return int(datetime(*args, tzinfo=tz, fold=fold).timestamp())


def track(start, minutes, *, every=30, x=0.0, y=0.0, unit=1):
    t = start + np.arange(0, minutes * 60 + 1, every)
    return np.full(len(t), unit), t, np.full(len(t), x), np.full(len(t), y)


def join(*tracks):
    return [np.concatenate(parts) for parts in zip(*tracks)]


def test_it_turns_a_stay_into_one_visit_with_its_minutes():
    unit, t, x, y = track(epoch(2016, 5, 1, 20, 0), 12)
    visits = extract_visits(unit, t, x, y, FENCES)
    assert len(visits) == 1
    assert (visits.place[0], visits.minutes[0], visits.pings[0]) == (0, 12.0, 25)


def test_a_gap_longer_than_the_tolerance_splits_a_visit_and_a_short_one_does_not():
    first = track(epoch(2016, 5, 1, 20, 0), 5)
    short_gap = track(epoch(2016, 5, 1, 20, 6, 30) - 0, 5)  # 90 s after the last ping
    long_gap = track(epoch(2016, 5, 1, 20, 20), 5)  # more than 2 minutes later
    visits = extract_visits(*join(first, short_gap, long_gap), FENCES)
    assert visits.minutes.tolist() == [11.5, 5.0]


def test_jitter_across_the_boundary_does_not_split_a_visit():
    unit, t, x, y = track(epoch(2016, 5, 1, 20, 0), 10, every=20)
    x = x.copy()
    x[5::7] = 80.0  # every seventh ping lands 5 m outside the 75 m geofence
    visits = extract_visits(unit, t, x, y, FENCES)
    assert len(visits) == 1 and visits.minutes[0] == 10.0


def test_it_keeps_units_and_places_apart_and_sorts_unsorted_pings():
    a = track(epoch(2016, 5, 1, 20, 0), 10, unit=1)
    b = track(epoch(2016, 5, 1, 20, 0), 10, unit=2, x=1000.0)
    unit, t, x, y = join(a, b)
    order = np.random.default_rng(1).permutation(len(t))
    visits = extract_visits(unit[order], t[order], x[order], y[order], FENCES)
    assert sorted(zip(visits.unit.tolist(), visits.place.tolist())) == [(1, 0), (2, 1)]
    assert visits.minutes.tolist() == [10.0, 10.0]
    assert unit[order][0] == unit[order][0]  # inputs untouched


def test_a_visit_across_midnight_and_across_the_autumn_dst_change_has_its_real_length():
    midnight = track(epoch(2016, 5, 1, 23, 55), 10)
    visits = extract_visits(*midnight, FENCES)
    assert visits.minutes.tolist() == [10.0]
    # 2016-10-30: 02:50 CEST, then the clock goes back; 15 real minutes end at 02:05 CET.
    start = epoch(2016, 10, 30, 2, 50)
    assert epoch(2016, 10, 30, 2, 5, fold=1) - start == 15 * 60
    visits = extract_visits(*track(start, 15), FENCES)
    assert visits.minutes.tolist() == [15.0]


def test_short_visits_are_dropped():
    visits = extract_visits(*track(epoch(2016, 5, 1, 20, 0), 0.5), FENCES, min_minutes=1)
    assert len(visits) == 0


def test_polygon_geofences_work_too():
    fences = Geofences.build([1], polygons=[box(-50, -50, 50, 50)])
    assert place_of_pings([0, 49, 51], [0, 0, 0], fences).tolist() == [0, 0, -1]


def test_the_dosage_summary_reports_koper_share_gaps_and_hot_hours():
    day = date(2016, 5, 1)
    starts, ends, places = [], [], []
    for k, minutes in enumerate([5, 12, 15, 30]):
        s = epoch(2016, 5, 1, 20 + k % 3, 0)
        starts.append(s), ends.append(s + minutes * 60), places.append(10)
    starts.append(epoch(2016, 5, 1, 12, 0)), ends.append(epoch(2016, 5, 1, 12, 10)), places.append(99)
    incidents = [epoch(2016, 5, 1, 21, 30)] * 6 + [epoch(2016, 5, 1, 3, 0)] * 2
    result = dosage(
        places,
        starts,
        ends,
        period_start=day,
        period_end=day,
        places=[10, 20],
        control_places=[99],
        incident_times=incidents,
        tz="Europe/Stockholm",
    )
    assert result.visits == 4 and result.days == 1
    assert result.koper_share == 0.5
    assert result.visits_per_day == {10: 4.0, 20: 0.0}
    assert result.longest_gap_hours[20] == 24.0
    assert result.hot_hours == [21]
    assert result.control_visits == 1 and result.control_minutes == 10.0
    # Minutes 21:00-22:00: visit 2 (21:00-21:12) and visit 4's first... visits start at 20, 21, 22, 20.
    assert result.minutes_in_hot_hours_share == pytest.approx(12 / 62)
    assert result.hot_hours_share_of_day == pytest.approx(1 / 24)


def test_hot_hours_hold_half_of_the_incidents():
    assert hot_hours([22] * 5 + [23] * 3 + [1] * 2) == [22]
    assert hot_hours([22] * 4 + [23] * 3 + [1] * 2) == [22, 23]
    assert hot_hours([]) == []
