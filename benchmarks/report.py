"""Benchmark: the demo promise's full report as HTML and as an A4 PDF, computed from scratch (empty cache).

    .venv/bin/python benchmarks/report.py [--repeat 3]

Builds the demo in var/report-bench/ first. Targets (issue 13): HTML at most 2 s, PDF at most 15 s.
"""

import argparse
import os
import platform
import time
from pathlib import Path

from demo_database import use_demo

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "var" / "report-bench"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    use_demo(FOLDER)
    from django.core.cache import cache

    from lofte.promises.models import Promise
    from lofte.promises.report import render_report

    promise = Promise.objects.get(slug="vastra-hisingen-2016")
    print(f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for fmt in ("html", "pdf"):
        times = []
        for _ in range(args.repeat):
            cache.clear()
            start = time.perf_counter()
            render_report(promise, language="sv", fmt=fmt)
            times.append(time.perf_counter() - start)
        print(f"{fmt}: best {min(times):.2f} s, worst {max(times):.2f} s (empty cache)")


if __name__ == "__main__":
    main()
