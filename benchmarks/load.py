"""Load benchmark: the public promise page, the situation API and the patrol POST under gunicorn.

    .venv/bin/pip install -e .[server]        # gunicorn
    .venv/bin/python benchmarks/load.py prepare [--incidents 1000000] [--in-area 300000]
    .venv/bin/python benchmarks/load.py run [--rates 25,50,100,200] [--seconds 10]

`prepare` builds the demo database in var/load/ (or on $LOFTE_DATABASE_URL) and adds generated
police.uk incidents, `--in-area` of them inside the demo area. `run` starts gunicorn on 127.0.0.1
(workers = 2 x cores) and sends requests at fixed rates, open loop: each request is due at its
time whether or not the ones before it have been answered, and its latency counts from then, so
a slow server cannot hide its queue. Loopback only, bounded in count and time.

Targets (issue 14, 2 cores): public promise page p95 <= 100 ms at 200 requests/s; patrol POST p99
<= 150 ms at 50 requests/s; situation page and API of the area with 300 000 incidents <= 500 ms.
"""

import argparse
import http.client
import json
import os
import platform
import random
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from import_incidents import HEADER, TYPES  # the same generated rows as the import benchmark

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "var" / "load"
AREA = "biskopsgarden"
PROMISE = "vastra-hisingen-2016"


def environment():
    env = dict(os.environ, LOFTE_DEBUG="0", LOFTE_HTTPS="0", LOFTE_SECRET_KEY="load-benchmark-only")
    env.setdefault("LOFTE_DATABASE_URL", f"sqlite:///{FOLDER / 'lofte.sqlite3'}")
    env["LOFTE_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    return env


def lofte(*args, capture=False):
    command = [sys.executable, "-m", "lofte.cli", *args]
    return subprocess.run(command, env=environment(), cwd=ROOT, check=True, text=True, capture_output=capture)


def incidents_file(path, *, total, in_area, seed=1):
    """police.uk rows: `in_area` inside the demo area's outline, the rest 40 km east of it."""
    import numpy as np
    import shapely
    from shapely.geometry import shape

    outline = shape(json.loads((ROOT / "lofte/demo/data/biskopsgarden.geojson").read_text())["features"][0]["geometry"])
    xmin, ymin, xmax, ymax = outline.bounds
    rng = np.random.default_rng(seed)
    inside = np.empty((0, 2))
    while len(inside) < in_area:
        candidates = np.column_stack([rng.uniform(xmin, xmax, in_area), rng.uniform(ymin, ymax, in_area)])
        inside = np.vstack([inside, candidates[shapely.contains_xy(outline, candidates[:, 0], candidates[:, 1])]])
    points = np.vstack([inside[:in_area], rng.uniform([12.4, 57.7], [12.6, 57.8], (total - in_area, 2))])
    months = [f"{y}-{m:02d}" for y in (2015, 2016, 2017) for m in range(1, 13)]
    r = random.Random(seed)
    with open(path, "w") as handle:
        handle.write(HEADER)
        for i, (lon, lat) in enumerate(points):
            kind = TYPES[min(int(r.expovariate(0.35)), len(TYPES) - 1)]
            handle.write(f"{i:x},{r.choice(months)},Load,Load,{lon:.6f},{lat:.6f},On or near X,,,{kind},,\n")


def prepare(args):
    FOLDER.mkdir(parents=True, exist_ok=True)
    database = FOLDER / "lofte.sqlite3"
    on_sqlite = "LOFTE_DATABASE_URL" not in os.environ
    for stale in FOLDER.glob("lofte.sqlite3*") if on_sqlite else []:
        stale.unlink()
    lofte("demo", "--no-serve", *(["--db", str(database)] if on_sqlite else []))
    path = FOLDER / "incidents.csv"
    incidents_file(path, total=args.incidents, in_area=args.in_area)
    lofte("import-incidents", str(path), "--format", "policeuk", "--source", "load")
    lofte("issue-token", "polis", "--name", "load", capture=True)
    # After a million new rows PostgreSQL's autovacuum analyses the table for a minute or more, on the
    # same cores: measured right away, the first requests competed with it (situation API p50 2.8 s at
    # 100/s where it is 14 ms afterwards). Analyse now, as an operator would after a bulk load.
    if not on_sqlite:
        lofte("shell", "-c", "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(port, method, path, body=None, headers=None):
    """One request on a new connection (gunicorn's sync workers close each one); the status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def open_loop(send, *, rate, seconds):
    """Call `send()` `rate` times a second for `seconds`, each call due at its own time; latencies (ms)
    from when each was due, and how many failed."""
    count = int(rate * seconds)
    latencies, failures, lock = [], [0], threading.Lock()

    def one(due):
        try:
            ok = send() < 500
        except OSError:
            ok = False
        took = (time.perf_counter() - due) * 1000
        with lock:
            latencies.append(took)
            failures[0] += not ok

    with ThreadPoolExecutor(max_workers=min(256, count)) as pool:
        start = time.perf_counter()
        for i in range(count):
            due = start + i / rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            if time.perf_counter() - start > 3 * seconds:
                break  # the server has fallen far behind: stop adding load
            pool.submit(one, due)
    return latencies, failures[0]


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def run(args):
    port, workers = free_port(), 2 * (os.cpu_count() or 1)
    token = lofte("issue-token", "polis", "--name", "load", capture=True).stdout.strip()
    place = lofte(
        "shell",
        "-c",
        f"from lofte.places.models import Place; print(Place.objects.filter(area__code='{AREA}')[0].pk)",
        capture=True,
    ).stdout.split()[-1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lofte.config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=environment(),
        cwd=ROOT,
    )
    try:
        for _ in range(200):
            try:
                request(port, "GET", "/")
                break
            except OSError:
                time.sleep(0.1)
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        day = iter(range(10**6))

        def patrol():
            n = next(day)
            start = f"2016-{n % 12 + 1:02d}-{n % 28 + 1:02d}T{n % 24:02d}:{n % 60:02d}:00"
            body = json.dumps({"place": int(place), "start": start, "end": start.replace(":00", ":20", 1)})
            return request(port, "POST", "/api/v1/patrols/", body, auth)

        cases = {
            "public promise page": lambda: request(port, "GET", f"/loften/{PROMISE}/"),
            "promise API": lambda: request(port, "GET", f"/api/v1/promises/{PROMISE}"),
            "situation API (analyst)": lambda: request(port, "GET", f"/api/v1/areas/{AREA}/situation", None, auth),
            "patrol POST": patrol,
        }
        rates = [float(r) for r in args.rates.split(",")]
        print(f"# {platform.node()}: {os.cpu_count()} cores, {platform.python_version()}, gunicorn x {workers}")
        print(f"# {environment()['LOFTE_DATABASE_URL'].split(':')[0]}, {time.strftime('%Y-%m-%d')}")
        print("| request | rate (/s) | p50 ms | p95 ms | p99 ms | failed |")
        print("|---|---|---|---|---|---|")
        for name, send in cases.items():
            if args.only and args.only not in name:
                continue
            # Warm every worker (its first request imports the analysis libraries and reads the caches):
            # one request warmed one of the four, and the others' first requests landed in the
            # measurement (a first step's p95 of 924 ms where the next was 22 ms).
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for warming in [pool.submit(send) for _ in range(4 * workers)]:
                    warming.result()
            for rate in rates:
                latencies, failed = open_loop(send, rate=rate, seconds=args.seconds)
                p50, p95, p99 = (percentile(latencies, q) for q in (50, 95, 99))
                print(f"| {name} | {rate:g} | {p50:.0f} | {p95:.0f} | {p99:.0f} | {failed}/{len(latencies)} |")
                if p50 > 5000:
                    break  # saturated: higher rates only queue
    finally:
        server.terminate()
        server.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("prepare")
    p.add_argument("--incidents", type=int, default=1_000_000)
    p.add_argument("--in-area", type=int, default=300_000)
    r = commands.add_parser("run")
    r.add_argument("--rates", default="25,50,100,200")
    r.add_argument("--seconds", type=float, default=10)
    r.add_argument("--only", help="run only the requests whose name contains this, e.g. 'patrol'")
    args = parser.parse_args()
    {"prepare": prepare, "run": run}[args.command](args)


if __name__ == "__main__":
    main()
