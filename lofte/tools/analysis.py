"""Command line for analysts working from files: `lofte hotspots|concentration|nearrepeat|emerging-hotspots`.

No database and no Django: CSV in, CSV or GeoJSON out. Errors name the file, the line
and the column.
"""

import argparse
import json
import math
import sys
import warnings
from argparse import ArgumentParser, Namespace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas import DataFrame
from shapely.geometry.base import BaseGeometry

from lofte.analysis.concentration import concentration
from lofte.analysis.emerging import emerging_hotspots
from lofte.analysis.grids import DegreesNotMetres, Grid, count_points, make_grid
from lofte.analysis.hotspots import gistar_grid
from lofte.analysis.kde import default_bandwidth, kde_grid
from lofte.analysis.nearrepeat import knox


class InputError(ValueError):
    pass


def finite(data: object) -> object:
    """`data` with every NaN and infinity replaced by None: JSON has no such numbers, and readers of the
    file (browsers, R's jsonlite, Python's json in strict mode) refuse them."""
    if isinstance(data, float) and not math.isfinite(data):
        return None
    if isinstance(data, dict):
        return {key: finite(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [finite(value) for value in data]
    return data


def write_json(path: Path, data: object, program: str) -> bool:
    """Write `data` as JSON to `path`; False (after saying why on stderr) when it cannot be written."""
    try:
        text = json.dumps(finite(data), indent=2, ensure_ascii=False, allow_nan=False)
        path.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        print(f"{program}: {path}: cannot write: {exc.strerror}", file=sys.stderr)
        return False
    return True


def read_table(path: str, *, header: bool = True) -> pd.DataFrame:
    try:
        return pd.read_csv(path, header=0 if header else None, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: cannot read as CSV: {exc}") from exc


def column(frame: DataFrame, name: str, path: str) -> pd.Series:
    """A column by name, or by 1-based position for files without a header."""
    if name in frame.columns:
        return frame[name]
    if str(name).isdigit() and int(name) - 1 in range(len(frame.columns)):
        return frame.iloc[:, int(name) - 1]
    raise InputError(f"{path}: line 1: no column {name!r} (columns: {', '.join(map(str, frame.columns))})")


def numbers(frame: DataFrame, name: str, path: str, *, header: bool = True) -> np.ndarray:
    text = column(frame, name, path)
    values = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    bad = values.isna() & (text.str.strip() != "")
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"{path}: line {row + (2 if header else 1)}: column {name}: not a number: {text.iloc[row]!r}")
    return values.to_numpy(dtype=float)


def _dates(frame: DataFrame, name: str, path: str, *, header: bool = True) -> pd.Series:
    text = column(frame, name, path)
    values = pd.to_datetime(text, errors="coerce", format="mixed")
    bad = values.isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"{path}: line {row + (2 if header else 1)}: column {name}: not a date: {text.iloc[row]!r}")
    return values


def _metric_points(args: Namespace, frame: DataFrame) -> tuple:
    """x, y in metres and the metric CRS they are in (None when unknown)."""
    header = not getattr(args, "no_header", False)
    x = numbers(frame, args.x, args.input, header=header)
    y = numbers(frame, args.y, args.input, header=header)
    ok = np.isfinite(x) & np.isfinite(y)
    if (~ok).any():
        warnings.warn(f"{int((~ok).sum())} rows without coordinates are left out", stacklevel=2)
    x, y = x[ok], y[ok]
    if not len(x):
        raise InputError(f"{args.input}: no rows with coordinates")
    if args.lonlat:
        from pyproj import CRS, Transformer
        from pyproj.aoi import AreaOfInterest
        from pyproj.database import query_utm_crs_info

        crs = args.to_crs
        if not crs:
            info = query_utm_crs_info(
                datum_name="WGS 84",
                area_of_interest=AreaOfInterest(float(x.min()), float(y.min()), float(x.max()), float(y.max())),
            )
            crs = f"EPSG:{info[0].code}"
        transformer = Transformer.from_crs("EPSG:4326", CRS.from_user_input(crs), always_xy=True)
        x, y = transformer.transform(x, y)
        return np.asarray(x), np.asarray(y), crs, ok
    if args.crs:
        from pyproj import CRS

        if CRS.from_user_input(args.crs).is_geographic:
            raise InputError(f"--crs {args.crs} is in degrees; use --lonlat, or a projected CRS in metres")
    return x, y, args.crs, ok


def _cells_out(grid: Grid, columns: dict[str, Any], out: str, crs: str | None) -> int:
    rows, cols = np.nonzero(grid.mask)
    cx, cy = grid.centres()
    table = pd.DataFrame({"cell_id": rows * grid.nx + cols, "x": cx[rows, cols], "y": cy[rows, cols]})
    for name, values in columns.items():
        table[name] = values[rows, cols]
    if str(out).endswith(".geojson"):
        boxes = grid.cell_polygons()
        if crs:
            from pyproj import Transformer
            from shapely import transform

            to_wgs84 = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
            boxes = transform(boxes, lambda xy: np.column_stack(to_wgs84.transform(xy[:, 0], xy[:, 1])))
        from shapely.geometry import mapping

        features = [
            {
                "type": "Feature",
                "geometry": mapping(b),
                "properties": {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in row.items()},
            }
            for b, row in zip(boxes, table.to_dict("records"))
        ]
        collection = {"type": "FeatureCollection", "features": features}
        if not crs:
            collection["note"] = "coordinates in the input's metric CRS (give --crs for WGS84 output)"
        Path(out).write_text(json.dumps(collection, default=_plain))
    else:
        table.to_csv(out, index=False)
    return len(table)


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(type(value))


def _area(args: Namespace, crs: str | None) -> BaseGeometry | None:
    if not getattr(args, "area", None):
        return None
    from pyproj import Transformer
    from shapely import transform, union_all
    from shapely.geometry import shape

    from lofte.ingest.areas import read_areas

    records, rejects = read_areas(args.area, name_field=args.area_name_field)
    if not records:
        raise InputError(f"{args.area}: no polygon read ({'; '.join(map(str, rejects)) or 'empty'})")
    if not crs:
        raise InputError("--area needs the points' CRS: give --crs or --lonlat")
    to_metric = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    polygon = union_all([shape(r.geometry) for r in records])
    return transform(polygon, lambda xy: np.column_stack(to_metric.transform(xy[:, 0], xy[:, 1])))


def hotspots(args: Namespace) -> None:
    frame = read_table(args.input)
    x, y, crs, _ = _metric_points(args, frame)
    area = _area(args, crs)
    if area is None:
        half = (args.cell or 0) / 2
        grid = make_grid(bounds=(x.min() - half, y.min() - half, x.max() + half, y.max() + half), cell=args.cell)
    else:
        grid = make_grid(area, cell=args.cell)
    counts, _ = count_points(grid, x, y)
    bandwidth = args.bandwidth or default_bandwidth(x, y)
    density = kde_grid(counts, cell=grid.cell, bandwidth=bandwidth, mask=grid.mask)
    gi = gistar_grid(counts, radius_cells=args.radius_cells, mask=grid.mask, adjust=not args.unadjusted)
    n = _cells_out(
        grid,
        {
            "n": counts,
            "kde": density.values * 1e6,
            "gi_z": gi.z,
            "gi_p": gi.p,
            "gi_p_fdr": gi.p_fdr,
            "gi_class": gi.classes,
        },
        args.out,
        crs,
    )
    print(
        f"{n} cells of {grid.cell:g} m, bandwidth {bandwidth:.0f} m, {int(counts.sum())} points; "
        f"hot spots: {int((gi.classes > 0).sum())}, cold spots: {int((gi.classes < 0).sum())}; kde per km²"
    )


def concentration_command(args: Namespace) -> None:
    frame = read_table(args.input)
    units = column(frame, args.unit, args.input)
    counts = units[units.str.strip() != ""].value_counts().to_numpy(dtype=float)
    if args.places:
        if args.places < len(counts):
            raise InputError(f"--places {args.places} is fewer than the {len(counts)} places with incidents")
        counts = np.concatenate([counts, np.zeros(args.places - len(counts))])
    result = concentration(counts)
    rows = [
        ("places", result.places),
        ("incidents", result.incidents),
        ("gini", result.gini),
        ("gini_unbiased", result.gini_unbiased),
        ("generalized_gini", result.generalized_gini),
        ("generalized_gini_unbiased", result.generalized_gini_unbiased),
        ("share_of_places_for_25_percent", result.share_of_places_for_25),
        ("share_of_places_for_50_percent", result.share_of_places_for_50),
    ]
    table = pd.DataFrame(rows, columns=["measure", "value"])
    if args.out:
        table.to_csv(args.out, index=False)
    print(table.to_string(index=False))
    if not args.places:
        print(
            "note: places without incidents are not in the file; give --places N (all places) "
            "or the concentration is understated"
        )


def nearrepeat(args: Namespace) -> None:
    header = not args.no_header
    frame = read_table(args.input, header=header)
    x = numbers(frame, args.x, args.input, header=header)
    y = numbers(frame, args.y, args.input, header=header)
    dates = _dates(frame, args.date, args.input, header=header)
    days = (dates.dt.normalize() - pd.Timestamp("1970-01-01")).dt.days.to_numpy()
    result = knox(
        x,
        y,
        days,
        space_band=args.space_band,
        space_bands=args.space_bands,
        time_band=args.time_band,
        time_bands=args.time_bands,
        distance=args.distance,
        permutations=args.permutations,
        seed=args.seed,
        float32=args.float32,
    )
    table = pd.DataFrame(list(result.rows()))
    table.to_csv(args.out, index=False)
    close = result.ratio[1, 0]
    print(
        f"{len(x)} events, {int(result.observed.sum())} pairs; closest band ratio {close:.2f} "
        f"(p {result.p[1, 0]:.3f}); table in {args.out}"
    )


def emerging(args: Namespace) -> None:
    frame = read_table(args.input)
    x, y, crs, ok = _metric_points(args, frame)
    dates = _dates(frame, args.date, args.input)[ok]
    periods = dates.dt.to_period({"month": "M", "week": "W", "quarter": "Q", "year": "Y"}[args.period])
    labels = sorted(periods.unique())
    if len(labels) < 2:
        raise InputError(f"{args.input}: the dates span fewer than two {args.period}s")
    area = _area(args, crs)
    half = (args.cell or 0) / 2
    grid = (
        make_grid(area, cell=args.cell)
        if area is not None
        else make_grid(bounds=(x.min() - half, y.min() - half, x.max() + half, y.max() + half), cell=args.cell)
    )
    cube = np.stack([count_points(grid, x[(periods == p).to_numpy()], y[(periods == p).to_numpy()])[0] for p in labels])
    result = emerging_hotspots(cube, radius_cells=args.radius_cells, mask=grid.mask)
    category = np.where(result.category == "", "no pattern", result.category).astype(object)
    n = _cells_out(
        grid,
        {"n": cube.sum(axis=0), "trend_z": result.trend_z, "trend_p": result.trend_p, "category": category},
        args.out,
        crs,
    )
    found = pd.Series(result.category[grid.mask]).value_counts()
    print(f"{n} cells, {len(labels)} {args.period}s; " + ", ".join(f"{k}: {v}" for k, v in found.items() if k))


def _points_options(parser: ArgumentParser) -> None:
    parser.add_argument("input", help="CSV file, one incident a row")
    parser.add_argument("--x", required=True, help="column of x (or longitude with --lonlat)")
    parser.add_argument("--y", required=True, help="column of y (or latitude with --lonlat)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--crs", help="the projected CRS of x/y in metres, e.g. EPSG:3006")
    group.add_argument("--lonlat", action="store_true", help="x/y are WGS84 longitude/latitude")
    parser.add_argument("--to-crs", help="with --lonlat: the metric CRS to project to (default: the UTM zone)")
    parser.add_argument("--cell", type=float, help="cell size in metres (default: 1/50 of the shorter side)")
    parser.add_argument("--radius-cells", type=int, default=1, help="Gi* window radius in cells (1 = 3x3)")
    parser.add_argument("--area", help="GeoJSON polygon(s) of the study area; cells are clipped to it")
    parser.add_argument("--area-name-field", default="name", help="property naming the area (for messages)")


def parser() -> ArgumentParser:
    main = argparse.ArgumentParser(prog="lofte", description="Hot-spot analysis from files.")
    sub = main.add_subparsers(dest="command", required=True)
    p = sub.add_parser("hotspots", help="counts, KDE and Gi* per grid cell")
    _points_options(p)
    p.add_argument("--bandwidth", type=float, help="KDE radius in metres (default: mean bandwidth.nrd of x and y)")
    p.add_argument("--unadjusted", action="store_true", help="classes from raw p-values instead of FDR-adjusted")
    p.add_argument("--out", required=True, help="cells.csv or cells.geojson")
    p.set_defaults(run=hotspots)
    p = sub.add_parser("concentration", help="Gini and generalized Gini of incidents over places")
    p.add_argument("input")
    p.add_argument("--unit", required=True, help="column naming the place (or cell, street segment) of each incident")
    p.add_argument("--places", type=int, help="the number of places, including those without incidents")
    p.add_argument("--out", help="write the measures to this CSV too")
    p.set_defaults(run=concentration_command)
    p = sub.add_parser("nearrepeat", help="Knox test of near repeats (Near Repeat Calculator conventions)")
    p.add_argument("input")
    p.add_argument("--x", required=True)
    p.add_argument("--y", required=True)
    p.add_argument("--date", required=True)
    p.add_argument("--no-header", action="store_true", help="the file has no header; columns are positions 1, 2, ...")
    p.add_argument("--space-band", type=float, required=True, help="metres")
    p.add_argument("--space-bands", type=int, default=3)
    p.add_argument("--time-band", type=int, default=1, help="days")
    p.add_argument("--time-bands", type=int, default=3)
    p.add_argument("--distance", choices=["manhattan", "euclidean"], default="manhattan")
    p.add_argument("--permutations", type=int, default=999)
    p.add_argument("--seed", type=int)
    p.add_argument("--float32", action="store_true", help="single-precision coordinates, as the NRC")
    p.add_argument("--out", required=True)
    p.set_defaults(run=nearrepeat)
    p = sub.add_parser("emerging-hotspots", help="emerging hot-spot classes per grid cell")
    _points_options(p)
    p.add_argument("--date", required=True)
    p.add_argument("--period", choices=["week", "month", "quarter", "year"], default="month")
    p.add_argument("--out", required=True)
    p.set_defaults(run=emerging)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.showwarning = lambda message, *rest: print(f"warning: {message}", file=sys.stderr)
            args.run(args)
    except (InputError, DegreesNotMetres, ValueError) as exc:
        print(f"lofte {args.command}: {exc}", file=sys.stderr)
        return 2
    return 0
