from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lofte.surveys import letters, letters_shaped

from ._wave import add_wave_arguments, get_wave


class Command(BaseCommand):
    help = "Print a wave's invitation letters, or reminders to those who have not answered, as one PDF."

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_wave_arguments(parser)
        parser.add_argument("--out", required=True, help="the PDF file to write")
        parser.add_argument("--reminders", action="store_true", help="only those who have not answered")
        parser.add_argument(
            "--language", choices=letters_shaped.LANGUAGES,
            help="a letter in Arabic, Persian or Somali instead of the Swedish and English one",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        wave = get_wave(options)
        kind = "remind" if options["reminders"] else "invite"
        try:
            if options["language"]:
                count = letters_shaped.send(options["out"], wave, kind, options["language"])
            else:
                count = letters.send(options["out"], wave, kind)
        except letters.LetterError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{count} letters written to {options['out']}")
