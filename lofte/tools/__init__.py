"""The analysts' command-line tools: files in, files out, no database and no Django.

They read and write files and print; the computations they call live in `lofte.analysis`.
`COMMANDS` maps each `lofte <command>` to the tool that runs it (`lofte.cli` asks here).
"""

import sys
from collections.abc import Callable


def _analysis(argv: list[str]) -> int:
    from . import analysis

    return analysis.main(argv)


def _survey(argv: list[str]) -> int:
    from . import survey

    return survey.main(argv[1:])


def _evaluate(argv: list[str]) -> int:
    from . import evaluate

    return evaluate.main(argv)


def _opinion(argv: list[str]) -> int:
    from . import opinion

    return opinion.main(argv)


COMMANDS: dict[str, Callable[[list[str]], int]] = {
    "opinion-groups": _opinion,
    "evaluate": _evaluate,
    "hotspots": _analysis,
    "concentration": _analysis,
    "nearrepeat": _analysis,
    "emerging-hotspots": _analysis,
    "survey": _survey,
}


def run(argv: list[str]) -> None:
    """Run `lofte <command> …` (argv without the program name) and exit with its status."""
    sys.exit(COMMANDS[argv[0]](argv))
