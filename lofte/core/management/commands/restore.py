from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lofte.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the database's contents with a backup made by `lofte backup` (stop the site first)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restore(options["path"])
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored from {options['path']}")
