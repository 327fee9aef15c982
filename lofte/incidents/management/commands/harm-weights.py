from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lofte.core.problems import InputProblem
from lofte.incidents.harm import load


class Command(BaseCommand):
    help = (
        "Replace the crime harm index (harm of one incident per incident type) with the rows of a CSV "
        "file with the columns type,weight. Promise evaluations then add a harm-weighted comparison."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--source", required=True, help="the publication the weights come from")
        parser.add_argument("--dated", required=True, type=date.fromisoformat, help="YYYY-MM-DD: when they applied")
        parser.add_argument("--unit", default="days", help="the weights' unit (default: days of imprisonment)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            n = load(options["file"], source=options["source"], dated=options["dated"], unit=options["unit"])
        except (InputProblem, OSError) as problem:
            raise CommandError(getattr(problem, "message", str(problem))) from problem
        self.stdout.write(f"{n} harm weights stored ({options['source']}, {options['dated']})")
