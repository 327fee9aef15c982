"""How well a choice of cells targets where incidents happened: hit rate, PAI and PEI*.

PAI = (n / N) / (a / A); PEI* = n / n*, n* being the most incidents the same number of
cells could have captured (Chainey et al. 2008; Hunt 2016).
"""

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .types import ArrayLike


@dataclass(frozen=True)
class Targeting:
    share_of_area: float  # a / A
    cells: int
    hits: float  # n
    incidents: float  # N
    hit_rate: float  # n / N
    pai: float
    pei_star: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def targeting(
    predicted: ArrayLike, observed: ArrayLike, *, share: float = 0.05, cell_area: ArrayLike | None = None
) -> Targeting:
    """Select the top `share` of cells by `predicted` and score them on `observed` counts.

    Parameters
    ----------
    predicted : array of scores per cell (e.g. last year's counts or a density)
    observed : array of incident counts per cell in the evaluation period
    share : the share of cells (equal-sized) to select, 0 < share <= 1
    cell_area : optional array of cell areas (m²) when cells differ in size

    Ties in `predicted` at the cut are broken by cell order, so exactly round(share * cells)
    cells are chosen (at least one).
    """
    p = np.asarray(predicted, dtype=float).ravel()
    o = np.asarray(observed, dtype=float).ravel()
    if p.shape != o.shape:
        raise ValueError("predicted and observed must have one value per cell")
    if not 0 < share <= 1:
        raise ValueError("share must be in (0, 1]")
    areas = np.ones_like(p) if cell_area is None else np.asarray(cell_area, dtype=float).ravel()
    k = max(1, int(round(share * len(p))))
    chosen = np.argsort(-p, kind="mergesort")[:k]
    total = o.sum()
    if total <= 0:
        raise ValueError("there are no observed incidents to score against")
    hits = o[chosen].sum()
    best = np.sort(o)[::-1][:k].sum()
    area_share = areas[chosen].sum() / areas.sum()
    return Targeting(
        share_of_area=float(area_share),
        cells=k,
        hits=float(hits),
        incidents=float(total),
        hit_rate=float(hits / total),
        pai=float((hits / total) / area_share),
        pei_star=float(hits / best) if best > 0 else float("nan"),
    )
