"""Street value ranges from a dated price table, and the Koper share as a commitment metric."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from lofte.analysis.progress import MetricDefinition, target_progress
from lofte.analysis.seizures import street_value

PRICES = pd.DataFrame(
    [
        ("cannabis", "g", 100, 150, date(2015, 1, 1)),
        ("Cannabis", "g", 120, 180, date(2016, 7, 1)),
        ("kokain", "g", 700, 1000, date(2015, 1, 1)),
    ],
    columns=["substance", "unit", "low", "high", "valid_from"],
)


def seizures(*rows):
    return pd.DataFrame(rows, columns=["date", "kind", "quantity", "unit"])


def test_it_prices_each_seizure_with_the_row_valid_on_its_date():
    result = street_value(
        seizures(
            (date(2016, 3, 1), "cannabis", 1000, "g"),
            (date(2016, 8, 1), "Cannabis", 1000, "g"),
            (date(2016, 8, 1), "kokain", 10, "g"),
        ),
        PRICES,
    )
    assert (result.low, result.high) == (100_000 + 120_000 + 7_000, 150_000 + 180_000 + 10_000)
    assert (result.priced_seizures, result.unpriced_seizures) == (3, 0)


def test_it_counts_what_it_cannot_price_instead_of_guessing():
    result = street_value(
        seizures(
            (date(2014, 3, 1), "cannabis", 1000, "g"),
            (date(2016, 3, 1), "kokain", 3, "tablet"),
            (date(2016, 3, 1), "heroin", 5, "g"),
        ),
        PRICES,
    )
    assert (result.low, result.high, result.unpriced_seizures) == (0, 0, 3)


def test_the_demo_prices_give_about_ten_million_for_35_kg():
    from lofte.demo.scenario import NARCOTICS_G, STREET_PRICES

    prices = pd.DataFrame(
        [(s, "g", lo, hi, date(2016, 1, 1)) for s, lo, hi in STREET_PRICES],
        columns=["substance", "unit", "low", "high", "valid_from"],
    )
    rows = [(date(2016, 6, 1), kind, grams, "g") for kind, grams, _ in NARCOTICS_G]
    result = street_value(seizures(*rows), prices)
    assert result.low < 10_000_000 < result.high
    midpoint = (result.low + result.high) / 2 / 35_200
    assert 250 < midpoint < 320  # the real figures imply about 285 SEK a gram


def test_koper_share_is_the_share_of_visits_lasting_10_to_16_minutes():
    stockholm = ZoneInfo("Europe/Stockholm")
    start = datetime(2016, 5, 1, 20, tzinfo=stockholm)
    patrols = pd.DataFrame(
        [
            (1, start + timedelta(hours=k), start + timedelta(hours=k, minutes=m))
            for k, m in enumerate([5, 10, 12, 16, 17, 30])
        ],
        columns=["place_id", "start", "end"],
    )
    result = target_progress(
        MetricDefinition(metric="koper_share", target=0.5),
        patrols=patrols,
        period_start=date(2016, 3, 1),
        period_end=date(2017, 2, 28),
        today=date(2017, 6, 1),
        tz="Europe/Stockholm",
    )
    assert result.actual == pytest.approx(0.5)
    assert result.numbers["visits_10_to_16_minutes"] == 3
    assert result.status == "kept"


def test_support_cases_count_starts_in_the_period():
    cases = pd.DataFrame({"started": [date(2016, 2, 1), date(2016, 4, 1), date(2016, 9, 1)]})
    result = target_progress(
        MetricDefinition(metric="support_cases", target=10),
        cases=cases,
        period_start=date(2016, 3, 1),
        period_end=date(2017, 2, 28),
        today=date(2017, 6, 1),
        tz="Europe/Stockholm",
    )
    assert result.actual == 2 and result.status == "not_kept"
