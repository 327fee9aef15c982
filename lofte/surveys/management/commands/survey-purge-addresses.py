from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from lofte.surveys.sample import purge_addresses

from ._wave import add_wave_arguments, get_wave


class Command(BaseCommand):
    help = "Erase the addresses of a wave's sample once the letters are sent."

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_wave_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{purge_addresses(get_wave(options))} addresses erased")
