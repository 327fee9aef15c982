"""Calibration: how often a method says "measurable change" when nothing changed (issue 22, step 1).

The first method here is the synthetic control with placebo-in-space p (`synthetic_control`): areas'
monthly Poisson counts with a shared seasonal pattern and trend and no effect at the start; the
share of verdicts that are not "no measurable change" is the false-positive share, which should be
at most the level (5 %) where the design allows a p that small at all (with J donors the smallest
p is 1/(J+1), so with 9 donors no verdict is ever a change). Also the mean time per evaluation
(J + 1 weight fits).

    .venv/bin/python benchmarks/calibration.py [--simulations 200] [--seed 1]

The other methods of the report (DiD, WDD, ITS, event study, survey comparison, trends) are to join
this grid (issue 22).
"""

import argparse
import platform
import time

import numpy as np

from lofte.analysis.evaluation import synthetic_control
from lofte.analysis.vocabulary import Change

DESIGNS = [  # (months before, months after, donors, mean count a month)
    (12, 12, 19, 5),
    (24, 12, 19, 5),
    (36, 12, 19, 5),
    (24, 12, 19, 30),
    (24, 6, 19, 30),
    (24, 12, 9, 30),
]


def simulate(rng, before, after, donors, level):
    """(target, donor rows): areas of different sizes sharing a season and a trend, no effect."""
    months = before + after
    season = 1 + 0.25 * np.sin(2 * np.pi * np.arange(months) / 12)
    trend = np.exp(rng.normal(0, 0.01) * np.arange(months))
    sizes = rng.uniform(0.6, 1.6, donors + 1)
    counts = rng.poisson(level * sizes[:, None] * season * trend)
    return counts[0], counts[1:]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--simulations", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    print(f"synthetic control, {args.simulations} simulations a design, no effect; {platform.processor() or ''}")
    print("before after donors level | false positives | smallest p possible | s per evaluation")
    for before, after, donors, level in DESIGNS:
        changes, started = 0, time.perf_counter()
        for _ in range(args.simulations):
            target, pool = simulate(rng, before, after, donors, level)
            result = synthetic_control(target, pool, start=before)
            changes += result.verdict != Change.NONE
        seconds = (time.perf_counter() - started) / args.simulations
        share = changes / args.simulations
        print(f"{before:6} {after:5} {donors:6} {level:5} | {share:15.3f} | {1 / (donors + 1):19.3f} | {seconds:.3f}")


if __name__ == "__main__":
    main()
