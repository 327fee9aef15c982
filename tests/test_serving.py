"""`lofte serve` serves only a database that is there and migrated; `lofte demo` serves only this machine."""

import os
import sqlite3
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # child processes: not in `make test-fast`


def lofte(*args, cwd, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LOFTE_")}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean |= {"LOFTE_SECRET_KEY": "s" * 20 + "ecret-for-serving-tests-" + "x1y2z3" * 3, **env}
    command = [sys.executable, "-m", "lofte.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, env=clean, cwd=cwd, timeout=120)


def test_serve_refuses_a_missing_database_and_creates_none(tmp_path):
    missing = tmp_path / "missing.sqlite3"
    result = lofte("serve", "--db", str(missing), cwd=tmp_path)
    assert result.returncode != 0
    assert "no such database" in result.stderr and "Traceback" not in result.stderr
    assert not missing.exists()


def test_serve_refuses_an_unmigrated_or_corrupt_database(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    result = lofte("serve", "--db", str(empty), cwd=tmp_path)
    assert result.returncode != 0 and "run `lofte migrate` first" in result.stderr
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"this is not a database" * 100)
    result = lofte("serve", "--db", str(corrupt), cwd=tmp_path)
    assert result.returncode != 0 and "cannot read the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_demo_refuses_to_serve_other_machines(tmp_path):
    result = lofte("demo", "--db", str(tmp_path / "demo.sqlite3"), "--host", "0.0.0.0", cwd=tmp_path)
    assert result.returncode != 0 and "serves only this machine" in result.stderr
    assert not (tmp_path / "demo.sqlite3").exists()
