from typing import Any

from django.core.management.base import BaseCommand

from lofte.activities.services import close_stale_visits


class Command(BaseCommand):
    help = (
        "Close patrol visits started on the phone and never ended, at the longest allowed visit "
        "(LOFTE_MAX_VISIT_MINUTES). Run it from a timer, e.g. every 10 minutes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"closed {close_stale_visits()} visits")
