"""The import worker: incident files uploaded from the staff pages, imported one at a time.

A small job table (`ImportJob`) instead of a task queue: Löfte needs no broker, the database it
already has is the queue, and one import at a time is what SQLite's single writer allows anyway.
The importer is the one `lofte import-incidents` uses. While a job runs, its progress goes to the
cache (the import is one transaction, so a count written to the database would show only at the end).

Workers may run on several servers (one at a time imports on SQLite; more wait for the lock). A
worker that runs a job keeps a heartbeat for it in the cache, which the servers share
(`LOFTE_CACHE_URL`); a job left running without a heartbeat for `LEASE_SECONDS` lost its worker
(killed, the machine gone, its import rolled back) and is queued again by any worker. Django's task
framework and `django-tasks` leave such a task running for ever (their issue 46), which is why Löfte
keeps this table.
"""

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lofte.core.faults import DatabaseFull
from lofte.ingest.common import UnreadableFile

from . import importer, picture
from .models import ImportJob

log = logging.getLogger(__name__)
PROGRESS_SECONDS = 1.0
LEASE_SECONDS = 60  # a running job whose heartbeat is this old lost its worker
BEAT_SECONDS = 10


WORKER_SEEN_KEY = "import-worker:seen"  # when a worker last looked for files (time.time())


def worker_seen() -> None:
    cache.set(WORKER_SEEN_KEY, time.time(), None)


def worker_missing() -> bool:
    """A file has waited longer than a lease and no worker has looked for files in that time: the page
    says so, or an upload waits forever without a word (`make demo` ran no worker, issue 24)."""
    waited = timezone.now() - timedelta(seconds=LEASE_SECONDS)
    if not ImportJob.objects.filter(status=ImportJob.Status.QUEUED, created_at__lt=waited).exists():
        return False
    seen = cache.get(WORKER_SEEN_KEY)
    return seen is None or time.time() - float(seen) > LEASE_SECONDS


def progress_key(job: ImportJob) -> str:
    return f"import-job:{job.pk}:records"


def records_read(job: ImportJob) -> int:
    """How many records the job has read: as it goes while it runs, else what it stored."""
    if job.status == ImportJob.Status.RUNNING:
        return int(cache.get(progress_key(job), 0))
    return job.records


def heartbeat_key(job_pk: int) -> str:
    return f"import-job:{job_pk}:alive"


@contextmanager
def heartbeat(job_pk: int) -> Iterator[None]:
    """Tell the other workers, every `BEAT_SECONDS`, that this one is still running the job."""
    stop = threading.Event()

    def beat() -> None:
        while True:
            cache.set(heartbeat_key(job_pk), time.time(), LEASE_SECONDS)
            worker_seen()
            if stop.wait(BEAT_SECONDS):
                return

    beating = threading.Thread(target=beat, name=f"import-job-{job_pk}-heartbeat", daemon=True)
    beating.start()
    try:
        yield
    finally:
        stop.set()
        beating.join()
        cache.delete(heartbeat_key(job_pk))


def requeue_abandoned() -> int:
    """Queue again the jobs whose worker died while running them; returns how many."""
    started_before = timezone.now() - timedelta(seconds=LEASE_SECONDS)
    found = 0
    running = ImportJob.objects.filter(status=ImportJob.Status.RUNNING)
    for pk in running.filter(Q(started_at__lt=started_before) | Q(started_at=None)).values_list("pk", flat=True):
        if cache.get(heartbeat_key(pk)) is None:
            found += ImportJob.objects.filter(pk=pk, status=ImportJob.Status.RUNNING).update(
                status=ImportJob.Status.QUEUED
            )
            log.warning("import job %s lost its worker; queued again", pk)
    return found


def claim() -> ImportJob | None:
    """The oldest waiting job, now marked running (None when there is none)."""
    with transaction.atomic():
        job = ImportJob.objects.filter(status=ImportJob.Status.QUEUED).order_by("created_at", "pk").first()
        if job is None:
            return None
        taken = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
            status=ImportJob.Status.RUNNING, started_at=timezone.now()
        )
    if not taken:
        return None
    job.refresh_from_db()
    return job


def run_job(job: ImportJob) -> ImportJob:
    """Import the job's file; the job ends done (with the run's summary) or failed (with why)."""
    last = [0.0]

    def progress(count: int) -> None:
        if time.monotonic() - last[0] >= PROGRESS_SECONDS:
            cache.set(progress_key(job), count, 24 * 3600)
            last[0] = time.monotonic()

    mapping = None
    if job.mapping.strip():
        mapping = job.file.path + ".mapping.toml"
        with open(mapping, "w", encoding="utf-8") as handle:
            handle.write(job.mapping)
    try:
        run = importer.run(
            job.file.path,
            format=job.format,
            source=job.source or None,
            mapping=mapping,
            rejects_path=job.rejects_path,
            user=job.created_by,
            progress=progress,
            organisation=job.organisation,
        )
    except (UnreadableFile, DatabaseFull) as exc:
        job.status, job.message = ImportJob.Status.FAILED, without_paths(str(exc), job)
    except Exception as exc:  # the worker goes on with the next job; the log has the traceback
        log.exception("import job %s failed", job.pk)
        job.status, job.message = ImportJob.Status.FAILED, without_paths(f"{type(exc).__name__}: {exc}", job)[:2000]
    else:
        job.status, job.run, job.message = ImportJob.Status.DONE, run, run.summary()
        job.records = run.imported + run.unchanged + run.updated + run.rejected
        picture.warm_after(run)
    job.finished_at = timezone.now()
    job.save()
    cache.delete(progress_key(job))
    return job


def without_paths(message: str, job: ImportJob) -> str:
    """`message` with the upload's path on the server replaced by the name it was uploaded under:
    the page shows it to the analyst, and a server path helps no one but an attacker aim."""
    for path, shown in [
        (job.file.path + ".mapping.toml", "mapping"),
        (job.rejects_path, "rejects"),
        (job.file.path, job.file_name),
        (str(settings.MEDIA_ROOT), "uploads"),
    ]:
        message = message.replace(path, shown)
    return message


def work(*, once: bool = False, poll: float = 2.0) -> None:
    """Run waiting jobs as they come (`once`: those waiting now, then stop)."""
    checked = 0.0
    while True:
        if time.monotonic() - checked >= BEAT_SECONDS:
            worker_seen()
            requeue_abandoned()
            checked = time.monotonic()
        job = claim()
        if job is not None:
            with heartbeat(job.pk):
                run_job(job)
        elif once:
            return
        else:
            time.sleep(poll)
