from typing import Any

from django.core.management.base import BaseCommand

from lofte.cases.keys import rotate_field_key


class Command(BaseCommand):
    help = (
        "Encrypt every case note again with the first key of LOFTE_FIELD_KEY (after putting a new key first); "
        "the old key can be removed afterwards."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{rotate_field_key()} notes encrypted with the first key")
