"""Benchmark: the week's picture of a city district with 1 000 000 incidents and 100 000 observations.

    .venv/bin/python benchmarks/observations.py [--incidents 1000000] [--observations 100000] [--repeat 3]

Builds a SQLite database in var/observations-bench/ first (five years of both in one area, thirty
incident types, the EST categories). Targets (issue 25): the picture at most 3 s from an empty cache
and at most 300 ms cached; the page with its map of the year's hot spots is measured too. The peer is
the least any weekly picture must do: one SQL GROUP BY that counts the area's incidents and
observations per type and week over the same five years, run on the same database in the same run.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "var" / "observations-bench"
WEEK = date(2021, 12, 20)  # the Monday of the week judged: five years of history before it
FIRST = WEEK - timedelta(weeks=52 * 5 + 3)  # the first week of the longest history the picture uses


def build(incidents: int, observations: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from lofte.accounts.models import Organisation
    from lofte.incidents import importer
    from lofte.incidents.models import ImportRun
    from lofte.ingest.common import CRIME, EXACT, IncidentBatch
    from lofte.observations.categories import seed
    from lofte.observations.models import Category, Observation
    from lofte.places.models import Area

    call_command("migrate", verbosity=0)
    seed(Category)
    west, south = 11.85, 57.70
    area = Area.objects.create(
        name="Bench", code="bench",
        polygon={"type": "Polygon", "coordinates": [[[west, south], [west + 0.1, south], [west + 0.1, south + 0.06],
                                                       [west, south + 0.06], [west, south]]]},
    )  # fmt: skip
    org = Organisation.objects.create(name="Bench municipality", kind="municipality")
    org.areas.add(area)
    get_user_model().objects.create(username="bench", is_superuser=True, is_staff=True)
    rng = np.random.default_rng(1)
    days = (WEEK + timedelta(days=7) - FIRST).days
    stockholm = datetime(2017, 1, 1).astimezone().tzinfo
    types = [f"Typ {k:02d}" for k in range(30)]
    weights = np.exp(-np.arange(30) / 6)
    weights /= weights.sum()
    rows = []
    start = datetime(FIRST.year, FIRST.month, FIRST.day, tzinfo=stockholm)
    seconds = np.sort(rng.integers(0, days * 86400, incidents))  # in time order, as files are imported
    kinds = rng.choice(30, incidents, p=weights)
    lon, lat = west + rng.random(incidents) * 0.1, south + rng.random(incidents) * 0.06
    for i in range(incidents):
        when = start + timedelta(seconds=int(seconds[i]))
        rows.append((str(i), i, when, when, None, types[kinds[i]], CRIME, float(lon[i]), float(lat[i]), EXACT, "", "",
                     "{}", str(i)))  # fmt: skip
    run = ImportRun.objects.create(source="bench", format="bench", file_name="bench", file_sha256="bench")
    importer.load([IncidentBatch.from_rows("bench", rows, ids_unique=True)], run)
    categories = list(Category.objects.all())
    picked = rng.integers(0, len(categories), observations)
    on = rng.integers(0, days, observations)
    Observation.objects.bulk_create(
        [
            Observation(
                area=area,
                organisation=org,
                category=categories[picked[i]],
                occurred_on=FIRST + timedelta(days=int(on[i])),
                lon=west + 0.05,
                lat=south + 0.03,
            )
            for i in range(observations)
        ],  # fmt: skip
        batch_size=5000,
    )


def peer_counts() -> float:
    """The peer: the area's incidents and observations counted per type and week in SQL."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, CAST((julianday(occurred_from) - julianday(%s)) / 7 AS INTEGER) AS week, COUNT(*)"
            " FROM incidents_incident WHERE area_id = (SELECT id FROM places_area WHERE code = 'bench') GROUP BY 1, 2",
            [FIRST.isoformat()],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT category_id, CAST((julianday(occurred_on) - julianday(%s)) / 7 AS INTEGER), COUNT(*)"
            " FROM observations_observation GROUP BY 1, 2",
            [FIRST.isoformat()],
        )
        cursor.fetchall()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--observations", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    FOLDER.mkdir(parents=True, exist_ok=True)
    database = FOLDER / f"bench-{args.incidents}-{args.observations}.sqlite3"
    os.environ.update(
        LOFTE_DATABASE_URL=f"sqlite:///{database}",
        LOFTE_CACHE_DIR=str(FOLDER / "cache"),
        LOFTE_DEBUG="1",
        DJANGO_SETTINGS_MODULE="lofte.config.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    from lofte.observations import weekly
    from lofte.places.models import Area

    if not database.exists() or not Area.objects.filter(code="bench").exists():
        started = time.perf_counter()
        build(args.incidents, args.observations)
        print(f"built in {time.perf_counter() - started:.0f} s")
    area = Area.objects.get(code="bench")
    print(f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"# {args.incidents:,} incidents and {args.observations:,} observations in one area, five years")
    cold: list[float] = []
    cached: list[float] = []
    peer: list[float] = []
    page_cold: list[float] = []
    page_cached: list[float] = []
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="bench"))
    for _ in range(args.repeat):
        peer.append(peer_counts())
        cache.clear()
        started = time.perf_counter()
        found = weekly.week_picture(area, WEEK)
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        weekly.week_picture(area, WEEK)
        cached.append(time.perf_counter() - started)
        cache.clear()
        for times in (page_cold, page_cached):
            started = time.perf_counter()
            assert client.get(f"/personal/omraden/bench/vecka/?week={weekly.week_label(WEEK)}").status_code == 200
            times.append(time.perf_counter() - started)
    print(f"rows judged: {len(found.rows)}, years of history {found.years}")
    median = statistics.median
    print("| measure | median | ratio to the peer |")
    print("|---|---|---|")
    for name, times in [
        ("peer: SQL GROUP BY per type and week", peer),
        ("the picture, empty cache (target ≤ 3 s)", cold),
        ("the picture, cached (target ≤ 0.3 s)", cached),
        ("the page with the map, empty cache", page_cold),
        ("the page, cached", page_cached),
    ]:
        print(f"| {name} | {median(times) * 1000:.0f} ms | {median(times) / median(peer):.2f} |")


if __name__ == "__main__":
    main()
