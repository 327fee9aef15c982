from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lofte.core import rejects
from lofte.core.faults import DatabaseFull
from lofte.ingest.common import UnreadableFile
from lofte.places import population


class Command(BaseCommand):
    help = "Import residents per area and year (SCB's open statistics, a municipality's table) from a CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--mapping", required=True, help="TOML: the file's columns and its regions' area codes")
        parser.add_argument("--source", default="", help="where the figures come from, e.g. 'SCB, Folkmängd 2016'")
        parser.add_argument("--rejects", help="where to write rejected lines (default: FILE.rejects.csv)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = population.run(options["file"], mapping=options["mapping"], source=options["source"])
        except (UnreadableFile, DatabaseFull) as exc:
            raise CommandError(str(exc)) from exc
        rejects.report(self, result, options["file"], options["rejects"])
