"""The `lofte` console script: Django's management commands plus Löfte's own.

`--db PATH` before or after the command name points any command at a SQLite file,
so `lofte demo --db var/demo.sqlite3 --no-serve` needs no environment variables.
"""

import os
import sys
from pathlib import Path

from lofte import tools


def _take_db_option(argv: list[str]) -> tuple[list[str], str | None]:
    """Remove `--db PATH` / `--db=PATH` from argv and return (argv, path or None)."""
    rest, path = [], None
    args = iter(argv)
    for arg in args:
        if arg == "--db":
            path = next(args, None)
            if path is None:
                sys.exit("lofte: --db needs a path to a SQLite file")
        elif arg.startswith("--db="):
            path = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return rest, path


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in tools.COMMANDS:
        tools.run(argv[1:])  # file-based analysis: no database, no settings
    argv, db_path = _take_db_option(argv)
    if db_path:
        db_file = Path(db_path).expanduser().resolve()
        db_file.parent.mkdir(parents=True, exist_ok=True)
        os.environ["LOFTE_DATABASE_URL"] = "sqlite:///" + str(db_file)
    if len(argv) > 1 and argv[1] == "demo":
        # The demo is a local, single-user showcase; debug mode avoids asking for a secret key.
        os.environ.setdefault("LOFTE_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lofte.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
