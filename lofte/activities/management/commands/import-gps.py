from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lofte.activities import gps
from lofte.core.faults import DatabaseFull
from lofte.ingest.common import UnreadableFile


class Command(BaseCommand):
    help = "Turn GPS pings (CSV with unit, time, lat, lon; or GPX) into patrol visits by geofence."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--gap", type=int, default=120, help="longest gap between pings in one visit, seconds")
        parser.add_argument("--min-minutes", type=float, default=1.0, help="shorter visits are dropped")
        parser.add_argument("--timezone", default="Europe/Stockholm", help="zone of times without an offset")
        parser.add_argument("--rejects", help="where to write rejected lines (default: FILE.rejects.csv)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = gps.run(
                options["file"],
                gap_seconds=options["gap"],
                min_minutes=options["min_minutes"],
                tz=options["timezone"],
                rejects_path=options["rejects"],
            )
        except (UnreadableFile, DatabaseFull) as exc:
            raise CommandError(str(exc)) from exc
        if result.rejects_path:
            self.stdout.write(f"rejects written to {result.rejects_path}")
        self.stdout.write(result.summary())
