from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lofte.promises.models import Promise
from lofte.promises.report import render_report


class Command(BaseCommand):
    help = "Write a promise's report as HTML or PDF (A4), as the public sees it."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--lang", choices=("sv", "en"), default="sv")
        parser.add_argument("--format", choices=("html", "pdf"), default="html")
        parser.add_argument("--out", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        promise = Promise.objects.filter(slug=options["slug"]).select_related("area").first()
        if promise is None:
            raise CommandError(f"slug: no promise {options['slug']!r}")
        report = render_report(promise, language=options["lang"], fmt=options["format"])
        try:
            if isinstance(report, bytes):
                options["out"].write_bytes(report)
            else:
                options["out"].write_text(report, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{options['out']}: cannot write: {exc.strerror}") from exc
        self.stdout.write(f"report written to {options['out']}")
