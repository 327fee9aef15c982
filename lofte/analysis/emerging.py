"""Emerging hot-spot analysis: Gi* per period and a Mann-Kendall trend per cell.

The classes follow ArcGIS Pro's "Emerging Hot Spot Analysis": new, consecutive,
intensifying, persistent, diminishing, sporadic, oscillating and historical, for hot and
cold spots. "Significant" means a Gi* class at 90 % or more in that period; the trend is
the Mann-Kendall test of the cell's Gi* z-scores over the periods (two-sided, alpha 0.05).
"""

from dataclasses import dataclass
from typing import Any

import numpy as np

from .hotspots import gistar_grid
from .types import AnyArray, ArrayLike, BoolArray, FloatArray, IntArray

CLASSES = ("new", "consecutive", "intensifying", "persistent", "diminishing", "sporadic", "oscillating", "historical")


@dataclass(frozen=True)
class MannKendall:
    s: FloatArray
    z: FloatArray
    p: FloatArray


def mann_kendall(series: ArrayLike) -> MannKendall:
    """Mann-Kendall trend test along the last axis, with the variance corrected for ties.

    Returns S, its normal z (with continuity correction) and the two-sided p-value.
    """
    from scipy import stats

    y = np.asarray(series, dtype=float)
    t = y.shape[-1]
    s = np.zeros(y.shape[:-1])
    for k in range(t - 1):
        s += np.sign(y[..., k + 1 :] - y[..., k : k + 1]).sum(axis=-1)
    flat = y.reshape(-1, t)
    var = np.empty(len(flat))
    for index, row in enumerate(flat):
        _, counts = np.unique(row, return_counts=True)
        var[index] = (t * (t - 1) * (2 * t + 5) - np.sum(counts * (counts - 1) * (2 * counts + 5))) / 18
    var = np.asarray(var.reshape(y.shape[:-1]), dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(s > 0, (s - 1) / np.sqrt(var), np.where(s < 0, (s + 1) / np.sqrt(var), 0.0))
    z = np.where(var > 0, z, 0.0)
    return MannKendall(s, z, 2 * stats.norm.sf(np.abs(z)))


@dataclass(frozen=True)
class Emerging:
    """Per cell: a class name ("" when none) with "hot"/"cold", the trend and the Gi* classes per period."""

    category: AnyArray  # e.g. "intensifying hot", "" for no pattern, object array (ny, nx)
    trend_z: FloatArray
    trend_p: FloatArray
    classes: IntArray  # (periods, ny, nx) Gi_Bin per period

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category.tolist(),
            "trend_z": self.trend_z.tolist(),
            "trend_p": self.trend_p.tolist(),
            "classes": self.classes.tolist(),
        }


def _pattern(sig: BoolArray, opposite: BoolArray, trend: float, direction: float) -> str:
    """The class of one cell's significance history (booleans per period, oldest first)."""
    periods = len(sig)
    if not sig.any():
        return ""
    share = sig.mean()
    last = sig[-1]
    rising = trend < 0.05 and direction > 0
    falling = trend < 0.05 and direction < 0
    if share >= 0.9:
        if not last:
            return "historical"
        if rising:
            return "intensifying"
        if falling:
            return "diminishing"
        return "persistent"
    if not last:
        return ""
    if sig.sum() == 1:
        return "new"
    run = 0
    for value in sig[::-1]:
        if not value:
            break
        run += 1
    if run >= 2 and not sig[: periods - run].any():
        return "consecutive"
    if opposite[:-1].any():
        return "oscillating"
    return "sporadic"


def emerging_hotspots(
    cube: ArrayLike, *, radius_cells: int = 1, mask: ArrayLike | None = None, adjust: bool = True
) -> Emerging:
    """Classify every cell of a space-time cube of counts (periods, ny, nx).

    Gi* is computed per period on the grid (same window and mask); a cell is a significant
    hot (cold) spot in a period when its Gi* class is >= 1 (<= -1).
    """
    cube = np.asarray(cube, dtype=float)
    mask = None if mask is None else np.asarray(mask, dtype=bool)
    if cube.ndim != 3 or cube.shape[0] < 2:
        raise ValueError("the cube must be (periods, rows, columns) with at least two periods")
    per_period = [gistar_grid(period, radius_cells=radius_cells, mask=mask, adjust=adjust) for period in cube]
    classes = np.stack([result.classes for result in per_period])
    zs = np.stack([result.z for result in per_period])
    trend = mann_kendall(np.moveaxis(np.nan_to_num(zs), 0, -1))
    hot, cold = classes >= 1, classes <= -1
    category = np.full(cube.shape[1:], "", dtype=object)
    for r, c in np.ndindex(*cube.shape[1:]):
        if mask is not None and not mask[r, c]:
            continue
        p, z = float(trend.p[r, c]), float(trend.z[r, c])
        hot_name = _pattern(hot[:, r, c], cold[:, r, c], p, z)
        cold_name = _pattern(cold[:, r, c], hot[:, r, c], p, -z)
        if hot_name and (hot[-1, r, c] or not cold_name):
            category[r, c] = f"{hot_name} hot"
        elif cold_name:
            category[r, c] = f"{cold_name} cold"
    return Emerging(category, trend.z, trend.p, classes)
