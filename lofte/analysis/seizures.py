"""Estimated street value of seized narcotics, as a range, from a dated price table.

A price row applies to one substance (matched case-insensitively) and one unit (g,
tablet, ml) from its `valid_from` date until a newer row for the same substance and unit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class StreetValue:
    low: float  # SEK
    high: float
    priced_seizures: int
    unpriced_seizures: int  # no price row for their substance, unit and date
    by_substance: dict[str, tuple[float, float, float, str]]  # substance -> (low, high, quantity, unit)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def street_value(seizures: pd.DataFrame, prices: pd.DataFrame) -> StreetValue:
    """Value range of narcotics seizures.

    Parameters
    ----------
    seizures : DataFrame with date, kind (substance), quantity, unit
    prices : DataFrame with substance, unit, low, high (SEK per unit), valid_from (date)

    Returns
    -------
    StreetValue; inputs are not modified.
    """
    import pandas as pd

    if not len(seizures):
        return StreetValue(0.0, 0.0, 0, 0, {})
    s = seizures.assign(
        _key=seizures["kind"].str.casefold(), _date=pd.to_datetime(seizures["date"]), _row=np.arange(len(seizures))
    )
    if len(prices):
        p = prices.assign(_key=prices["substance"].str.casefold(), _date=pd.to_datetime(prices["valid_from"]))
        p = p.sort_values("_date")
        s = pd.merge_asof(
            s.sort_values("_date"),
            p[["_key", "unit", "_date", "low", "high"]],
            on="_date",
            by=["_key", "unit"],
            direction="backward",
        )
    else:
        s = s.assign(low=np.nan, high=np.nan)
    quantity = s["quantity"].astype(float)
    priced = s["low"].notna() & s["high"].notna()
    low = (quantity * s["low"].astype(float)).where(priced, 0.0)
    high = (quantity * s["high"].astype(float)).where(priced, 0.0)
    by_substance = {}
    for (kind, unit), rows in s[priced].groupby(["kind", "unit"]):
        by_substance[f"{kind} ({unit})"] = (
            float(low[rows.index].sum()),
            float(high[rows.index].sum()),
            float(quantity[rows.index].sum()),
            str(unit),
        )
    return StreetValue(float(low.sum()), float(high.sum()), int(priced.sum()), int((~priced).sum()), by_substance)
