from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lofte.incidents.locate import bounds_of, relocate
from lofte.places.models import Area


class Command(BaseCommand):
    help = (
        "Find the area and place of stored incidents again (pages and imports do it by themselves when "
        "an area or place changes; this is for data changed by other means)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--area", help="only the incidents within this area's bounding box (its code)")

    def handle(self, *args: Any, **options: Any) -> None:
        bounds = None
        if options["area"]:
            area = Area.objects.filter(code=options["area"]).first()
            if area is None:
                raise CommandError(f"no area with the code {options['area']!r}")
            bounds = bounds_of(area.polygon)
        self.stdout.write(f"{relocate(bounds=bounds)} incidents moved to another area or place")
