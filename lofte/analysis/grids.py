"""Square grids over a study area, in metres.

Cells are clipped to the study area: only cells that intersect its polygon belong to the
grid (sfhotspot covers the convex hull of the points instead, so cells outside the area
get values). Arrays are indexed [row, column] with row 0 at the southern edge.
"""

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from .types import AnyArray, ArrayLike, BoolArray, FloatArray, IntArray


class DegreesNotMetres(ValueError):
    """Coordinates look like longitude/latitude where metres are needed."""


def check_metres(x: ArrayLike, y: ArrayLike, *, what: str = "coordinates") -> None:
    """Refuse coordinates that are plainly degrees: a grid in degrees is silent nonsense."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    finite = np.isfinite(x) & np.isfinite(y)
    if finite.any():
        xs, ys = x[finite], y[finite]
        if (
            np.abs(xs).max() <= 180
            and np.abs(ys).max() <= 90
            and (xs.max() - xs.min()) < 5
            and (ys.max() - ys.min()) < 5
        ):
            raise DegreesNotMetres(
                f"{what} look like longitude/latitude degrees; project them to a metric CRS "
                "(for Sweden SWEREF 99 TM, EPSG:3006) first"
            )


def auto_cell_size(width: float, height: float) -> float:
    """1/50 of the shorter side of the extent, rounded down to 10 m, never 0 (sfhotspot issue 26).

    Extents shorter than 500 m get 1/50 of the side rounded down to whole metres (at least 1 m).
    """
    short = min(width, height)
    if not short > 0:
        raise ValueError(f"degenerate extent {width:g} x {height:g} m: nothing to put a grid on")
    size = math.floor(short / 50 / 10) * 10
    return float(size if size > 0 else max(1, math.floor(short / 50)))


@dataclass(frozen=True)
class Grid:
    """A grid of `ny` x `nx` square cells of `cell` metres from the lower-left corner (x0, y0).

    `mask[row, col]` is True for cells that belong to the study area.
    """

    x0: float
    y0: float
    cell: float
    nx: int
    ny: int
    mask: BoolArray

    @property
    def shape(self) -> tuple[int, int]:
        return (self.ny, self.nx)

    @property
    def n_cells(self) -> int:
        return int(self.mask.sum())

    def centres(self) -> tuple[FloatArray, ...]:
        """(x, y) arrays of cell centres, each of shape (ny, nx)."""
        xs = self.x0 + (np.arange(self.nx) + 0.5) * self.cell
        ys = self.y0 + (np.arange(self.ny) + 0.5) * self.cell
        return np.meshgrid(xs, ys)

    def locate(self, x: ArrayLike, y: ArrayLike) -> tuple[IntArray, IntArray]:
        """(row, col) of each point, -1 for points outside the grid or its study area."""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        with np.errstate(invalid="ignore"):
            col = np.floor((x - self.x0) / self.cell)
            row = np.floor((y - self.y0) / self.cell)
        inside = np.isfinite(col) & np.isfinite(row) & (col >= 0) & (col < self.nx) & (row >= 0) & (row < self.ny)
        col = np.where(inside, col, -1).astype(np.int64)
        row = np.where(inside, row, -1).astype(np.int64)
        in_area = np.zeros(len(x), dtype=bool)
        in_area[inside] = self.mask[row[inside], col[inside]]
        return np.where(in_area, row, -1), np.where(in_area, col, -1)

    def cell_polygons(self) -> AnyArray:
        """Shapely squares of the study-area cells, in row-major order of `mask`."""
        rows, cols = np.nonzero(self.mask)
        x = self.x0 + cols * self.cell
        y = self.y0 + rows * self.cell
        return np.asarray(shapely.box(x, y, x + self.cell, y + self.cell))


def make_grid(
    area: Any = None, *, bounds: tuple[float, float, float, float] | None = None, cell: float | None = None
) -> Grid:
    """A grid over a study area polygon (shapely, metres) or plain bounds (xmin, ymin, xmax, ymax).

    `cell` defaults to `auto_cell_size` of the extent.
    """
    if area is not None:
        bounds = area.bounds
    if bounds is None:
        raise ValueError("give a study area polygon or bounds")
    xmin, ymin, xmax, ymax = bounds
    check_metres([xmin, xmax], [ymin, ymax], what="the study area's coordinates")
    width, height = xmax - xmin, ymax - ymin
    cell = float(cell) if cell else auto_cell_size(width, height)
    if cell <= 0:
        raise ValueError(f"cell size must be positive, got {cell}")
    nx, ny = max(1, math.ceil(width / cell)), max(1, math.ceil(height / cell))
    if nx * ny > 50_000_000:
        raise ValueError(f"{nx} x {ny} cells of {cell:g} m is too many; choose a larger cell")
    mask = np.ones((ny, nx), dtype=bool)
    grid = Grid(float(xmin), float(ymin), cell, nx, ny, mask)
    if area is not None:
        boxes = grid.cell_polygons()
        prepared = area
        shapely.prepare(prepared)
        # A cell belongs to the area when they share some area, not just a corner or an edge.
        mask = (shapely.intersects(prepared, boxes) & ~shapely.touches(prepared, boxes)).reshape(ny, nx)
        grid = Grid(float(xmin), float(ymin), cell, nx, ny, mask)
    return grid


def count_points(grid: Grid, x: ArrayLike, y: ArrayLike, *, weights: ArrayLike | None = None) -> tuple[AnyArray, int]:
    """Counts (or summed weights) of points per cell, shape (ny, nx), and how many fell outside.

    Points outside the grid or its study area are not counted; a warning says how many.
    """
    check_metres(x, y)
    row, col = grid.locate(x, y)
    inside = row >= 0
    w = None if weights is None else np.asarray(weights, dtype=float)[inside]
    flat = np.bincount(row[inside] * grid.nx + col[inside], weights=w, minlength=grid.nx * grid.ny)
    outside = int((~inside).sum())
    if outside:
        warnings.warn(f"{outside} of {len(row)} points lie outside the study area and are not counted", stacklevel=2)
    return flat.reshape(grid.shape), outside
