from typing import Any

from django.core.management.base import BaseCommand

from lofte.observations import residents


class Command(BaseCommand):
    help = "Delete the e-mail addresses residents left on reports older than LOFTE_RESIDENT_CONTACT_DAYS (daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"deleted: {residents.purge_contacts()}")
