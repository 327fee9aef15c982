"""Run R's `survey` package as an oracle: skip with a reason when R or the package is missing."""

import json
import shutil
import subprocess

import pytest


def r_survey(script, *, data=None, tmp_path):
    """Run an R script with `library(survey)` loaded and `jsonlite`-free JSON output via `out()`.

    `data` (a pandas DataFrame) is available in R as `df`. The script calls `out(name, value)`
    for numbers it wants back; returns a dict of them.
    """
    rscript = shutil.which("Rscript")
    if rscript is None:
        pytest.skip("Rscript is not installed (apt-get install r-cran-survey)")
    check = subprocess.run([rscript, "-e", "library(survey)"], capture_output=True, text=True)
    if check.returncode:
        pytest.skip("R's survey package is not installed (apt-get install r-cran-survey)")
    if data is not None:
        data.to_csv(tmp_path / "data.csv", index=False)
    read = f'df <- read.csv("{tmp_path / "data.csv"}", stringsAsFactors=FALSE)' if data is not None else ""
    program = "\n".join(
        [
            "suppressMessages(library(survey))",
            "results <- list()",
            "out <- function(name, value) results[[name]] <<- as.numeric(value)",
            read,
            script,
            """lines <- sapply(names(results), function(n) paste0('"', n, '": [', """
            """paste(sprintf("%.17g", results[[n]]), collapse=","), ']'))""",
            'cat("{", paste(lines, collapse=","), "}")',
        ]
    )
    (tmp_path / "run.R").write_text(program)
    result = subprocess.run([rscript, str(tmp_path / "run.R")], capture_output=True, text=True, timeout=300)
    if result.returncode:
        raise RuntimeError(f"R failed:\n{result.stderr}")
    text = result.stdout[result.stdout.rindex("{") :] if "{" in result.stdout else result.stdout
    try:
        values = json.loads(text.replace("NA", "null"))
    except json.JSONDecodeError as exc:
        raise RuntimeError(f"R printed something else:\n{result.stdout}\n{result.stderr}") from exc
    return {k: (v[0] if len(v) == 1 else v) for k, v in values.items()}


def api_data(tmp_path):
    """R survey's `api` data (apistrat, apiclus1, apiclus2) as pandas DataFrames, read from R itself."""
    import pandas as pd

    r_survey(
        f'data(api); write.csv(apistrat, "{tmp_path}/apistrat.csv", row.names=FALSE); '
        f'write.csv(apiclus1, "{tmp_path}/apiclus1.csv", row.names=FALSE); '
        f'write.csv(apiclus2, "{tmp_path}/apiclus2.csv", row.names=FALSE); out("ok", 1)',
        tmp_path=tmp_path,
    )
    return {name: pd.read_csv(tmp_path / f"{name}.csv") for name in ("apistrat", "apiclus1", "apiclus2")}
