"""Benchmark: a city's situation report (lägesbild) with 1 000 000 incidents, as HTML and as a PDF.

    .venv/bin/python benchmarks/situation_report.py [--incidents 1000000] [--observations 100000] [--repeat 3]

Uses a copy of the database of benchmarks/observations.py in var/situation-report-bench/ (built first
if missing: five years of incidents and observations in one area, thirty incident types), with the
area split into four touching parts to compare (their incidents then stored under the parts, as in a
city whose districts are entered).
Targets (issue 26): the report built from the data (its figures generated, from an empty cache) and
written as HTML in at most 10 s, as a PDF in at most 30 s. The peer is the least any such report must
do: one SQL GROUP BY that counts the area's incidents per type and year over the same five years, run
on the same database in the same run.
"""

import argparse
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import observations as bench  # noqa: E402  (the shared database)

YEAR = bench.WEEK.year
FOLDER = ROOT / "var" / "situation-report-bench"


def peer_counts() -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, strftime('%%Y', occurred_from) AS year, COUNT(*) FROM incidents_incident"
            " WHERE area_id IN (SELECT id FROM places_area WHERE code LIKE 'bench%%') AND occurred_from >= %s"
            " GROUP BY 1, 2",
            [f"{YEAR - 4}-01-01"],
        )
        cursor.fetchall()
    return time.perf_counter() - started


def report():
    """The bench city's report for the year, with four parts (made once, kept in the database)."""
    from django.contrib.auth import get_user_model

    from lofte.accounts.models import Organisation
    from lofte.places.models import Area
    from lofte.plans.models import SituationReport

    found = SituationReport.objects.filter(area__code="bench", year=YEAR).first()
    if found:
        return found
    west, south = 11.85, 57.70
    parts = []
    for i, (dx, dy) in enumerate(((0, 0), (0.05, 0), (0, 0.03), (0.05, 0.03))):
        x, y = west + dx, south + dy
        polygon = {"type": "Polygon", "coordinates": [[[x, y], [x + 0.05, y], [x + 0.05, y + 0.03], [x, y + 0.03],
                                                        [x, y]]]}  # fmt: skip
        parts.append(
            Area.objects.get_or_create(code=f"bench-{i}", defaults={"name": f"Del {i}", "polygon": polygon})[0]
        )
    org = Organisation.objects.get(name="Bench municipality")
    org.areas.add(*parts)
    made = SituationReport.objects.create(
        organisation=org, area=Area.objects.get(code="bench"), year=YEAR, title="Lägesbild bench",
        municipality_code="9999", municipality_name="Bench", created_by=get_user_model().objects.first(),
    )  # fmt: skip
    made.parts.set(parts)
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--observations", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    FOLDER.mkdir(parents=True, exist_ok=True)
    name = f"bench-{args.incidents}-{args.observations}.sqlite3"
    database, shared = FOLDER / name, bench.FOLDER / name
    if not database.exists() and shared.exists():
        shutil.copyfile(shared, database)  # the parts move its incidents: never change the shared one
    os.environ.update(
        LOFTE_DATABASE_URL=f"sqlite:///{database}",
        LOFTE_CACHE_DIR=str(FOLDER / "cache"),
        LOFTE_DEBUG="1",
        DJANGO_SETTINGS_MODULE="lofte.config.settings",
    )
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.utils import timezone

    from lofte.places.models import Area
    from lofte.plans import figures
    from lofte.plans.render import render_document

    if not database.exists() or not Area.objects.filter(code="bench").exists():
        started = time.perf_counter()
        bench.build(args.incidents, args.observations)
        print(f"built in {time.perf_counter() - started:.0f} s")
    call_command("migrate", verbosity=0)
    found = report()
    print(f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"# {args.incidents:,} incidents and {args.observations:,} observations in one area, five years;"
          f" the report of {YEAR} with four parts")  # fmt: skip
    peer: list[float] = []
    generated: list[float] = []
    html: list[float] = []
    pdf: list[float] = []
    for _ in range(args.repeat):
        peer.append(peer_counts())
        cache.clear()
        started = time.perf_counter()
        found.figures, found.figures_at = figures.generate(found), timezone.now()
        generated.append(time.perf_counter() - started)
        started = time.perf_counter()
        page = render_document(found, language="sv", fmt="html")
        html.append(generated[-1] + time.perf_counter() - started)
        started = time.perf_counter()
        document = render_document(found, language="sv", fmt="pdf")
        pdf.append(generated[-1] + time.perf_counter() - started)
    print(f"html {len(page):,} characters, pdf {len(document):,} bytes")
    median = statistics.median
    print("| measure | median | ratio to the peer |")
    print("|---|---|---|")
    for name, times in [
        ("peer: SQL GROUP BY per type and year", peer),
        ("the figures generated, empty cache", generated),
        ("figures + HTML (target ≤ 10 s)", html),
        ("figures + PDF (target ≤ 30 s)", pdf),
    ]:
        print(f"| {name} | {median(times) * 1000:.0f} ms | {median(times) / median(peer):.2f} |")


if __name__ == "__main__":
    main()
