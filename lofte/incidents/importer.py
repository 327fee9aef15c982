"""Import incidents from a file: streamed, batched, idempotent, one transaction per run."""

import csv
import hashlib
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path

import numpy as np
import orjson
from django.db import transaction
from django.utils import timezone

from lofte.ingest.common import Reject, UnreadableFile
from lofte.ingest.generic import load_mapping, read_csv, read_geojson_points
from lofte.ingest.polisen import read_polisen
from lofte.ingest.policeuk import read_policeuk

from . import store
from .locate import Locator
from .models import ImportRun

FORMATS = ("polisen", "policeuk", "csv", "geojson")
BATCH = 20_000


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def reader_for(path, format, *, source=None, mapping=None):
    if format == "polisen":
        return read_polisen(path, source=source or "polisen")
    if format == "policeuk":
        return read_policeuk(path, source=source or "policeuk")
    if format in ("csv", "geojson"):
        if mapping is None:
            raise UnreadableFile(f"{path}: the {format} format needs --mapping")
        mapping = load_mapping(mapping) if not isinstance(mapping, dict) else mapping
        read = read_csv if format == "csv" else read_geojson_points
        return read(path, mapping=mapping, source=source)
    raise UnreadableFile(f"{path}: unknown format {format!r}; expected one of {', '.join(FORMATS)}")


def default_rejects_path(path):
    path = Path(path)
    return path.with_name(path.name + ".rejects.csv")


def write_rejects(rejects, path):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "unit", "position", "field", "reason"])
        for r in rejects:
            writer.writerow([r.source, r.unit, r.position, r.field, r.reason])


def _rows(records, locator, run_id):
    """Table rows for a batch of records: metric coordinates, area and place added."""
    nan = float("nan")
    lon = [nan if r.lon is None else r.lon for r in records]
    lat = [nan if r.lat is None else r.lat for r in records]
    x, y, area_ids, place_ids = locator.locate(lon, lat, [r.accuracy for r in records])
    times = {}

    def when(value):
        # Records of one month share their period objects: convert each once.
        key = id(value)
        if key not in times:
            times[key] = store.db_time(value)
        return times[key]

    finite = (np.isfinite(x) & np.isfinite(y)).tolist()
    xs, ys, areas, places = x.tolist(), y.tolist(), area_ids.tolist(), place_ids.tolist()
    dumps = orjson.dumps
    return [
        (r.source, r.source_id, when(r.occurred_from), when(r.occurred_to), when(r.published_at),
         r.type, r.nature, r.lon, r.lat, xs[i] if finite[i] else None, ys[i] if finite[i] else None,
         r.accuracy, r.place_text, r.url, areas[i] or None, places[i] or None, r.fingerprint,
         dumps(r.raw).decode(), run_id, r.position)
        for i, r in enumerate(records)
    ]


def run(path, *, format, source=None, mapping=None, rejects_path=None, user=None, progress=None,
        limit=None):
    """Import `path`; return the finished ImportRun. Raises UnreadableFile when nothing can be read.

    `progress`, if given, is called with the number of records read so far. `limit`
    imports only the first N records (a dev subset for quick local runs).
    """
    path = Path(path)
    try:
        sha = file_sha256(path)
    except OSError as exc:
        raise UnreadableFile(f"{path}: cannot read: {exc}") from exc
    items = reader_for(path, format, source=source, mapping=mapping)
    if limit:
        items = islice(items, limit)
    # A run that was killed left its record "running": say what happened to it.
    ImportRun.objects.filter(file_sha256=sha, status=ImportRun.Status.RUNNING).update(
        status=ImportRun.Status.INTERRUPTED, finished_at=timezone.now())
    run = ImportRun.objects.create(source=source or format, format=format, file_name=str(path),
                                   file_sha256=sha, created_by=user)
    rejects = load(items, run, progress=progress)
    if rejects:
        write_rejects(rejects, rejects_path or default_rejects_path(path))
    return run


def load(items, run, *, progress=None):
    """Write records into the incident table for `run` in one transaction; return the rejects.

    `items` yields IncidentRecords and Rejects (a reader, or records made in code such
    as the demo's). The run is saved as complete, failed or interrupted.
    """
    rejects, seen, count, repeats, record_source = [], set(), 0, False, None
    try:
        with transaction.atomic(), ThreadPoolExecutor(max_workers=1) as database:
            locator = Locator()
            store.create_stage()
            raw = store.raw_connection()
            pending = None  # the batch the database thread is writing while this one parses
            batch = []
            for item in items:
                if isinstance(item, Reject):
                    rejects.append(item)
                    continue
                record_source = record_source or item.source
                repeats = repeats or item.source_id in seen
                seen.add(item.source_id)
                batch.append(item)
                if len(batch) >= BATCH:
                    rows = _rows(batch, locator, run.pk)
                    if pending:
                        pending.result()
                    pending = database.submit(store.load_stage, rows, raw)
                    count += len(batch)
                    batch = []
                    if progress:
                        progress(count)
            if pending:
                pending.result()
            store.load_stage(_rows(batch, locator, run.pk), raw)
            count += len(batch)
            if progress:
                progress(count)
            run.superseded = count - len(seen)
            run.imported, run.unchanged, run.updated = store.merge(source=record_source, repeats=repeats)
            run.rejected = len(rejects)
            run.status = ImportRun.Status.COMPLETE
            run.finished_at = timezone.now()
            run.save()
    except BaseException as exc:
        run.status = ImportRun.Status.FAILED if isinstance(exc, Exception) else ImportRun.Status.INTERRUPTED
        run.message = f"{type(exc).__name__}: {exc}"[:2000]
        run.finished_at = timezone.now()
        run.save()
        raise
    return rejects
