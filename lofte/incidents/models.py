"""Incidents from police and municipal sources, and the import runs that brought them in."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from lofte.ingest import common


class ImportRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        COMPLETE = "complete", _("complete")
        FAILED = "failed", _("failed")
        INTERRUPTED = "interrupted", _("interrupted")

    source = models.CharField(_("source"), max_length=50)
    format = models.CharField(_("format"), max_length=20)
    file_name = models.CharField(_("file"), max_length=500)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    imported = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    superseded = models.PositiveIntegerField(
        default=0, help_text=_("Older copies of a record that appears more than once in the file.")
    )
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    def summary(self) -> str:
        return f"imported {self.imported}, unchanged {self.unchanged}, updated {self.updated}, rejected {self.rejected}"


class RawFields(models.JSONField):
    """The source's own fields of a record, as JSON, without SQLite's per-row JSON_VALID check.

    Only the importer writes them, as JSON that orjson or the Arrow reader made (tests parse
    both); the check cost a second per million rows on import. PostgreSQL's jsonb still parses.
    """

    def db_check(self, connection: Any) -> None:
        return None


class Incident(models.Model):
    """One published incident record. Times are UTC; `x`/`y` are metres in the metric CRS."""

    source = models.CharField(_("source"), max_length=50)
    source_id = models.CharField(_("id in the source"), max_length=200)
    occurred_from = models.DateTimeField(_("occurred from"), null=True)
    occurred_to = models.DateTimeField(_("occurred to"), null=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    type = models.CharField(_("type"), max_length=150)
    nature = models.CharField(_("nature"), max_length=10, choices=[(n, n) for n in common.NATURES])
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)
    accuracy = models.CharField(_("location accuracy"), max_length=25, choices=[(a, a) for a in common.ACCURACIES])
    place_text = models.CharField(_("place"), max_length=300, blank=True)
    url = models.CharField(max_length=500, blank=True)
    # Every index slows a million-row import down: (area, occurred_from) serves area queries.
    area = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents", db_index=False
    )
    place = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents"
    )
    content_hash = models.CharField(max_length=24)
    raw = RawFields(default=dict, blank=True)
    # No database constraint: checking it would cost a lookup for every row of an import.
    import_run = models.ForeignKey(
        ImportRun,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="incidents",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        # Written with expressions so that every database builds it as a separate unique index
        # (SQLite would otherwise put it inside the table, where it cannot be dropped): a bulk
        # load into an empty table drops the indexes and builds each once from the loaded rows.
        constraints = [models.UniqueConstraint(F("source"), F("source_id"), name="incident_source_id")]
        indexes = [
            models.Index(fields=["lat", "lon"], name="incident_lat_lon"),
            models.Index(fields=["area", "occurred_from"], name="incident_area_time"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id} {self.type}"


class ImportJob(models.Model):
    """An incident file uploaded from the staff pages, imported in the background by `lofte worker`.

    The worker runs one job at a time (SQLite takes one writer; an import is one transaction), with
    the same importer as `lofte import-incidents`, and keeps the count read so far in `records`.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("importing")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=20, choices=[(f, f) for f in common.FORMATS])
    source = models.CharField(_("source"), max_length=50, blank=True)
    mapping = models.TextField(_("column mapping (TOML)"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    records = models.PositiveIntegerField(_("records read"), default=0)
    run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    message = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def rejects_path(self) -> str:
        return self.file.path + ".rejects.csv"


class HarmWeight(models.Model):
    """The harm of one incident of a type in a crime harm index (e.g. the average days of imprisonment
    in the Swedish Crime Harm Index of Kärrholm, Neyroud & Smaaland 2020): data with its source and
    date, loaded as a whole table by `lofte harm-weights` and editable by administrators. With weights,
    promise evaluations add a harm-weighted comparison."""

    type = models.CharField(_("incident type"), max_length=200, unique=True)
    weight = models.FloatField(_("weight"), help_text=_("Harm of one incident, in the table's unit."))
    unit = models.CharField(_("unit"), max_length=50, default="days")
    source = models.CharField(_("source"), max_length=500, help_text=_("The publication the weights come from."))
    dated = models.DateField(_("dated"), help_text=_("When the source's weights were valid."))
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["type"]
        verbose_name = _("harm weight")
        verbose_name_plural = _("harm weights")
        constraints = [models.CheckConstraint(condition=models.Q(weight__gte=0), name="harm_weight_not_negative")]

    def __str__(self) -> str:
        return f"{self.type}: {self.weight:g} {self.unit}"
