"""How concentrated incidents are on few places: Lorenz curve, Gini, generalized Gini.

Bernasco and Steenbeek (2017): with more places N than incidents C the plain Gini cannot
reach 0, so G' = max(1, N/C) (G - 1) + 1, and its small-sample version multiplies by
m / (m - 1) with m = min(N, C).
"""

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .types import ArrayLike, FloatArray


@dataclass(frozen=True)
class Concentration:
    places: int
    incidents: float
    gini: float
    gini_unbiased: float
    generalized_gini: float
    generalized_gini_unbiased: float
    share_of_places_for_25: float  # smallest share of places that together hold 25 % of incidents
    share_of_places_for_50: float
    lorenz_places: FloatArray  # cumulative share of places, 0..1, most incidents first
    lorenz_incidents: FloatArray  # cumulative share of incidents

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["lorenz_places"] = self.lorenz_places.tolist()
        data["lorenz_incidents"] = self.lorenz_incidents.tolist()
        return data


def gini(counts: ArrayLike) -> float:
    """The plain Gini coefficient of counts per place (0 = even, 1 = all on one place)."""
    x = np.sort(np.asarray(counts, dtype=float))
    n, total = len(x), x.sum()
    if n == 0 or total <= 0:
        raise ValueError("the Gini coefficient needs at least one place and one incident")
    i = np.arange(1, n + 1)
    return float(np.sum((2 * i - n - 1) * x) / (n * total))


def share_of_places(counts: ArrayLike, share: float) -> float:
    """The smallest share of places that together hold at least `share` of the incidents."""
    x = np.sort(np.asarray(counts, dtype=float))[::-1]
    cumulative = np.cumsum(x)
    needed = int(np.searchsorted(cumulative, share * cumulative[-1] - 1e-9 * cumulative[-1]) + 1)
    return needed / len(x)


def concentration(counts: ArrayLike) -> Concentration:
    """Concentration of incidents over places (every place, zeros included).

    Parameters
    ----------
    counts : array of incidents per place (or per grid cell); places without incidents
        must be included, or the concentration is overstated

    Returns
    -------
    Concentration
    """
    x = np.asarray(counts, dtype=float)
    if np.any(x < 0) or not np.all(np.isfinite(x)):
        raise ValueError("counts must be finite and non-negative")
    n, c = len(x), float(x.sum())
    g = gini(x)
    m = min(n, c)
    generalized = max(1.0, n / c) * (g - 1) + 1
    ordered = np.sort(x)[::-1]
    return Concentration(
        places=n,
        incidents=c,
        gini=g,
        gini_unbiased=g * n / (n - 1) if n > 1 else np.nan,
        generalized_gini=generalized,
        generalized_gini_unbiased=generalized * m / (m - 1) if m > 1 else np.nan,
        share_of_places_for_25=share_of_places(x, 0.25),
        share_of_places_for_50=share_of_places(x, 0.5),
        lorenz_places=np.arange(n + 1) / n,
        lorenz_incidents=np.concatenate([[0.0], np.cumsum(ordered) / c]),
    )
