from typing import Any

from django.core.management.base import BaseCommand

from lofte.plans import reminders


class Command(BaseCommand):
    help = "E-mail the owners of each decided situation report older than its review period (run it daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"sent: {reminders.send_due()}")
