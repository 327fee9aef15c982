from typing import Any

from django.core.management.base import BaseCommand

from lofte.observations import digest


class Command(BaseCommand):
    help = "E-mail last week's picture of their areas to the members who asked for it (run it every Monday)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"sent: {digest.send_due()}")
