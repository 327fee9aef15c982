from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lofte.core.rejects import report
from lofte.ingest.common import UnreadableFile
from lofte.surveys import imports

from ._wave import add_wave_arguments, get_wave


class Command(BaseCommand):
    help = "Import survey responses from a LimeSurvey or KoboToolbox CSV export, or a CSV with a mapping."

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_wave_arguments(parser)
        parser.add_argument("file")
        parser.add_argument("--format", dest="fmt", choices=["limesurvey", "kobo", "csv"], required=True)
        parser.add_argument("--mapping", help="TOML mapping of columns and answer values")
        parser.add_argument("--rejects", help="where to write rejected lines (default: FILE.rejects.csv)")

    def handle(self, *args: Any, **options: Any) -> None:
        wave = get_wave(options)
        try:
            result = imports.run(wave, options["file"], fmt=options["fmt"], mapping=options["mapping"])
        except UnreadableFile as exc:
            raise CommandError(str(exc)) from exc
        report(self, result, options["file"], options["rejects"])
