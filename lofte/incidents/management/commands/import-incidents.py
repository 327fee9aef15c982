from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from lofte.accounts.models import Organisation
from lofte.core.faults import DatabaseFull
from lofte.core.params import as_id
from lofte.core.rejects import default_rejects_path
from lofte.incidents import importer, picture
from lofte.ingest.common import FORMATS, UnreadableFile


class Command(BaseCommand):
    help = "Import incidents (polisen.se events, police.uk street CSV, a mapped CSV or GeoJSON points)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("--mapping", help="TOML column mapping (csv and geojson formats)")
        parser.add_argument("--source", help="source name stored with each record (default: the format)")
        parser.add_argument(
            "--organisation",
            help="import as this organisation (id or name), as its analysts' uploads are: its records stay its own",
        )
        parser.add_argument("--rejects", help="where to write rejected rows (default: FILE.rejects.csv)")
        parser.add_argument("--limit", type=int, help="import only the first N records (a quick dev subset)")
        parser.add_argument(
            "--no-warm", action="store_true", help="do not compute the areas' situation pictures for the cache"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bar = tqdm(unit=" records", disable=options["verbosity"] == 0, file=self.stderr._out)

        def progress(count: int) -> None:
            bar.update(count - bar.n)

        organisation = None
        if options["organisation"]:
            organisation = _organisation(options["organisation"])
        try:
            run = importer.run(
                options["file"],
                format=options["format"],
                source=options["source"],
                mapping=options["mapping"],
                rejects_path=options["rejects"],
                progress=progress,
                limit=options["limit"],
                organisation=organisation,
            )
        except (UnreadableFile, DatabaseFull) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        if run.superseded:
            self.stdout.write(f"{run.superseded} older copies of records repeated in the file were skipped")
        if run.rejected:
            self.stdout.write(f"rejects written to {options['rejects'] or default_rejects_path(options['file'])}")
        self.stdout.write(run.summary())
        if not options["no_warm"]:
            picture.warm_after(run)


def _organisation(given: str) -> Organisation:
    pk = as_id(given)
    found = Organisation.objects.filter(pk=pk) if pk is not None else Organisation.objects.filter(name=given)
    if not found.exists():
        raise CommandError(f"--organisation: no organisation {given!r}")
    return found.get()
