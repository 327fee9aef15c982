"""The analysts' command line: files in, files out, clear errors, no database."""

import gzip
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from lofte.tools import analysis as cli

from .shared_data import shared_file

LONLAT = ["--x", "longitude", "--y", "latitude", "--lonlat"]  # the shared files' WGS84 columns


@pytest.fixture
def burglary(tmp_path):
    path = tmp_path / "notts.csv"
    path.write_bytes(gzip.decompress(shared_file("crimemapping", "nottingham_burglary.csv.gz").read_bytes()))
    return path


def test_hotspots_writes_the_documented_columns(burglary, tmp_path, capsys):
    out = tmp_path / "cells.csv"
    assert (
        cli.main(
            [
                "hotspots",
                str(burglary),
                *LONLAT,
                "--to-crs",
                "EPSG:27700",
                "--cell",
                "250",
                "--bandwidth",
                "500",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    cells = pd.read_csv(out)
    assert list(cells.columns) == ["cell_id", "x", "y", "n", "kde", "gi_z", "gi_p", "gi_p_fdr", "gi_class"]
    assert cells["n"].sum() == 1795
    assert set(cells["gi_class"]) <= {-3, -2, -1, 0, 1, 2, 3}
    assert (cells["gi_class"] == 3).any()
    assert "bandwidth 500 m" in capsys.readouterr().out


def test_hotspots_writes_geojson_in_wgs84(burglary, tmp_path):
    out = tmp_path / "cells.geojson"
    assert (
        cli.main(
            [
                "hotspots",
                str(burglary),
                *LONLAT,
                "--cell",
                "500",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    collection = json.loads(out.read_text())
    lon, lat = collection["features"][0]["geometry"]["coordinates"][0][0]
    assert -1.3 < lon < -1.0 and 52.8 < lat < 53.1


def test_it_refuses_degrees_as_metres_and_names_missing_columns(burglary, tmp_path, capsys):
    assert (
        cli.main(["hotspots", str(burglary), "--x", "longitude", "--y", "latitude", "--out", str(tmp_path / "x.csv")])
        == 2
    )
    assert "longitude/latitude degrees" in capsys.readouterr().err
    assert (
        cli.main(
            [
                "hotspots",
                str(burglary),
                "--x",
                "easting",
                "--y",
                "latitude",
                "--lonlat",
                "--out",
                str(tmp_path / "x.csv"),
            ]
        )
        == 2
    )
    assert "no column 'easting'" in capsys.readouterr().err
    assert (
        cli.main(
            [
                "hotspots",
                str(burglary),
                "--x",
                "longitude",
                "--y",
                "latitude",
                "--crs",
                "EPSG:4326",
                "--out",
                str(tmp_path / "x.csv"),
            ]
        )
        == 2
    )
    assert "in degrees" in capsys.readouterr().err


def test_it_names_the_line_of_a_bad_number(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("x,y\n100,200\n300,oops\n")
    assert (
        cli.main(
            ["hotspots", str(path), "--x", "x", "--y", "y", "--crs", "EPSG:3006", "--out", str(tmp_path / "o.csv")]
        )
        == 2
    )
    assert "line 3: column y: not a number: 'oops'" in capsys.readouterr().err


def test_nearrepeat_reads_a_headerless_file_by_position(tmp_path):
    out = tmp_path / "table.csv"
    assert (
        cli.main(
            [
                "nearrepeat",
                str(shared_file("nearrepeat", "chicago_arson.csv")),
                "--no-header",
                "--x",
                "1",
                "--y",
                "2",
                "--date",
                "3",
                "--space-band",
                "200",
                "--space-bands",
                "3",
                "--time-band",
                "1",
                "--time-bands",
                "3",
                "--permutations",
                "19",
                "--seed",
                "1",
                "--float32",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    table = pd.read_csv(out)
    assert list(table.columns) == ["space", "time", "observed", "expected", "ratio", "p"]
    assert table["observed"].tolist()[:8] == [0, 2, 0, 8, 9, 1, 1, 45]


def test_concentration_counts_places_without_incidents_when_told(burglary, capsys):
    assert cli.main(["concentration", str(burglary), "--unit", "lsoa_code", "--places", "400"]) == 0
    out = capsys.readouterr().out
    assert "generalized_gini" in out and "400" in out
    assert cli.main(["concentration", str(burglary), "--unit", "lsoa_code", "--places", "3"]) == 2


def test_emerging_hotspots_classifies_cells(burglary, tmp_path):
    out = tmp_path / "em.csv"
    assert (
        cli.main(
            [
                "emerging-hotspots",
                str(burglary),
                *LONLAT,
                "--date",
                "month",
                "--period",
                "month",
                "--cell",
                "500",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    cells = pd.read_csv(out)
    assert {"persistent hot", "no pattern"} <= set(cells["category"])


def test_the_lofte_command_needs_no_database_or_settings(burglary, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOFTE_", "DJANGO_"))}
    result = subprocess.run(
        [sys.executable, "-m", "lofte.cli", "concentration", str(burglary), "--unit", "lsoa_code"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "var").exists()
