from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lofte import __version__
from lofte.incidents.polisen_feed import API, TooSoon, fetch
from lofte.ingest.common import UnreadableFile


class Command(BaseCommand):
    help = (
        "Poll the polisen.se events feed once, keep every event it has seen (the feed holds only the latest "
        "~500) and import the new ones. Run it from cron or a systemd timer, at most every minute."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--county", help="only this county or municipality, e.g. 'Västra Götalands län'")
        parser.add_argument("--archive", default=settings.LOFTE_POLISEN_ARCHIVE, help="where responses are kept")
        parser.add_argument("--url", default=API, help="the feed's address (tests point it elsewhere)")

    def handle(self, *args: Any, **options: Any) -> None:
        agent = f"Löfte/{__version__} (+{settings.LOFTE_PUBLIC_URL})"
        try:
            found = fetch(options["archive"], county=options["county"], url=options["url"], user_agent=agent)
        except TooSoon as exc:
            raise CommandError(f"not now: {exc}; try again in {exc.wait:.0f} s") from exc
        except (OSError, ValueError, UnreadableFile) as exc:
            raise CommandError(f"{options['url']}: {exc}") from exc
        for line in found.skipped:
            self.stderr.write(f"skipped {line}")
        imported = f"; imported {found.run.imported}, rejected {found.run.rejected}" if found.run else ""
        self.stdout.write(f"{found.events} events, {found.new} new{imported} (archive: {found.archive})")
