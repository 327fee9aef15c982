"""The demo in a SQLite file of a benchmark's own, built afresh, and Django set up on it: the benchmarks
that measure the demo's promise (report.py, letters_shaped.py) start here."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def use_demo(folder: Path) -> None:
    """Build the demo in `folder`/demo.sqlite3 (cache in `folder`/cache) and set Django up on it."""
    database = folder / "demo.sqlite3"
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("demo.sqlite3*"):
        stale.unlink()
    command = [sys.executable, "-m", "lofte.cli", "demo", "--no-serve", "--db", str(database)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    os.environ.update(
        LOFTE_DATABASE_URL=f"sqlite:///{database}",
        LOFTE_CACHE_DIR=str(folder / "cache"),
        LOFTE_DEBUG="1",
        DJANGO_SETTINGS_MODULE="lofte.config.settings",
    )
    import django

    django.setup()
