"""Import GPS pings as patrol visits: geofence every place of the unit's organisation, keep visits."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from django.db import transaction
from pyproj import Transformer
from shapely.geometry import shape

from lofte.analysis.dosage import Geofences, extract_visits
from lofte.core.faults import full_disk_told
from lofte.core.rejects import save_rejects
from lofte.ingest.common import Reject, UnreadableFile
from lofte.ingest.gps import read_csv_chunks, read_gpx
from lofte.places.geometry import metric_crs, to_metric
from lofte.places.models import Place

from .models import Patrol, Unit


@dataclass
class GpsImportResult:
    pings: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejects: list = field(default_factory=list)
    rejects_path: Path | None = None

    def summary(self) -> str:
        return (
            f"pings {self.pings}, visits new {self.new}, updated {self.updated}, "
            f"unchanged {self.unchanged}, rejected {len(self.rejects or [])}"
        )


def _fences(places: Iterable[Place]) -> Geofences:
    ids, cx, cy, radius, polygons = [], [], [], [], []
    to_xy = Transformer.from_crs("EPSG:4326", metric_crs(), always_xy=True)
    for place in places:
        ids.append(place.pk)
        if place.polygon:
            cx.append(np.nan)
            cy.append(np.nan)
            radius.append(np.nan)
            polygons.append(to_metric(shape(place.polygon)))
        else:
            x, y = to_xy.transform(place.lon, place.lat)
            cx.append(x)
            cy.append(y)
            radius.append(float(place.radius_m or 0))  # a point place always has one (Place.clean)
            polygons.append(None)
    return Geofences.build(ids, cx=cx, cy=cy, radius=radius, polygons=polygons)


def run(
    path: Path,
    *,
    gap_seconds: int = 120,
    min_minutes: float = 1.0,
    tz: str = "Europe/Stockholm",
    user: Any = None,
    rejects_path: Path | None = None,
) -> GpsImportResult:
    """Read pings, extract visits per unit and place, and store them (idempotent: by unit, place and start).

    The rejects go to `rejects_path` (default: beside the file) before the visits are committed: a run
    whose rejects cannot be written stores nothing. A full disk raises DatabaseFull.
    """
    path = Path(path)
    result = GpsImportResult(rejects=[])
    found = _visits(path, result, gap_seconds=gap_seconds, min_minutes=min_minutes, tz=tz)
    result.rejects.sort(key=lambda r: r.position)
    # Reading and geofencing happen before the transaction: SQLite has one writer at a time, and
    # officers logging patrols should wait only for the writing.
    with full_disk_told("the import"), transaction.atomic():
        for org, unit, place_id, start, end in found:
            _store(result, org, unit, place_id, start, end, user)
        if result.rejects:
            try:
                result.rejects_path = save_rejects(result.rejects, path, rejects_path)
            except OSError as exc:
                raise UnreadableFile(
                    f"{exc.filename or rejects_path}: cannot write the rejects: {exc.strerror}"
                ) from exc
    return result


def _visits(path: Path, result: GpsImportResult, *, gap_seconds: int, min_minutes: float, tz: str) -> list[tuple]:
    """The visits in the pings of `path` as (organisation, unit, place id, start, end); the pings'
    count and the rejects go into `result`."""
    chunks = [read_gpx(path)] if path.suffix.lower() == ".gpx" else read_csv_chunks(path, tz=tz)
    parts = []
    found: list[tuple] = []
    for pings, rejects in chunks:
        result.rejects.extend(rejects)
        parts.append(pings)
    if not parts:
        return found
    call_signs = np.concatenate([p.unit for p in parts]).astype(str)
    lines = np.concatenate([p.line for p in parts])
    units = {
        u.call_sign: u
        for u in Unit.objects.select_related("organisation").filter(
            call_sign__in=np.unique(call_signs).tolist(), active=True
        )
    }
    known = np.isin(call_signs, list(units))
    for line, sign in zip(lines[~known][:10_000], call_signs[~known][:10_000]):
        result.rejects.append(Reject(str(path), int(line), "unit", f"unknown unit {sign!r}"))
    t = np.concatenate([p.t for p in parts])[known]
    lat = np.concatenate([p.lat for p in parts])[known]
    lon = np.concatenate([p.lon for p in parts])[known]
    call_signs = call_signs[known]
    result.pings = int(len(t))
    to_xy = Transformer.from_crs("EPSG:4326", metric_crs(), always_xy=True)
    x, y = to_xy.transform(lon, lat)
    codes, unit_index = np.unique(call_signs, return_inverse=True)
    for org in {units[c].organisation for c in codes}:
        places = list(Place.objects.filter(area__in=org.areas.all()))
        if not places:
            continue
        fences = _fences(places)
        org_codes = [k for k, c in enumerate(codes) if units[c].organisation_id == org.pk]
        mine = np.isin(unit_index, org_codes)
        visits = extract_visits(
            unit_index[mine],
            t[mine],
            np.asarray(x)[mine],
            np.asarray(y)[mine],
            fences,
            gap_seconds=gap_seconds,
            min_minutes=min_minutes,
        )
        for k in range(len(visits)):
            unit = units[codes[visits.unit[k]]]
            place_id = int(fences.ids[visits.place[k]])
            start = datetime.fromtimestamp(int(visits.start[k]), tz=UTC)
            end = datetime.fromtimestamp(int(visits.end[k]), tz=UTC)
            found.append((org, unit, place_id, start, end))
    return found


def _store(
    result: GpsImportResult, org: Any, unit: Unit, place_id: int, start: datetime, end: datetime, user: Any
) -> None:
    existing = Patrol.objects.filter(unit=unit, place_id=place_id, start=start, source="gps").first()
    if existing is None:
        patrol = Patrol(place_id=place_id, organisation=org, unit=unit, start=start, end=end, source=Patrol.Source.GPS)
        patrol.stamp(user)
        patrol.save()
        result.new += 1
    elif existing.end != end:
        existing.end = end
        existing.stamp(user)
        existing.save()
        result.updated += 1
    else:
        result.unchanged += 1
