"""Benchmark: 10 000 000 GPS pings over 50 places to visits.

    .venv/bin/python benchmarks/dosage.py [--pings 10000000]

Target (issue 5): at most 10 s with memory under 2 GiB. The baseline is the plain way:
shapely's vectorised `contains_xy` of every ping against every place's buffered circle,
which gives only the place of each ping (no visits yet).
"""

import argparse
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lofte.analysis.dosage import Geofences, extract_visits  # noqa: E402


def pings(n, rng):
    """Ten units driving a city for a year: half the pings near one of 50 places."""
    units = rng.integers(0, 10, n)
    t = np.sort(rng.integers(1_451_606_400, 1_483_228_800, n))  # 2016, in order as a log would be
    cx, cy = rng.uniform(0, 20_000, 50), rng.uniform(0, 20_000, 50)
    near = rng.random(n) < 0.5
    k = rng.integers(0, 50, n)
    x = np.where(near, cx[k] + rng.normal(0, 60, n), rng.uniform(0, 20_000, n))
    y = np.where(near, cy[k] + rng.normal(0, 60, n), rng.uniform(0, 20_000, n))
    return units, t, x, y, cx, cy


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pings", type=int, default=10_000_000)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    units, t, x, y, cx, cy = pings(args.pings, rng)
    fences = Geofences.build(np.arange(50), cx=cx, cy=cy, radius=np.full(50, 75.0))
    started = time.perf_counter()
    visits = extract_visits(units, t, x, y, fences)
    ours = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"extract_visits: {args.pings:,} pings -> {len(visits):,} visits in {ours:.2f} s; peak memory {peak:.0f} MiB")

    import shapely
    from shapely.geometry import Point

    circles = [Point(a, b).buffer(75, quad_segs=16) for a, b in zip(cx, cy)]
    started = time.perf_counter()
    place = np.full(len(x), -1)
    for k, circle in enumerate(circles):
        place[shapely.contains_xy(circle, x, y)] = k
    baseline = time.perf_counter() - started
    print(
        f"baseline shapely.contains_xy against 50 circles (places only): {baseline:.2f} s; "
        f"ratio ours / baseline {ours / baseline:.2f}"
    )
    # For context: reading pings from a CSV file (the import-gps path) for one million of them.
    import tempfile

    n = 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        read_from_csv(Path(folder), t[:n], units[:n], x[:n], y[:n])
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")


def read_from_csv(folder, t, units, x, y):
    import pandas as pd

    from lofte.ingest.gps import read_csv_chunks

    when = pd.to_datetime(t, unit="s", utc=True).strftime("%Y-%m-%dT%H:%M:%SZ")
    pd.DataFrame({"unit": units, "time": when, "lat": 57.7 + y / 1e7, "lon": 11.9 + x / 1e7}).to_csv(
        folder / "pings.csv", index=False
    )
    started = time.perf_counter()
    read = sum(len(p) for p, _ in read_csv_chunks(folder / "pings.csv"))
    print(f"read_csv_chunks: {read:,} pings from CSV in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
