"""Benchmark: a wave's invitation letters in Arabic, Persian and Somali as `letters_shaped` lays them
out (WeasyPrint, Pango and HarfBuzz), against the Swedish and English letter `letters` draws with
ReportLab (the peer), for the same invitations of the demo's wave.

    .venv/bin/python benchmarks/letters_shaped.py [--letters 200]

Builds the demo in var/letters-bench/ first. The survey page's estimate (`letters_shaped.PACE`) is a
third of the pace measured here.
"""

import argparse
import io
import os
import platform
import time
from pathlib import Path

from demo_database import use_demo

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "var" / "letters-bench"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=200)
    args = parser.parse_args()
    use_demo(FOLDER)
    from lofte.surveys import letters, letters_shaped
    from lofte.surveys.models import Wave

    wave = max(Wave.objects.all(), key=lambda w: w.invitations.count())
    invitations = list(wave.invitations.order_by("number")[: args.letters])
    print(f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{len(invitations)} letters")  # fmt: skip
    start = time.perf_counter()
    letters.write(io.BytesIO(), wave, invitations)
    peer = time.perf_counter() - start
    print(f"sv+en (ReportLab, peer)  {peer:6.2f} s  {len(invitations) / peer:6.1f} a second  ratio 1")
    for language in letters_shaped.LANGUAGES:
        start = time.perf_counter()
        letters_shaped.write(io.BytesIO(), wave, invitations, language=language)
        took = time.perf_counter() - start
        print(f"{language} (WeasyPrint)        {took:6.2f} s  {len(invitations) / took:6.1f} a second  "
              f"ratio {took / peer:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
