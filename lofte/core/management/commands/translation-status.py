from typing import Any

from django.core.management.base import BaseCommand

from lofte.core.translations import RESIDENT_LANGUAGES, progress


class Command(BaseCommand):
    help = "How far Arabic, Somali and Persian have come: interface strings and users' texts, and drafts."

    def handle(self, *args: Any, **options: Any) -> None:
        for language in RESIDENT_LANGUAGES:
            found = progress(language)
            self.stdout.write(
                f"{language}: {found.translated} of {found.strings} strings translated, {found.drafts} of them "
                f"drafts to check; {found.texts} users' texts translated, {found.text_drafts} of them drafts"
            )
