"""`lofte evaluate did|wdd|its`: did the promise help? Files in, a short summary and JSON out.

No database: a panel or a monthly series as CSV, or the counts on the command line. Errors name the
file, the line and the column.
"""

import argparse
import sys
import warnings
from argparse import ArgumentParser, Namespace
from pathlib import Path

import numpy as np
import pandas as pd

from lofte.analysis.evaluation import MODELS, DidResult, ItsResult, WddResult, did, its, wdd

from .analysis import InputError, column, numbers, read_table, write_json


def _did(args: Namespace) -> DidResult:
    frame = read_table(args.panel)
    y = numbers(frame, args.count, args.panel)
    treated = numbers(frame, args.treated, args.panel)
    post = numbers(frame, args.post, args.panel)
    column(frame, args.period, args.panel)  # named for the reader; the model needs only post
    units = column(frame, args.unit, args.panel).to_numpy()
    return did(y, treated, post, unit=units, model=args.model)


def _month(text: str, what: str) -> pd.Period:
    try:
        return pd.Period(text, freq="M")
    except (ValueError, TypeError) as exc:
        raise InputError(f"{what}: not a month YYYY-MM: {text!r}") from exc


def _its(args: Namespace) -> ItsResult:
    frame = read_table(args.series)
    text = column(frame, args.month, args.series)
    months = []
    for row, value in enumerate(text, start=2):
        months.append(_month(value.strip(), f"{args.series}: line {row}: column {args.month}"))
    counts = np.asarray(numbers(frame, args.count, args.series))
    order = np.argsort([m.ordinal for m in months], kind="stable")
    lines = [int(i) + 2 for i in order]
    months, counts = [months[i] for i in order], counts[order]
    # Time is counted in rows: a repeated month or a missing one would shift every month after it.
    for (a, line_a), (b, line_b) in zip(zip(months, lines), zip(months[1:], lines[1:])):
        if b == a:
            raise InputError(f"{args.series}: line {line_b}: column {args.month}: {b} is also on line {line_a}")
        if b.ordinal - a.ordinal > 1:
            missing = b.ordinal - a.ordinal - 1
            raise InputError(
                f"{args.series}: line {line_b}: column {args.month}: {missing} month(s) missing between {a} "
                f"(line {line_a}) and {b}; give every month, with 0 where there were no incidents"
            )
    start = _month(args.start, "--start")
    if start not in months:
        raise InputError(f"--start: {start} is not a month of {args.series}")
    end = None
    if args.end:
        last = _month(args.end, "--end")
        if last not in months:
            raise InputError(f"--end: {last} is not a month of {args.series}")
        end = months.index(last) + 1
        if last < start:
            raise InputError(f"--end: {last} is before --start {start}")
    month_of_year = None if args.no_seasonality else [m.month for m in months]
    return its(counts, start=months.index(start), end=end, month_of_year=month_of_year, model=args.model)


def _wdd(args: Namespace) -> WddResult:
    return wdd(tuple(args.target), tuple(args.control), buffer=args.buffer and tuple(args.buffer),
               buffer_control=args.buffer_control and tuple(args.buffer_control),
               dispersion=args.dispersion)  # fmt: skip


def parser() -> ArgumentParser:
    p = argparse.ArgumentParser(prog="lofte evaluate", description=__doc__)
    sub = p.add_subparsers(dest="method", required=True)
    d = sub.add_parser("did", help="difference-in-differences on a panel of counts per unit and period")
    d.add_argument("panel", type=Path)
    for name in ("unit", "period", "count", "treated", "post"):
        d.add_argument(f"--{name}", required=True, help=f"column with the {name}")
    d.add_argument("--model", choices=MODELS, default="ols")
    d.set_defaults(run=_did)
    w = sub.add_parser("wdd", help="weighted displacement difference, WDQ and total net effect (before, after)")
    w.add_argument("--target", nargs=2, type=float, required=True, metavar=("BEFORE", "AFTER"))
    w.add_argument("--control", nargs=2, type=float, required=True, metavar=("BEFORE", "AFTER"))
    w.add_argument("--buffer", nargs=2, type=float, metavar=("BEFORE", "AFTER"))
    w.add_argument("--buffer-control", nargs=2, type=float, metavar=("BEFORE", "AFTER"))
    w.add_argument(
        "--dispersion", type=float, default=1.0, help="how many times Poisson's variance the counts vary (default 1)"
    )
    w.set_defaults(run=_wdd)
    i = sub.add_parser("its", help="interrupted time series on monthly counts")
    i.add_argument("series", type=Path)
    i.add_argument("--month", required=True, help="column with the month, YYYY-MM")
    i.add_argument("--count", required=True, help="column with the count")
    i.add_argument("--start", required=True, help="first month of the promise, YYYY-MM")
    i.add_argument("--end", help="last month of the promise, YYYY-MM (default: the last month)")
    i.add_argument("--model", choices=("poisson", "negbin"), default="poisson")
    i.add_argument("--no-seasonality", action="store_true", help="leave out the month-of-year terms")
    i.set_defaults(run=_its)
    for each in (d, w, i):
        each.add_argument("--out", type=Path, help="write the result as JSON here")
    return p


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv[1:])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the models' numerical notes are not for the reader
            result = args.run(args)
    except (InputError, ValueError) as exc:
        print(f"lofte evaluate {args.method}: {exc}", file=sys.stderr)
        return 2
    print(result.sentence)
    if args.out and not write_json(args.out, result.to_dict(), f"lofte evaluate {args.method}"):
        return 2
    return 0
