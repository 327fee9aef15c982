"""Importing responses collected in LimeSurvey, KoboToolbox or elsewhere into a wave.

Idempotent by (wave, source, id in the source): the same file again changes nothing, a changed
response is updated, and the whole file goes in one transaction.
"""

from pathlib import Path
from typing import Any

from django.db import transaction

from lofte.core.rejects import ImportResult
from lofte.ingest.survey_responses import load_mapping, read_responses
from lofte.surveys.models import Wave

from .models import Response

SOURCES = {"limesurvey": Response.Source.LIMESURVEY, "kobo": Response.Source.KOBO, "csv": Response.Source.CSV}


def run(wave: Wave, path: str | Path, *, fmt: str, mapping: dict[str, Any] | str | None = None) -> ImportResult:
    """Read `path` and store its responses in `wave`; `mapping` is a dict or a TOML path."""
    if isinstance(mapping, str):
        mapping = load_mapping(mapping)
    items = {item.code: item.values() for item in wave.survey.items.all()}
    parsed = read_responses(path, fmt=fmt, items=items, mapping=mapping)
    source = SOURCES[fmt]
    imported = unchanged = updated = 0
    with transaction.atomic():
        existing = {r.external_id: r for r in Response.objects.filter(wave=wave, source=source)}
        new = []
        for record in parsed.records:
            fields = {
                "submitted_on": record.submitted_on,
                "answers": record.answers,
                "stratum": record.stratum,
                "language": record.language,
            }
            old = existing.get(record.external_id)
            if old is None:
                new.append(Response(wave=wave, source=source, external_id=record.external_id, **fields))
                imported += 1
            elif all(getattr(old, k) == v for k, v in fields.items()):
                unchanged += 1
            else:
                for k, v in fields.items():
                    setattr(old, k, v)
                old.save(update_fields=list(fields))
                updated += 1
        Response.objects.bulk_create(new, batch_size=1000)
        if imported or updated:
            wave.responses_changed()
    return ImportResult(imported, unchanged, updated, parsed.rejects)
