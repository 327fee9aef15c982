from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lofte.plans.render import NoReport, find_report, render_document


class Command(BaseCommand):
    help = "Write a municipality's situation report (lägesbild and action plan) as HTML or a tagged PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="the official municipality code, e.g. 1480 for Göteborg")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["html", "pdf"], default="html")
        parser.add_argument("--out", required=True, help="the file to write")
        parser.add_argument("--area", default="", help="the area's code, when the year has reports of several")
        parser.add_argument("--language", choices=["sv", "en"], default="sv")
        parser.add_argument("--working", action="store_true", help="the latest version, decided or not")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = find_report(options["municipality"], year=options["year"], area=options["area"],
                                 working=options["working"])  # fmt: skip
        except NoReport as exc:
            raise CommandError(str(exc)) from exc
        found = render_document(report, language=options["language"], fmt=options["format"])
        out = Path(options["out"])
        if isinstance(found, bytes):
            out.write_bytes(found)
        else:
            out.write_text(found, encoding="utf-8")
        self.stdout.write(f"{report} → {out}")
