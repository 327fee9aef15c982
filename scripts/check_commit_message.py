#!/usr/bin/env python3
"""Check a commit message as CONTRIBUTING.md asks: a subject of at most 72 characters in the
imperative (no trailing full stop), an empty line, and a body that says why.

Usage: scripts/check_commit_message.py FILE (git's commit-msg hook passes the message's file;
`pre-commit install --hook-type commit-msg` installs it). Exits 1 naming each problem.
"""

import sys
from pathlib import Path

MAX_SUBJECT = 72
# Subjects start with a verb in the imperative ("Add", "Fix"), not a past tense or a third person.
NOT_IMPERATIVE = ("Added ", "Adds ", "Fixed ", "Fixes ", "Changed ", "Changes ", "Removed ", "Removes ",
                  "Updated ", "Updates ", "Made ", "Makes ")  # fmt: skip


def problems(message: str) -> list[str]:
    lines = [line for line in message.splitlines() if not line.startswith("#")]
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines or not lines[0].strip():
        return ["the message is empty"]
    subject, found = lines[0], []
    if subject.startswith(("Merge ", "Revert ", "fixup! ", "squash! ")):
        return []
    if len(subject) > MAX_SUBJECT:
        found.append(f"the subject has {len(subject)} characters; at most {MAX_SUBJECT}")
    if subject.endswith("."):
        found.append("the subject ends with a full stop")
    if subject.startswith(NOT_IMPERATIVE):
        found.append(f"write the subject in the imperative ('Add …', not '{subject.split()[0]} …')")
    if len(lines) < 3 or lines[1].strip() or not any(line.strip() for line in lines[2:]):
        found.append("add a body after an empty line: say why the change is made")
    return found


def main(argv: list[str]) -> int:
    found = problems(Path(argv[1]).read_text(encoding="utf-8"))
    for problem in found:
        print(f"commit message: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
