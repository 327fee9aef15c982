"""Benchmark: 1 000 000 generated police.uk-style rows into SQLite (or $LOFTE_DATABASE_URL).

Measures the first import, a re-import of the same file (everything unchanged) and peak
memory, and reads the same file with DuckDB's read_csv as the practical limit.

    .venv/bin/python benchmarks/import_incidents.py [--rows 1000000] [--repeat 5]

Target (issue 3): at most 15 s for the first import on the reference machine, a
re-import in no more time, memory under 1 GiB.
"""

import argparse
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
)
TYPES = [
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
    "Other crime",
]
OUTCOMES = [
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Under investigation",
    "Status update unavailable",
    "Offender given a caution",
]


def generate(path, rows, seed=1):
    """A file like a large force's monthly releases: snap points, ASB without ids, unlocated rows."""
    rng = random.Random(seed)
    points = [(round(-0.2 + rng.random() * 0.3, 6), round(51.45 + rng.random() * 0.15, 6)) for _ in range(20_000)]
    with open(path, "w", newline="") as out:
        out.write(HEADER)
        for i in range(rows):
            month = f"2024-{1 + i * 12 // rows:02d}"
            crime_type = TYPES[rng.randrange(len(TYPES))]
            crime_id = "" if crime_type == TYPES[0] else f"{rng.getrandbits(256):064x}"
            outcome = "" if not crime_id else OUTCOMES[rng.randrange(len(OUTCOMES))]
            if rng.random() < 0.1:
                lon = lat = ""
                location, lsoa_code, lsoa_name = "No Location", "", ""
            else:
                x, y = points[rng.randrange(len(points))]
                lon, lat = str(x), str(y)
                location, lsoa_code, lsoa_name = (
                    f"On or near Street {rng.randrange(5000)}",
                    f"E0100{rng.randrange(10000):04d}",
                    f"Borough {rng.randrange(300):03d}A",
                )
            out.write(
                f"{crime_id},{month},Metropolitan Police Service,Metropolitan Police Service,{lon},{lat},"
                f"{location},{lsoa_code},{lsoa_name},{crime_type},{outcome},\r\n"
            )


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs into a fresh database each (timings on a shared machine vary)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lofte-bench-") as work:  # 0.8 GB: gone afterwards
        measure(Path(work), args.rows, args.repeat)


def fresh_database(connection):
    """An empty incident table in a database like a new installation's."""
    from django.core.management import call_command

    if connection.vendor == "sqlite":
        path = str(connection.settings_dict["NAME"])
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)


def measure(work, rows, repeat):
    csv_path = work / "street.csv"
    started = time.perf_counter()
    generate(csv_path, rows)
    os.sync()  # the generated file's dirty pages are flushed now, not while the import is timed
    print(f"generated {rows:,} rows ({csv_path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f} s")

    os.environ.setdefault("LOFTE_DATABASE_URL", f"sqlite:///{work / 'bench.sqlite3'}")
    os.environ.setdefault("LOFTE_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lofte.config.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    from django.db import connection

    from lofte.incidents import importer

    timings: dict[str, list[float]] = {"first import": [], "re-import": []}
    for _ in range(repeat):
        fresh_database(connection)
        for label in timings:
            started = time.perf_counter()
            run = importer.run(csv_path, format="policeuk")
            timings[label].append(time.perf_counter() - started)
            print(f"{label}: {timings[label][-1]:.2f} s, {rows / timings[label][-1]:,.0f} rows/s; {run.summary()}")
    if repeat > 1:
        for label, seconds in timings.items():
            print(
                f"{label} over {repeat} runs: min {min(seconds):.2f} s, median {statistics.median(seconds):.2f} s, "
                f"max {max(seconds):.2f} s"
            )
    print(f"peak memory: {peak_rss_mib():.0f} MiB; database: {connection.vendor}")

    try:
        import duckdb
    except ImportError:
        print("duckdb not installed: pip install duckdb for the reference timing")
        return
    started = time.perf_counter()
    query = f"SELECT count(*) FROM read_csv('{csv_path}', header=true, all_varchar=true)"
    count = duckdb.execute(query).fetchall()[0][0]
    duck = time.perf_counter() - started
    print(f"duckdb read_csv: {duck:.2f} s for {count:,} rows")
    print(f"ratio first import / duckdb: {statistics.median(timings['first import']) / duck:.1f}x (median)")
    machine = platform.processor() or platform.machine()
    print(f"machine: {machine}, {os.cpu_count()} cores, Python {platform.python_version()}")


if __name__ == "__main__":
    main()
