"""Analysts upload incident files from /personal/import/: the upload returns at once, `lofte worker`
imports it with the same importer as the command line, and the page shows how it went."""

import time
from datetime import timedelta

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from lofte.accounts.models import Role
from lofte.incidents import jobs
from lofte.incidents.models import ImportJob, Incident

from .base import BaseTestCase, member

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
)


def police_file(rows, *, bad=()):
    lines = [HEADER]
    for i in range(rows):
        month = "September" if i in bad else f"2024-{i % 12 + 1:02d}"
        lines.append(f"{i:x},{month},City,City,-0.1{i % 100:02d},51.5{i % 97:02d},On or near X,E1,L1,Robbery,,\n")
    return SimpleUploadedFile("street.csv", "".join(lines).encode(), content_type="text/csv")


class ImportPageTests(BaseTestCase):
    def upload(self, user, **data):
        self.client.force_login(user)
        return self.client.post("/en/personal/import/", {"format": "policeuk", "organisation": self.police.pk} | data)

    def test_a_large_upload_returns_at_once_and_the_worker_imports_it_as_the_command_line_would(self):
        answer = self.upload(self.analyst, file=police_file(100_000))
        self.assertEqual(answer.status_code, 302)
        self.assertEqual(Incident.objects.count(), 0)  # nothing imported in the request
        job = ImportJob.objects.get()
        self.assertEqual((job.status, job.created_by), ("queued", self.analyst))
        jobs.work(once=True)
        job.refresh_from_db()
        self.assertEqual((job.status, job.message), ("done", "imported 100000, unchanged 0, updated 0, rejected 0"))
        self.assertEqual(Incident.objects.count(), 100_000)
        out = call_command_output(job.file.path, "--organisation", str(self.police.pk))
        self.assertIn("imported 0, unchanged 100000, updated 0, rejected 0", out)  # the same identities
        page = self.client.get("/en/personal/import/")
        self.assertContains(page, "100,000 imported, 0 unchanged, 0 updated, 0 rejected")
        page = self.client.get("/personal/import/")  # the summary in the page's language (issue 24)
        self.assertContains(page, "100\xa0000 importerade, 0 oförändrade, 0 uppdaterade, 0 avvisade")

    def test_rejects_are_offered_for_download_to_the_organisations_analysts(self):
        self.upload(self.analyst, file=police_file(20, bad={3, 7}))
        jobs.work(once=True)
        job = ImportJob.objects.get()
        self.assertEqual(job.message, "imported 18, unchanged 0, updated 0, rejected 2")
        page = self.client.get("/en/personal/import/")
        self.assertContains(page, f"/en/personal/import/{job.pk}/rejects.csv")
        rejects = b"".join(self.client.get(f"/en/personal/import/{job.pk}/rejects.csv").streaming_content).decode()
        self.assertIn("5,Month,not YYYY-MM", rejects)
        self.client.force_login(self.owner)
        self.assertEqual(self.client.get(f"/en/personal/import/{job.pk}/rejects.csv").status_code, 404)

    def test_a_bad_file_fails_in_words_and_the_worker_goes_on(self):
        self.upload(self.analyst, file=SimpleUploadedFile("other.csv", b"not,a,police,file\n1,2,3,4\n"))
        self.upload(self.analyst, file=police_file(5))
        jobs.work(once=True)
        failed, done = ImportJob.objects.order_by("pk")
        self.assertEqual(failed.status, "failed")
        self.assertIn("line 1: missing columns", failed.message)
        self.assertTrue(failed.message.startswith("other.csv: "), failed.message)  # no server path shown
        self.assertEqual(done.status, "done")

    def test_it_says_when_no_worker_has_looked_for_the_waiting_files(self):
        """`make demo` ran no worker: an upload waited forever and the page never said why."""
        self.upload(self.analyst, file=police_file(5))
        notice = "No import worker has looked for files for more than a minute"
        self.assertNotContains(self.client.get("/en/personal/import/"), notice)  # just uploaded
        ImportJob.objects.update(created_at=timezone.now() - timedelta(minutes=2))
        cache.delete(jobs.WORKER_SEEN_KEY)
        self.assertContains(self.client.get("/en/personal/import/"), notice)
        jobs.worker_seen()  # a worker started: it looks for files at once
        self.assertNotContains(self.client.get("/en/personal/import/"), notice)
        cache.set(jobs.WORKER_SEEN_KEY, time.time() - 120, None)
        self.assertContains(self.client.get("/en/personal/import/"), notice)
        jobs.work(once=True)
        self.assertNotContains(self.client.get("/en/personal/import/"), notice)

    def test_csv_needs_a_mapping_and_only_analysts_upload(self):
        answer = self.upload(self.analyst, file=police_file(5), format="csv")
        self.assertEqual(answer.status_code, 400)
        self.assertIn("mapping", answer.context["form"].errors)
        self.client.force_login(self.owner)
        self.assertEqual(self.client.get("/en/personal/import/").status_code, 403)
        answer = self.upload(self.analyst, file=police_file(5), organisation=self.other_police.pk)
        self.assertIn("organisation", answer.context["form"].errors)
        self.assertFalse(ImportJob.objects.exists())

    def test_it_never_lets_one_organisations_file_update_anothers_records(self):
        site = call_command_output(_saved(police_file(3)))
        self.assertIn("imported 3", site)  # the site's own records, from the command line
        other_analyst = member("other-analyst", self.other_police, Role.ANALYST)
        self.upload(other_analyst, file=police_file(3), organisation=self.other_police.pk, source="policeuk")
        jobs.work(once=True)
        theirs = {(i.source, i.source_id): (i.lon, i.lat) for i in Incident.objects.all()}
        moved = "".join(police_file(3).read().decode().replace(",-0.1", ",-0.3"))
        self.upload(self.analyst, file=SimpleUploadedFile("street.csv", moved.encode()), source="policeuk")
        jobs.work(once=True)
        self.assertEqual(list(ImportJob.objects.order_by("pk").values_list("status", flat=True)), ["done", "done"])
        after = {(i.source, i.source_id): (i.lon, i.lat) for i in Incident.objects.all()}
        self.assertEqual({k: after[k] for k in theirs}, theirs)  # nothing of the site's or theirs changed
        self.assertEqual(len(after), 9)
        self.assertEqual(
            {source for source, _ in after},
            {"policeuk", f"policeuk@{self.other_police.pk}", f"policeuk@{self.police.pk}"},
        )

    def test_a_job_cut_short_with_its_worker_runs_again(self):
        self.upload(self.analyst, file=police_file(5))
        ImportJob.objects.update(status="running")
        jobs.work(once=True)
        self.assertEqual(ImportJob.objects.get().status, "done")
        self.assertEqual(Incident.objects.count(), 5)


def call_command_output(path, *options):
    import io

    out = io.StringIO()
    call_command("import-incidents", path, "--format", "policeuk", "--no-warm", *options, stdout=out, verbosity=0)
    return out.getvalue()


def _saved(upload):
    import tempfile

    with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as handle:
        handle.write(upload.read())
    return handle.name


class SeveralWorkersTests(BaseTestCase):
    """Workers on several servers share the job table and the cache: a job whose worker died is run
    again, a job another worker is running is left to it."""

    def queued(self, rows=10):
        self.client.force_login(self.analyst)
        self.client.post(
            "/en/personal/import/", {"format": "policeuk", "organisation": self.police.pk, "file": police_file(rows)}
        )
        return ImportJob.objects.latest("pk")

    def running(self, *, started_seconds_ago):
        from datetime import timedelta

        from django.utils import timezone

        job = self.queued()
        started = timezone.now() - timedelta(seconds=started_seconds_ago)
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, started_at=started)
        return job

    def tearDown(self):
        from django.core.cache import cache

        cache.clear()

    def test_it_runs_again_a_job_whose_worker_died(self):
        job = self.running(started_seconds_ago=jobs.LEASE_SECONDS + 5)  # no heartbeat: its worker is gone
        jobs.work(once=True)
        job.refresh_from_db()
        self.assertEqual((job.status, job.message), ("done", "imported 10, unchanged 0, updated 0, rejected 0"))

    def test_it_leaves_a_job_to_the_worker_that_is_running_it(self):
        from django.core.cache import cache

        long_running = self.running(started_seconds_ago=3600)
        cache.set(jobs.heartbeat_key(long_running.pk), 0, jobs.LEASE_SECONDS)  # another worker's heartbeat
        self.running(started_seconds_ago=1)  # claimed a moment ago: its worker has not beaten yet
        self.assertEqual(jobs.requeue_abandoned(), 0)
        jobs.work(once=True)
        statuses = set(ImportJob.objects.values_list("status", flat=True))
        self.assertEqual(statuses, {"running"})
        self.assertEqual(Incident.objects.count(), 0)

    def test_a_worker_beats_while_it_runs_a_job_and_stops_after(self):
        from django.core.cache import cache

        job = self.queued()
        with jobs.heartbeat(job.pk):
            self.assertIsNotNone(cache.get(jobs.heartbeat_key(job.pk)))
        self.assertIsNone(cache.get(jobs.heartbeat_key(job.pk)))
