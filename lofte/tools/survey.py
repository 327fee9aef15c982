"""`lofte survey estimate|compare`: survey estimates from response files, no database."""

import argparse
import sys
from argparse import ArgumentParser, Namespace
from typing import Any

import numpy as np
import pandas as pd
from pandas import DataFrame

from lofte.analysis import survey as sv
from lofte.analysis.survey_table import estimate_table

from .analysis import InputError, column, numbers, read_table

ESTIMATE_COLUMNS = ["item", "level", "domain", "estimate", "se", "ci_low", "ci_high", "n", "deff"]
COMPARE_COLUMNS = ["item", "level", "base", "follow", "diff", "se", "ci_low", "ci_high", "p", "mdd"]


def _numbers(frame: DataFrame, name: str, path: str) -> np.ndarray:
    """A numeric column; every value must be a number (weights, population sizes)."""
    values = numbers(frame, name, path)
    if np.isnan(values).any():
        row = int(np.flatnonzero(np.isnan(values))[0])
        raise InputError(f"{path}: line {row + 2}: column {name}: missing")
    return values


def _margins(path: str) -> dict:
    """A margins file: columns variable, level, population."""
    frame = read_table(path)
    for name in ("variable", "level", "population"):
        column(frame, name, path)
    margins: dict[str, dict[str, float]] = {}
    for row, (variable, level, population) in enumerate(
        zip(frame["variable"], frame["level"], frame["population"]), start=2
    ):
        try:
            margins.setdefault(variable, {})[level] = float(population)
        except ValueError:
            raise InputError(f"{path}: line {row}: column population: not a number: {population!r}") from None
    return margins


def load_design(args: Namespace, path: str) -> tuple:
    frame = read_table(path)
    weights = _numbers(frame, args.weight, path) if args.weight else np.ones(len(frame))
    d = sv.design(
        weights=weights,
        strata=column(frame, args.strata, path).to_numpy() if args.strata else None,
        clusters=column(frame, args.cluster, path).to_numpy() if args.cluster else None,
        popsize=_numbers(frame, args.fpc, path) if args.fpc else None,
    )
    if args.rake:
        margins = _margins(args.rake)
        d = sv.rake(
            d,
            [(column(frame, variable, path).to_numpy(), population) for variable, population in margins.items()],
            max_iter=50,
            epsilon=1e-6,
        )
    items = {}
    for item in args.items.split(","):
        values = column(frame, item.strip(), path)
        items[item.strip()] = [None if v.strip() == "" else v.strip() for v in values]
    domains = column(frame, args.domain, path).to_numpy() if args.domain else None
    return d, items, domains


def suppress_small_cells(rows: list[dict[str, Any]], minimum: int) -> list:
    """Rows from fewer than `minimum` answers keep their n but lose their figures (published tables)."""
    hidden = ("estimate", "se", "ci_low", "ci_high", "deff")
    return [{**row, **dict.fromkeys(hidden)} if row["n"] < minimum else row for row in rows]


def estimate(args: Namespace) -> None:
    d, items, domains = load_design(args, args.responses)
    rows = estimate_table(d, items, domains=domains, ci=args.ci, level=args.level)
    suppressed = 0
    if args.min_n:
        before = sum(r["estimate"] is not None for r in rows)
        rows = suppress_small_cells(rows, args.min_n)
        suppressed = before - sum(r["estimate"] is not None for r in rows)
    pd.DataFrame(rows, columns=ESTIMATE_COLUMNS).to_csv(args.out, index=False)
    note = f"; {suppressed} from fewer than {args.min_n} answers left blank" if suppressed else ""
    print(f"{len(rows)} estimates from {d.n} respondents written to {args.out}{note}")


def compare(args: Namespace) -> None:
    d1, items1, _ = load_design(args, args.base)
    d2, items2, _ = load_design(args, args.follow)
    base = {(r["item"], r["level"]): r for r in estimate_table(d1, items1, ci=args.ci, level=args.level)}
    follow = {(r["item"], r["level"]): r for r in estimate_table(d2, items2, ci=args.ci, level=args.level)}
    rows = []
    for key in sorted(set(base) | set(follow), key=str):
        if key not in base or key not in follow:
            continue
        b, f = base[key], follow[key]
        c = sv.compare(
            sv.Estimate(b["estimate"], b["se"], b["n"], b["deff"], 0),
            sv.Estimate(f["estimate"], f["se"], f["n"], f["deff"], 0),
            level=args.level,
        )
        rows.append(
            {
                "item": key[0],
                "level": key[1],
                "base": c.base,
                "follow": c.follow,
                "diff": c.diff,
                "se": c.se,
                "ci_low": c.ci_low,
                "ci_high": c.ci_high,
                "p": c.p,
                "mdd": c.mdd,
                "verdict": c.verdict,
            }
        )
    pd.DataFrame(rows, columns=COMPARE_COLUMNS + ["verdict"]).to_csv(args.out, index=False)
    changed = sum(1 for r in rows if r["verdict"] != "no measurable change")
    print(f"{len(rows)} comparisons; {changed} changed beyond the noise; written to {args.out}")


def _design_options(parser: ArgumentParser) -> None:
    parser.add_argument("--items", required=True, help="comma-separated item columns")
    parser.add_argument("--weight", help="column of design weights")
    parser.add_argument("--strata", help="column of strata")
    parser.add_argument("--cluster", help="column of clusters (PSUs)")
    parser.add_argument("--fpc", help="column with the stratum's population size, as R's fpc")
    parser.add_argument("--rake", help="CSV of margins to rake to: variable, level, population")
    parser.add_argument("--ci", choices=["logit", "korn-graubard", "wald"], default="logit")
    parser.add_argument("--level", type=float, default=0.95)
    parser.add_argument("--out", required=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="lofte survey", description="Design-based survey estimates.")
    sub = parser.add_subparsers(dest="action", required=True)
    p = sub.add_parser("estimate", help="estimates with standard errors and intervals per item and level")
    p.add_argument("responses")
    p.add_argument("--domain", help="column to break the estimates down by (e.g. area)")
    p.add_argument(
        "--min-n", type=int, default=0, help="leave estimates from fewer answers blank (for published tables), e.g. 30"
    )
    _design_options(p)
    p.set_defaults(run=estimate)
    p = sub.add_parser("compare", help="follow-up against baseline, with the minimum detectable difference")
    p.add_argument("base")
    p.add_argument("follow")
    _design_options(p)
    p.set_defaults(domain=None, run=compare)
    args = parser.parse_args(argv)
    try:
        args.run(args)
    except (InputError, sv.DesignError, ValueError) as exc:
        print(f"lofte survey {args.action}: {exc}", file=sys.stderr)
        return 2
    return 0
