"""Getis-Ord Gi* and Gi with Benjamini-Hochberg FDR and ArcGIS-style classes.

For binary weights with the cell itself included (Gi*), cell i with neighbour set N(i):

    z_i = (sum_j w_ij x_j - mean(x) W_i) / (S sqrt((n S1_i - W_i^2) / (n - 1)))

with W_i = sum_j w_ij, S1_i = sum_j w_ij^2 and S the population standard deviation. On a
grid the sums over a window are a convolution (DESIGN.md section 5), not a neighbour list.
"""

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from .types import AnyArray, ArrayLike, FloatArray

CLASS_LEVELS = ((0.01, 3), (0.05, 2), (0.10, 1))


@dataclass(frozen=True)
class HotSpots:
    """z-scores, two-sided p-values (raw and FDR-adjusted) and classes -3..3 (ArcGIS Gi_Bin).

    Classes come from the FDR-adjusted p-values unless the analysis asked for raw ones
    (`adjusted` False): 3/2/1 are hot spots at 99/95/90 % confidence, -3/-2/-1 cold.
    """

    z: FloatArray
    p: FloatArray
    p_fdr: FloatArray
    classes: AnyArray  # int8 Gi_Bin classes
    adjusted: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "z": self.z.tolist(),
            "p": self.p.tolist(),
            "p_fdr": self.p_fdr.tolist(),
            "classes": self.classes.tolist(),
            "adjusted": self.adjusted,
        }


def fdr_bh(p: ArrayLike) -> FloatArray:
    """Benjamini-Hochberg adjusted p-values; NaN stays NaN and is not counted as a test."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    flat = p.ravel()
    ok = np.flatnonzero(np.isfinite(flat))
    m = len(ok)
    if m:
        order = ok[np.argsort(flat[ok], kind="mergesort")]
        ranked = flat[order] * m / np.arange(1, m + 1)
        adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
        result = out.ravel()
        result[order] = np.minimum(adjusted, 1.0)
        out = result.reshape(p.shape)
    return out


def classify(z: ArrayLike, p: ArrayLike) -> AnyArray:
    """ArcGIS Gi_Bin classes from z-scores and (adjusted) p-values."""
    z, p = np.asarray(z, dtype=float), np.asarray(p, dtype=float)
    classes = np.zeros(z.shape, dtype=np.int8)
    for level, value in reversed(CLASS_LEVELS):
        significant = np.isfinite(p) & (p <= level)
        classes[significant & (z > 0)] = value
        classes[significant & (z < 0)] = -value
    return classes


def _result(z: FloatArray, *, adjust: bool) -> HotSpots:
    from scipy import stats

    p = 2 * stats.norm.sf(np.abs(z))
    p_fdr = fdr_bh(p)
    return HotSpots(z, p, p_fdr, classify(z, p_fdr if adjust else p), adjusted=adjust)


def window(radius_cells: int = 1, *, shape: str = "square") -> FloatArray:
    """Binary neighbourhood: (2r+1)^2 cells ("square", queen) or the cells within r ("circle")."""
    r = int(radius_cells)
    if r < 1:
        raise ValueError("radius_cells must be at least 1")
    offsets = np.arange(-r, r + 1)
    dx, dy = np.meshgrid(offsets, offsets)
    if shape == "square":
        return np.ones((2 * r + 1, 2 * r + 1))
    if shape == "circle":
        return (dx**2 + dy**2 <= r**2).astype(float)
    raise ValueError(f"shape must be 'square' or 'circle', got {shape!r}")


def gistar_grid(
    values: ArrayLike,
    *,
    radius_cells: int = 1,
    shape: str = "square",
    mask: ArrayLike | None = None,
    adjust: bool = True,
) -> HotSpots:
    """Gi* of every cell of a grid, its neighbours being the cells in a window around it.

    Parameters
    ----------
    values : array (ny, nx), counts or weighted counts per cell
    radius_cells : window radius in cells (1 gives the 3x3 window)
    shape : "square" or "circle"
    mask : boolean array; only these cells are part of the study area (n, mean, S and the
        neighbour sets); cells outside get NaN
    adjust : classes from FDR-adjusted p-values (True) or raw ones

    Returns
    -------
    HotSpots with arrays of shape (ny, nx)
    """
    from scipy import ndimage

    x = np.asarray(values, dtype=float)
    area = np.ones(x.shape, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    n = int(area.sum())
    if n < 3:
        raise ValueError(f"Gi* needs at least 3 cells in the study area, got {n}")
    inside = np.where(area, x, 0.0)
    mean = inside.sum() / n
    s = np.sqrt((inside**2).sum() / n - mean**2)
    w = window(radius_cells, shape=shape)
    sum_wx = ndimage.correlate(inside, w, mode="constant", cval=0.0)
    weight = ndimage.correlate(area.astype(float), w, mode="constant", cval=0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (sum_wx - mean * weight) / (s * np.sqrt((n * weight - weight**2) / (n - 1)))
    if s == 0:
        warnings.warn("every cell has the same value: there are no hot or cold spots", stacklevel=2)
        z = np.zeros(x.shape)
    z = np.where(area, z, np.nan)
    return _result(z, adjust=adjust)


def gistar(values: ArrayLike, weights: Any, *, star: bool = True, adjust: bool = True) -> HotSpots:
    """Gi* (or Gi with `star=False`) for any weights matrix, e.g. a scipy.sparse binary matrix.

    Parameters
    ----------
    values : array (n,)
    weights : (n, n) matrix, w_ij > 0 for neighbours; the diagonal is set to 1 for Gi* and
        to 0 for Gi whatever it holds
    star : include the location itself (Gi*) or not (Gi, with the mean and standard
        deviation of the other locations, as Getis and Ord 1992 and esda)
    """
    from scipy import sparse

    x = np.asarray(values, dtype=float)
    n = len(x)
    if n < 3:
        raise ValueError(f"Gi needs at least 3 locations, got {n}")
    w = sparse.csr_array(weights, dtype=float)
    if w.shape != (n, n):
        raise ValueError(f"weights must be {n} x {n}, got {w.shape[0]} x {w.shape[1]}")
    w = w.tolil()
    w.setdiag(1.0 if star else 0.0)
    w = sparse.csr_array(w)
    if not star:
        w.eliminate_zeros()
    sum_wx = w @ x
    weight = np.asarray(w.sum(axis=1)).ravel()
    s1 = np.asarray(w.multiply(w).sum(axis=1)).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        if star:
            mean = x.mean()
            s = x.std()
            z = (sum_wx - mean * weight) / (s * np.sqrt((n * s1 - weight**2) / (n - 1)))
        else:
            total, total2 = x.sum(), (x**2).sum()
            mean = (total - x) / (n - 1)
            s = np.sqrt((total2 - x**2) / (n - 1) - mean**2)
            z = (sum_wx - mean * weight) / (s * np.sqrt(((n - 1) * s1 - weight**2) / (n - 2)))
    return _result(z, adjust=adjust)


def distance_band_weights(x: ArrayLike, y: ArrayLike, threshold: float) -> Any:
    """Binary weights for locations within `threshold` (same units as x, y) of each other."""
    from scipy import sparse
    from scipy.spatial import cKDTree

    points = np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])
    pairs = cKDTree(points).query_pairs(threshold, output_type="ndarray")
    n = len(points)
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    return sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))


def polygon_weights(polygons: Any, *, queen: bool = True) -> Any:
    """Binary contiguity weights for shapely polygons: neighbours share a border (queen: or a corner)."""
    import shapely
    from scipy import sparse

    polygons = np.asarray(polygons, dtype=object)
    tree = shapely.STRtree(polygons)
    left, right = tree.query(polygons, predicate="intersects")
    keep = left != right
    left, right = left[keep], right[keep]
    if not queen:  # rook: the shared boundary must be a line, not a point
        shared = shapely.intersection(polygons[left], polygons[right])
        keep = shapely.length(shared) > 0
        left, right = left[keep], right[keep]
    n = len(polygons)
    return sparse.csr_array((np.ones(len(left)), (left, right)), shape=(n, n))
