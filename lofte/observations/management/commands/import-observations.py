from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lofte.accounts.models import Organisation
from lofte.core import rejects
from lofte.core.faults import DatabaseFull
from lofte.ingest.common import UnreadableFile
from lofte.observations import imports


class Command(BaseCommand):
    help = "Import observations (EST reports) from another system: a CSV file read through a TOML column mapping."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--mapping", required=True, help="TOML: the file's columns and category words")
        parser.add_argument("--organisation", required=True, help="the reporting organisation's name or id")
        parser.add_argument("--source", help="name of the system the reports come from (default: the mapping's)")
        parser.add_argument("--rejects", help="where to write rejected lines (default: FILE.rejects.csv)")

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = options["organisation"]
        organisation = Organisation.objects.filter(name=wanted).first() or (
            Organisation.objects.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        )
        if organisation is None:
            raise CommandError(f"--organisation {wanted}: no such organisation")
        try:
            result = imports.run(
                options["file"], mapping=options["mapping"], organisation=organisation, source=options["source"]
            )
        except (UnreadableFile, DatabaseFull) as exc:
            raise CommandError(str(exc)) from exc
        rejects.report(self, result, options["file"], options["rejects"])
