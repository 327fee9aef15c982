"""Benchmark the hot-spot core against its peers, in one process.

    .venv/bin/python benchmarks/hotspots.py

Targets (issue 4): 1 000 000 points to counts + KDE + Gi* + FDR on a 500 x 500 grid in at
most 1 s; KDE at most 1.5x KDEpy's FFTKDE on the same grid; Gi* at least 100x faster than
esda's G_Local (permutations=0) on a 100 x 100 grid with the same z-scores; near repeats
on 10 000 events with 99 permutations in at most 10 s.
"""

import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lofte.analysis.grids import count_points, make_grid  # noqa: E402
from lofte.analysis.hotspots import gistar_grid  # noqa: E402
from lofte.analysis.kde import kde_grid  # noqa: E402
from lofte.analysis.nearrepeat import knox  # noqa: E402


def best(fn, repeat=3):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def clustered_points(rng, n, size):
    centres = rng.uniform(0, size, (40, 2))
    k = rng.integers(0, 40, n)
    near = centres[k] + rng.normal(0, size / 60, (n, 2))
    uniform = rng.uniform(0, size, (n, 2))
    pts = np.where(rng.random((n, 1)) < 0.5, near, uniform)
    return np.clip(pts[:, 0], 0, size - 1e-6), np.clip(pts[:, 1], 0, size - 1e-6)


def main():
    rng = np.random.default_rng(1)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}"
    )

    # 1. The whole pipeline on 1 000 000 points and a 500 x 500 grid of 20 m cells.
    x, y = clustered_points(rng, 1_000_000, 10_000)
    grid = make_grid(bounds=(0, 0, 10_000, 10_000), cell=20)

    def pipeline():
        counts, _ = count_points(grid, x, y)
        density = kde_grid(counts, cell=20, bandwidth=300)
        return counts, density, gistar_grid(counts)

    elapsed, (counts, density, _) = best(pipeline)
    print(f"pipeline 1M points, 500x500: {elapsed:.3f} s (target <= 1 s)")

    # 2. KDE alone against KDEpy's FFTKDE on the same 500 x 500 grid, same kernel and radius.
    ours, _ = best(lambda: kde_grid(counts, cell=20, bandwidth=300))
    try:
        from KDEpy import FFTKDE

        cx, cy = grid.centres()
        rows, cols = np.nonzero(counts)
        data = np.column_stack([cx[rows, cols], cy[rows, cols]])
        weights = counts[rows, cols]
        pad = 300
        xs = np.arange(-pad, 10_000 + pad, 20) + 10
        gx, gy = np.meshgrid(xs, xs, indexing="ij")
        grid_points = np.column_stack([gx.ravel(), gy.ravel()])
        theirs, _ = best(
            lambda: FFTKDE(kernel="biweight", bw=300 / np.sqrt(7)).fit(data, weights=weights).evaluate(grid_points)
        )
        print(
            f"KDE 500x500: ours {ours * 1000:.1f} ms, KDEpy FFTKDE {theirs * 1000:.1f} ms, "
            f"ratio {ours / theirs:.2f} (target <= 1.5)"
        )
    except ImportError:
        print(f"KDE 500x500: ours {ours * 1000:.1f} ms (KDEpy not installed)")

    # 3. Gi* against esda on a 100 x 100 grid.
    small = rng.poisson(3, (100, 100)).astype(float)
    ours, result = best(lambda: gistar_grid(small))
    try:
        import esda
        import libpysal

        w = libpysal.weights.lat2W(100, 100, rook=False)
        theirs, g = best(lambda: esda.G_Local(small.ravel(), w, transform="B", star=True, permutations=0), repeat=1)
        gap = np.max(np.abs(result.z.ravel() - g.Zs))
        print(
            f"Gi* 100x100: ours {ours * 1000:.2f} ms, esda G_Local {theirs * 1000:.0f} ms, "
            f"ours is {theirs / ours:.0f}x faster (target >= 100x); max |dz| {gap:.1e}"
        )
    except ImportError:
        print(f"Gi* 100x100: ours {ours * 1000:.2f} ms (esda not installed)")

    # 4. Near repeats: 10 000 events over a city and a year, 99 permutations.
    ex, ey = clustered_points(rng, 10_000, 20_000)
    days = rng.integers(0, 365, 10_000)
    elapsed, table = best(
        lambda: knox(ex, ey, days, space_band=200, space_bands=3, time_band=7, time_bands=3, permutations=99, seed=1),
        repeat=1,
    )
    print(
        f"near repeats 10 000 events, 99 permutations: {elapsed:.2f} s (target <= 10 s); "
        f"{int(table.observed[:-1].sum())} close pairs"
    )


if __name__ == "__main__":
    main()
