from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lofte.ingest.common import UnreadableFile
from lofte.places import importer


class Command(BaseCommand):
    help = "Import area polygons from a GeoJSON file (reprojected to WGS84)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--name-field", required=True, help="property with the area's name, e.g. NAMN")
        parser.add_argument("--code-field", help="property with a unique code (default: the name)")
        parser.add_argument("--category-field", help="property with the category, e.g. KATEGORI")
        parser.add_argument("--crs", help="CRS of the coordinates, e.g. EPSG:3006 (default: from the file)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = importer.run(
                options["file"],
                name_field=options["name_field"],
                code_field=options["code_field"],
                category_field=options["category_field"],
                crs=options["crs"],
            )
        except UnreadableFile as exc:
            raise CommandError(str(exc)) from exc
        for reject in result.rejects:
            self.stderr.write(str(reject))
        self.stdout.write(result.summary())
