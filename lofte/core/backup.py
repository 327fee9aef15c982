"""Back up and restore the whole database: SQLite's online backup (safe while the site runs), or
pg_dump and pg_restore for PostgreSQL (their custom format)."""

import os
import shutil
import sqlite3
import subprocess
from glob import glob
from pathlib import Path
from typing import Any

from django.db import connection


class BackupError(Exception):
    """The backup or restore could not be done; the message says why."""


def backup(path: str | Path) -> Path:
    """Write a copy of the database to `path`; return `path`."""
    path = Path(path)
    if connection.vendor == "sqlite":
        target = sqlite3.connect(path)
        try:
            _sqlite_connection().backup(target)
        finally:
            target.close()
    else:
        _run_pg("pg_dump", "--format=custom", "--no-owner", f"--file={path}")
    return path


def restore(path: str | Path) -> None:
    """Replace the database's contents with the backup at `path`."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such backup")
    if connection.vendor == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if not source.execute("SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'").fetchone():
                raise BackupError(f"{path}: not a backup of a Löfte database")
            source.backup(_sqlite_connection())
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path}: not a SQLite backup ({exc})") from exc
        finally:
            source.close()
    else:
        _run_pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", str(path))


def _sqlite_connection() -> Any:
    connection.ensure_connection()
    return connection.connection


def _run_pg(program: str, *args: str) -> None:
    settings = connection.settings_dict
    env = os.environ | {"PGPASSWORD": settings.get("PASSWORD") or ""}
    target = [f"--host={settings.get('HOST') or 'localhost'}", f"--port={settings.get('PORT') or 5432}",
              f"--username={settings.get('USER') or ''}", f"--dbname={settings['NAME']}"]  # fmt: skip
    result = subprocess.run([_pg_tool(program), *target, *args], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise BackupError(f"{program}: {result.stderr.strip()}")


def _pg_tool(program: str) -> str:
    """The PostgreSQL client program on PATH, else in Debian's /usr/lib/postgresql/<version>/bin."""
    candidates = sorted(glob(f"/usr/lib/postgresql/*/bin/{program}"), key=lambda p: int(Path(p).parts[4]))
    found = shutil.which(program) or (candidates[-1] if candidates else None)
    if found is None:
        raise BackupError(f"{program} not found: install PostgreSQL's client programs (postgresql-client)")
    return found
