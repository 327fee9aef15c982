"""Analysts' uploads of incident files (`/personal/import/`): the file is kept and `lofte worker`
imports it in the background; the page follows the progress and offers the rejects."""

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lofte.accounts.models import Organisation
from lofte.core.requests import LoggedInRequest
from lofte.ingest.common import FORMATS

from .jobs import records_read, worker_missing
from .models import ImportJob
from .permissions import jobs


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Incident file"))
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=[(f, f) for f in FORMATS])
    source = forms.SlugField(label=gettext_lazy("Source name"), required=False, max_length=40,
                             help_text=gettext_lazy("Stored with each record (default: the format)."))  # fmt: skip
    mapping = forms.CharField(label=gettext_lazy("Column mapping (TOML, for csv and geojson)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 6}), max_length=20_000)  # fmt: skip
    organisation = forms.ModelChoiceField(label=gettext_lazy("Organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if len(only := list(organisations[:2])) == 1:  # nothing to choose: chosen already
            self.fields["organisation"].initial = only[0].pk

    def clean_file(self) -> UploadedFile[Any]:
        upload: UploadedFile[Any] = self.cleaned_data["file"]
        if (upload.size or 0) > settings.LOFTE_IMPORT_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than %(n)s MB.") % {"n": settings.LOFTE_IMPORT_MAX_MB})
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("format") in ("csv", "geojson") and not (data.get("mapping") or "").strip():
            self.add_error("mapping", _("A %(format)s file needs a column mapping.") % {"format": data["format"]})
        return data


def _analyst_organisations(user: Any) -> QuerySet[Organisation]:
    return jobs.organisations_for(user, "add")


@login_required
def import_page(request: LoggedInRequest) -> HttpResponse:
    if not jobs.can(request.user, "add"):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, organisations=_analyst_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ImportJob.objects.create(
            organisation=data["organisation"],
            created_by=request.user,
            file=data["file"],
            file_name=Path(data["file"].name).name[:255],
            format=data["format"],
            source=data["source"],
            mapping=data["mapping"],
        )
        messages.success(request, _("The file is waiting for the import; this page shows how it goes."))
        return redirect("import")
    rows = [(job, records_read(job)) for job in jobs.visible(request.user).select_related("run", "created_by")[:50]]
    busy = any(job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING) for job, _n in rows)
    template = "incidents/_import_jobs.html" if request.headers.get("HX-Request") else "incidents/import.html"
    ctx = {"form": form, "rows": rows, "busy": busy, "worker_missing": busy and worker_missing()}
    return render(request, template, ctx, status=400 if form.errors else 200)


@login_required
def import_rejects(request: HttpRequest, pk: int) -> FileResponse:
    job = jobs.visible(request.user).filter(pk=pk).first()
    if job is None or not Path(job.rejects_path).exists():
        raise Http404
    return FileResponse(open(job.rejects_path, "rb"), as_attachment=True, filename=f"{job.file_name}.rejects.csv")
