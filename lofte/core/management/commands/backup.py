from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lofte.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a copy of the whole database to PATH (safe while the site runs)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(f"backed up to {backup(options['path'])}")
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
