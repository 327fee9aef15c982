"""`lofte opinion-groups VOTES.csv --out groups.json`: opinion groups from votes, as pol.is finds them.

VOTES.csv has the columns participant, statement, vote (1 agree, -1 disagree, 0 pass). A vote outside
those, a second vote by one participant on one statement, or (with --statements) a statement not in
the list is refused with its line; nothing is computed then.
"""

import argparse
import sys
from argparse import ArgumentParser
from pathlib import Path

import numpy as np

from lofte.analysis.opinion import opinion_groups

from .analysis import InputError, column, read_table, write_json


def _votes(path: str, statements_file: str | None) -> tuple:
    frame = read_table(path)
    people = column(frame, "participant", path).str.strip()
    items = column(frame, "statement", path).str.strip()
    text = column(frame, "vote", path).str.strip()
    known = None
    if statements_file:
        listed = read_table(statements_file)
        known = set(column(listed, "statement", statements_file).str.strip())
    votes = np.empty(len(frame))
    seen: dict[tuple[str, str], int] = {}
    for row, (person, item, vote) in enumerate(zip(people, items, text)):
        line = row + 2
        if not person:
            raise InputError(f"{path}: line {line}: column participant: empty")
        if not item:
            raise InputError(f"{path}: line {line}: column statement: empty")
        if known is not None and item not in known:
            raise InputError(f"{path}: line {line}: column statement: {item!r} is not a statement of {statements_file}")
        if vote not in ("1", "-1", "0", "+1"):
            raise InputError(f"{path}: line {line}: column vote: {vote!r} is not 1 (agree), -1 (disagree) or 0 (pass)")
        if (person, item) in seen:
            raise InputError(
                f"{path}: line {line}: a second vote of {person!r} on statement {item!r} (the first is on line "
                f"{seen[person, item]})"
            )
        seen[person, item] = line
        votes[row] = int(vote)
    return people.to_numpy(), items.to_numpy(), votes


def parser() -> ArgumentParser:
    p = argparse.ArgumentParser(prog="lofte opinion-groups", description=__doc__.split("\n\n")[0])
    p.add_argument("votes", type=Path, help="CSV with participant, statement, vote (1, -1 or 0)")
    p.add_argument("--statements", type=Path, help="CSV with a column statement: the only statements allowed")
    p.add_argument("--min-votes", type=int, default=7, help="votes a participant needs to be clustered (7)")
    p.add_argument("--seed", type=int, default=0, help="k-means's random starts (same seed, same groups)")
    p.add_argument("--out", type=Path, help="write the groups as JSON here")
    return p


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv[1:])
    try:
        people, items, votes = _votes(args.votes, args.statements)
        found = opinion_groups(people, items, votes, min_votes=args.min_votes, seed=args.seed)
    except (InputError, ValueError) as exc:
        print(f"lofte opinion-groups: {exc}", file=sys.stderr)
        return 2
    sizes = ", ".join(str(len(g)) for g in found.groups)
    print(
        f"{found.k} groups ({sizes} participants; silhouette {found.silhouette:.2f}); "
        f"{len(found.consensus)} consensus statements; {len(found.left_out)} participants with too few votes"
    )
    if args.out and not write_json(args.out, found.to_dict(), "lofte opinion-groups"):
        return 2
    return 0
