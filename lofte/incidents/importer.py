"""Import incidents from a file: streamed, batched, idempotent, one transaction per run."""

import functools
import gc
import hashlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from itertools import compress
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from django.db import DatabaseError, transaction
from django.utils import timezone

from lofte.accounts.models import Organisation
from lofte.core.faults import full_disk_told
from lofte.core.rejects import save_rejects
from lofte.ingest.common import FORMATS, IncidentBatch, IncidentRecord, Reject, UnreadableFile
from lofte.ingest.generic import load_mapping, read_csv, read_geojson_points
from lofte.ingest.policeuk import read_policeuk_batches
from lofte.ingest.polisen import read_polisen
from lofte.places.models import Area

from . import store
from .locate import Locator
from .models import ImportRun, Incident

BATCH = 20_000


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def reader_for(
    path: str | Path, format: str, *, source: str | None = None, mapping: dict[str, Any] | str | None = None
) -> Iterator[Any]:
    if format == "polisen":
        return read_polisen(path, source=source or "polisen")
    if format == "policeuk":
        return read_policeuk_batches(path, source=source or "policeuk")
    if format in ("csv", "geojson"):
        if mapping is None:
            raise UnreadableFile(f"{path}: the {format} format needs --mapping")
        mapping = load_mapping(mapping) if not isinstance(mapping, dict) else mapping
        read = read_csv if format == "csv" else read_geojson_points
        return read(path, mapping=mapping, source=source)
    raise UnreadableFile(f"{path}: unknown format {format!r}; expected one of {', '.join(FORMATS)}")


def _rows(batch: IncidentBatch, locator: Locator) -> list[tuple[Any, ...]]:
    """Table rows (store.ROW_COLUMNS order) for a batch: metric coordinates, area and place added.
    Everything per record runs in C (numpy, Arrow, zip); only conversions per distinct time remain."""
    c = batch.columns
    lon = np.array(c["lon"], dtype=float)  # None -> NaN
    lat = np.array(c["lat"], dtype=float)
    x, y, area_ids, place_ids = locator.locate(lon, lat, c["accuracy"])
    unlocated = ~(np.isfinite(x) & np.isfinite(y))
    x[unlocated], y[unlocated] = np.nan, np.nan

    def floats(values: np.ndarray) -> list[Any]:
        return list(pa.array(values, from_pandas=True).to_pylist())  # NaN -> None

    def ids(values: np.ndarray) -> list[Any]:
        return list(pa.array(values, mask=values == 0).to_pylist())  # 0 -> None

    when = functools.lru_cache(maxsize=4096)(store.db_time)
    return list(
        zip(
            c["source_id"],
            map(when, c["occurred_from"]),
            map(when, c["occurred_to"]),
            map(when, c["published_at"]),
            c["type"],
            c["nature"],
            c["lon"],
            c["lat"],
            floats(x),
            floats(y),
            c["accuracy"],
            c["place_text"],
            c["url"],
            ids(area_ids),
            ids(place_ids),
            c["fingerprint"],
            c["raw_json"],
            strict=True,
        )
    )


def sort_out(
    batch: IncidentBatch, known: np.ndarray, same: np.ndarray, seen: set[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int]]:
    """Which of a batch's records to insert, to update and which repeat an earlier one: three
    boolean arrays, and the counts of imported, updated and unchanged records.

    `known`/`same`: which ids are stored, and stored unchanged. A repeat is a later copy of an
    id already met in this file (`seen`, updated here): it updates the row the first copy
    wrote. A batch whose reader vouches for unique ids is not remembered (a million ids would
    cost 140 MB); the others almost never repeat and are checked with one set operation.
    """
    source_ids = batch.columns["source_id"]
    first = np.ones(len(source_ids), dtype=bool)
    if not batch.ids_unique:
        fresh = set(source_ids)
        if len(fresh) == len(source_ids) and seen.isdisjoint(fresh):
            seen.update(fresh)
        else:
            for i, source_id in enumerate(source_ids):
                first[i] = source_id not in seen
                seen.add(source_id)
    new, changed = first & ~known, first & known & ~same
    counts = {"imported": int(new.sum()), "updated": int(changed.sum()), "unchanged": int((first & same).sum())}
    return new, changed, ~first, counts


def _first(items: Iterable[Any], limit: int) -> Iterator[Any]:
    """A reader's items up to its first `limit` records (a dev subset)."""
    left = limit
    for item in items:
        if left <= 0:
            return
        if isinstance(item, IncidentBatch):
            item = item.head(left)
            left -= len(item)
        elif not isinstance(item, Reject):
            left -= 1
        yield item


def _batches(items: Iterable[Any], rejects: list[Reject]) -> Iterator[IncidentBatch]:
    """IncidentBatches from a reader's items (batches, or records one at a time); rejects collected."""
    records: list[IncidentRecord] = []
    for item in items:
        if isinstance(item, Reject):
            rejects.append(item)
        elif isinstance(item, IncidentBatch):
            if records:
                yield IncidentBatch.of(records)
                records = []
            yield item
        else:
            records.append(item)
            if len(records) >= BATCH:
                yield IncidentBatch.of(records)
                records = []
    if records:
        yield IncidentBatch.of(records)


def owned_source(source: str, organisation: Organisation) -> str:
    """The source name under which `organisation`'s imports are stored: `source@<id>`.

    A record's identity is (source, id in the source); namespacing the source by the importing
    organisation means a record one organisation imported is never updated (or moved out of its
    area) by another's file with the same source name. Source names typed on the pages are slugs,
    so no one can type another organisation's namespace."""
    return f"{source}@{organisation.pk}"


def run(
    path: str | Path,
    *,
    format: str,
    source: str | None = None,
    mapping: dict[str, Any] | str | None = None,
    rejects_path: str | Path | None = None,
    user: Any | None = None,
    progress: Callable[[int], None] | None = None,
    limit: int | None = None,
    organisation: Organisation | None = None,
) -> ImportRun:
    """Import `path`; return the finished ImportRun. Raises UnreadableFile when nothing can be read.

    `progress`, if given, is called with the number of records read so far. `limit`
    imports only the first N records (a dev subset for quick local runs). With `organisation`,
    the records are that organisation's (`owned_source`); without, the site's (the command line).
    """
    path = Path(path)
    if organisation is not None:
        source = owned_source(source or format, organisation)
    try:
        sha = file_sha256(path)
    except OSError as exc:
        raise UnreadableFile(f"{path}: cannot read: {exc}") from exc
    items = reader_for(path, format, source=source, mapping=mapping)
    if limit:
        items = _first(items, limit)
    # A run that was killed left its record "running": say what happened to it.
    ImportRun.objects.filter(file_sha256=sha, status=ImportRun.Status.RUNNING).update(
        status=ImportRun.Status.INTERRUPTED, finished_at=timezone.now()
    )
    run = ImportRun.objects.create(
        source=source or format, format=format, file_name=str(path), file_sha256=sha, created_by=user
    )

    def write_rejects(rejects: list[Reject]) -> None:
        # Before the commit: an import whose rejects cannot be written stores nothing.
        if rejects:
            try:
                save_rejects(rejects, path, rejects_path)
            except OSError as exc:
                raise UnreadableFile(
                    f"{exc.filename or rejects_path}: cannot write the rejects: {exc.strerror}"
                ) from exc

    with full_disk_told("the import"):
        load(items, run, progress=progress, before_commit=write_rejects)
    return run


def areas_of(run: ImportRun) -> set[int]:
    """The ids of the areas holding incidents that `run` imported or changed, and of the areas
    around them (whose pictures count them too)."""
    found = set(Incident.objects.filter(import_run=run).exclude(area=None).values_list("area", flat=True).distinct())
    around = Area.objects.filter(pk__in=found)
    return found | {
        a.pk
        for near in around
        for a in Area.objects.filter(
            min_lon__lte=near.max_lon, max_lon__gte=near.min_lon, min_lat__lte=near.max_lat, max_lat__gte=near.min_lat
        )
    }


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """An import makes millions of short-lived tuples and no reference cycles: the cycle
    collector's runs find nothing and cost 0.5 s per million rows, holding the GIL that the
    database thread needs. Reference counting still frees everything meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(
    items: Iterable[Any],
    run: ImportRun,
    *,
    progress: Callable[[int], None] | None = None,
    before_commit: Callable[[list[Reject]], None] | None = None,
) -> list[Reject]:
    """Write records into the incident table for `run` in one transaction; return the rejects.

    `items` yields IncidentBatches, IncidentRecords and Rejects (a reader, or records made in
    code such as the demo's). Each record is compared with what is stored (by its source id
    and content digest) before anything is written: new ones are inserted, changed ones
    updated, the same ones left alone; a later copy of an id in the same file wins. The run
    is saved as complete, failed or interrupted. `before_commit(rejects)`, if given, runs last inside
    the transaction (an exception there undoes the import).
    """
    rejects: list[Reject] = []
    seen: set[int] = set()
    imported = unchanged = updated = superseded = count = 0
    try:
        with transaction.atomic(), _cycle_collection_paused(), ThreadPoolExecutor(max_workers=1) as database:
            locator = Locator()
            store.prepare()
            indexes = store.drop_indexes() if store.table_is_empty() else None
            held: list[
                tuple[Any, ...]
            ] = []  # later copies of ids while the unique index is gone: applied once it is back
            raw = store.raw_connection()
            stored = None
            pending = None  # the batch the database thread is writing while this one is prepared
            for batch in _batches(items, rejects):
                if stored is None:
                    stored = store.Stored(batch.source)
                known, same = stored.classify(batch.columns["source_id"], batch.columns["fingerprint"])
                new, changed, repeat, counts = sort_out(batch, known, same, seen)
                written = new | changed | repeat  # table rows only for these: a re-import skips most
                rows = _rows(batch if written.all() else batch.subset(written), locator)
                inserts, updates = list(compress(rows, new[written])), list(compress(rows, changed[written]))
                (held if indexes is not None else updates).extend(compress(rows, repeat[written]))
                imported, updated = imported + counts["imported"], updated + counts["updated"]
                unchanged, superseded = unchanged + counts["unchanged"], superseded + int(repeat.sum())
                if pending:
                    missed = len(pending.result())
                    imported, updated = imported + missed, updated - missed
                pending = database.submit(store.write, raw, batch.source, run.pk, inserts, updates)
                count += len(batch)
                if progress:
                    progress(count)
            if pending:
                missed = len(pending.result())
                imported, updated = imported + missed, updated - missed
            if indexes is not None:
                store.create_indexes(indexes)
                if held:
                    store.write(raw, batch.source, run.pk, [], held)
            run.imported, run.unchanged, run.updated, run.superseded = imported, unchanged, updated, superseded
            run.rejected = len(rejects)
            if before_commit:
                before_commit(rejects)
            run.status = ImportRun.Status.COMPLETE
            run.finished_at = timezone.now()
            run.save()
    except BaseException as exc:
        run.status = ImportRun.Status.FAILED if isinstance(exc, Exception) else ImportRun.Status.INTERRUPTED
        run.message = f"{type(exc).__name__}: {exc}"[:2000]
        run.finished_at = timezone.now()
        with suppress(DatabaseError):  # e.g. the disk is full: the next run of the file marks this one interrupted
            run.save()
        raise
    return rejects
