from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from lofte.incidents import jobs


class Command(BaseCommand):
    help = "Import the incident files uploaded from the staff pages, one at a time (run it as a service)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="import the files waiting now, then stop")
        parser.add_argument("--poll", type=float, default=2.0, help="seconds between looks for new files")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs.work(once=options["once"], poll=options["poll"])
