"""Calibration of the weekly picture's "more than usual" (`lofte.analysis.weekly.unusual_weeks`).

Ordinary weeks, nothing planted: twelve categories a week, each with weekly counts whose mean lies
between 0.5 and 12, a season of ±40 % at a random phase, and negative binomial noise (size 5). The
share of weeks in which any category is called more than usual should be at most the level, 5 %.
Also the time per week of twelve categories.

    .venv/bin/python benchmarks/weekly.py [--weeks 1000] [--seed 11] [--reweighting] [--power]

With --power, one category a week is planted at 2, 3 or 5 times its usual mean and the share of those
weeks in which it is called more than usual is measured: a verdict that is never wrong because it
never speaks would pass the calibration alone.
"""

import argparse
import time
import warnings
from typing import Any

import numpy as np

from lofte.analysis.weekly import unusual_weeks


def seasonal_means(rng: np.random.Generator, years: int, mean: float) -> np.ndarray:
    t = np.arange(1, years * 52 + 2)
    return mean * np.exp(0.4 * np.sin(2 * np.pi * (t + rng.integers(52)) / 52))


def seasonal_counts(rng: np.random.Generator, years: int, mean: float, size: float = 5) -> np.ndarray:
    mu = seasonal_means(rng, years, mean)
    return rng.negative_binomial(size, size / (size + mu))


def planted_power(seed: int, years: int, b: int, *, weeks: int, factor: float, size: float = 5) -> dict[str, float]:
    """The share of weeks in which one category's week, planted at `factor` times its usual mean, is
    called more than usual among twelve, by the category's usual weekly mean (below 2, 2-5, above 5)."""
    rng = np.random.default_rng(seed)
    found: dict[str, list[bool]] = {"< 2": [], "2-5": [], "> 5": []}
    for _ in range(weeks):
        means = np.exp(rng.uniform(np.log(0.5), np.log(12), 12))
        mus = [seasonal_means(rng, years, m) for m in means]
        series = {str(c): rng.negative_binomial(size, size / (size + mu)) for c, mu in enumerate(mus)}
        planted = int(rng.integers(12))
        mu = factor * mus[planted][-1]
        series[str(planted)][-1] = rng.negative_binomial(size, size / (size + mu))
        band = "< 2" if means[planted] < 2 else "2-5" if means[planted] <= 5 else "> 5"
        found[band].append(unusual_weeks(series, b=b)[str(planted)].unusual)
    return {band: float(np.mean(hits)) if hits else float("nan") for band, hits in found.items()}


def flagged_share(seed: int, years: int, b: int, *, weeks: int, options: dict[str, Any]) -> float:
    rng = np.random.default_rng(seed)
    flagged = 0
    for _ in range(weeks):
        means = np.exp(rng.uniform(np.log(0.5), np.log(12), 12))
        series = {str(c): seasonal_counts(rng, years, m) for c, m in enumerate(means)}
        flagged += any(r.unusual for r in unusual_weeks(series, b=b, **options).values())
    return flagged / weeks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--reweighting", action="store_true", help="down-weight past outbreaks (Noufaily's 2.58)")
    parser.add_argument("--power", action="store_true", help="the share of planted weeks found, instead")
    args = parser.parse_args()
    if args.power:
        warnings.filterwarnings("ignore", category=RuntimeWarning)
        print("| history | planted at | usual mean < 2 | 2-5 | > 5 |")
        print("|---|---|---|---|---|")
        for years, b in ((2, 1), (6, 5)):
            for factor in (2.0, 3.0, 5.0):
                found = planted_power(args.seed, years, b, weeks=args.weeks, factor=factor)
                row = " | ".join(f"{found[band]:.2f}" for band in ("< 2", "2-5", "> 5"))
                print(f"| {years} years (b = {b}) | {factor:g} x the mean | {row} |")
        return
    options: dict[str, Any] = {"weights_threshold": 2.58} if args.reweighting else {}
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    print("| history | weeks | flagged | standard error | seconds a week |")
    print("|---|---|---|---|---|")
    for years, b in ((2, 1), (6, 5)):
        start = time.perf_counter()
        share = flagged_share(args.seed, years, b, weeks=args.weeks, options=options)
        seconds = (time.perf_counter() - start) / args.weeks
        se = (share * (1 - share) / args.weeks) ** 0.5
        print(f"| {years} years (b = {b}) | {args.weeks} | {share:.3f} | {se:.3f} | {seconds:.3f} |")


if __name__ == "__main__":
    main()
