"""Benchmark: rake 100 000 respondents to 3 margins, then 40 items x 10 domains with intervals.

    .venv/bin/python benchmarks/survey.py [--respondents 100000]

Target (issue 6): at most 1 s. The peer is R's survey on the same data in the same run:
rake(), then svyby(~items, ~domain, svymean) for all items at once (proportions of every
level with standard errors; R's time leaves out the logit intervals, which it computes one
at a time with svyciprop, so it is an underestimate of R on the full task).
"""

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lofte.analysis import survey as sv  # noqa: E402
from lofte.analysis.survey_table import estimate_table  # noqa: E402

AGES, SEXES = ["16-29", "30-49", "50-64", "65+"], ["F", "M"]


def respondents(n, rng):
    frame = pd.DataFrame(
        {
            "stratum": rng.integers(0, 10, n),
            "w": rng.uniform(20, 60, n),
            "age": rng.choice(AGES, n),
            "sex": rng.choice(SEXES, n),
            "area": rng.integers(0, 10, n).astype(str),
        }
    )
    frame["psu"] = frame["stratum"] * 1000 + rng.integers(0, 50, n)
    for k in range(40):
        frame[f"q{k:02d}"] = rng.choice(["1", "2", "3", "4", ""], n, p=[0.3, 0.3, 0.2, 0.15, 0.05])
    return frame


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--respondents", type=int, default=100_000)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    frame = respondents(args.respondents, rng)
    total = frame["w"].sum()
    margins = [
        (frame["age"].to_numpy(), {a: total / 4 for a in AGES}),
        (frame["sex"].to_numpy(), {s: total / 2 for s in SEXES}),
        (frame["area"].to_numpy(), {str(a): total / 10 for a in range(10)}),
    ]
    items = {f"q{k:02d}": frame[f"q{k:02d}"].replace("", None).tolist() for k in range(40)}

    started = time.perf_counter()
    d = sv.design(weights=frame["w"], strata=frame["stratum"], clusters=frame["psu"])
    d = sv.rake(d, margins, max_iter=50, epsilon=1.0)
    rows = estimate_table(d, items, domains=frame["area"], ci="logit")
    ours = time.perf_counter() - started
    print(f"Löfte: rake + {len(rows)} estimates with logit intervals, {args.respondents:,} respondents: {ours:.2f} s")

    rscript = shutil.which("Rscript")
    if rscript is None:
        print("R not installed: apt-get install r-cran-survey for the peer timing")
        return
    folder = Path(tempfile.mkdtemp())
    frame.replace("", np.nan).to_csv(folder / "data.csv", index=False)
    program = f"""
suppressMessages(library(survey))
df <- read.csv("{folder / "data.csv"}", colClasses="character")
df$w <- as.numeric(df$w)
t0 <- Sys.time()
d <- svydesign(id=~psu, strata=~stratum, weights=~w, data=df)
tot <- sum(df$w)
d <- rake(d, list(~age, ~sex, ~area), list(data.frame(age=c("16-29","30-49","50-64","65+"), Freq=rep(tot/4, 4)),
  data.frame(sex=c("F","M"), Freq=rep(tot/2, 2)), data.frame(area=as.character(0:9), Freq=rep(tot/10, 10))),
  control=list(maxit=50, epsilon=1))
f <- as.formula(paste("~", paste(sprintf("q%02d", 0:39), collapse="+")))
b <- svyby(f, ~area, d, svymean, na.rm=TRUE)
a <- svymean(f, d, na.rm=TRUE)
cat(as.numeric(difftime(Sys.time(), t0, units="secs")))
"""
    (folder / "bench.R").write_text(program)
    result = subprocess.run([rscript, str(folder / "bench.R")], capture_output=True, text=True)
    shutil.rmtree(folder)
    if result.returncode:
        print("R failed:", result.stderr[-500:])
        return
    theirs = float(result.stdout.strip().split()[-1])
    print(
        f"R survey: rake + svyby/svymean of the same items (no intervals): {theirs:.2f} s; "
        f"R / Löfte = {theirs / ours:.1f}"
    )
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")


if __name__ == "__main__":
    main()
