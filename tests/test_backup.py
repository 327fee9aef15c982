"""`lofte backup` and `lofte restore` round-trip the whole database: on a SQLite file, and on the
PostgreSQL server the suite runs against (its `lofte` database, not the test database)."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # child processes: not in `make test-fast`


def lofte(*args, cwd, database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOFTE_")} | {"LOFTE_DEBUG": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["LOFTE_DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "lofte.cli", *args]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


AREAS = "from lofte.places.models import Area; print(sorted(Area.objects.values_list('code', flat=True)))"
ADD = (
    "from lofte.places.models import Area; "
    "Area.objects.create(name='{0}', code='{0}', polygon={{'type': 'Polygon', 'coordinates': "
    "[[[11.8, 57.7], [11.9, 57.7], [11.9, 57.8], [11.8, 57.8], [11.8, 57.7]]]}})"
)


def database(tmp_path):
    """The PostgreSQL server the suite runs against on its PostgreSQL leg, else a SQLite file."""
    if os.environ.get("LOFTE_DATABASE_URL", "").startswith("postgres"):
        return os.environ["LOFTE_DATABASE_URL"]
    return "sqlite:///" + str(tmp_path / "lofte.sqlite3")


# The PostgreSQL leg runs this one too, on its server (tests/conftest.py); the others are SQLite's.
@pytest.mark.database
def test_a_backup_brings_back_what_was_there(tmp_path):
    database_url = database(tmp_path)
    lofte("migrate", "--verbosity", "0", cwd=tmp_path, database_url=database_url)
    lofte("shell", "-c", ADD.format("kept"), cwd=tmp_path, database_url=database_url)
    backup = tmp_path / ("backup.sqlite3" if database_url.startswith("sqlite") else "backup.dump")
    lofte("backup", str(backup), cwd=tmp_path, database_url=database_url)
    lofte("shell", "-c", ADD.format("later"), cwd=tmp_path, database_url=database_url)
    assert "'later'" in lofte("shell", "-c", AREAS, cwd=tmp_path, database_url=database_url)
    lofte("restore", str(backup), cwd=tmp_path, database_url=database_url)
    assert lofte("shell", "-c", AREAS, cwd=tmp_path, database_url=database_url).strip().endswith("['kept']")


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database" * 200)
    url = "sqlite:///" + str(tmp_path / "lofte.sqlite3")
    lofte("migrate", "--verbosity", "0", cwd=tmp_path, database_url=url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOFTE_")} | {"LOFTE_DEBUG": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["LOFTE_DATABASE_URL"] = url
    for path in (junk, tmp_path / "missing.dump"):
        result = subprocess.run([sys.executable, "-m", "lofte.cli", "restore", str(path)], capture_output=True,
                                text=True, env=env, cwd=tmp_path, timeout=120)  # fmt: skip
        assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
        assert str(path) in result.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="paths of Debian's PostgreSQL")
def test_it_finds_debians_postgresql_programs_when_they_are_not_on_the_path():
    from glob import glob

    from lofte.core.backup import _pg_tool

    if not glob("/usr/lib/postgresql/*/bin/pg_dump"):
        pytest.skip("no PostgreSQL client programs here (apt-get install postgresql)")
    assert _pg_tool("pg_dump").endswith("/bin/pg_dump")
