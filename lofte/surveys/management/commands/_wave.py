from argparse import ArgumentParser
from collections.abc import Mapping
from typing import Any

from django.core.management.base import CommandError

from lofte.surveys.models import Wave


def add_wave_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("survey", help="the survey's slug")
    parser.add_argument("wave", help="the wave's label, e.g. 'hösten 2014'")


def get_wave(options: Mapping[str, Any]) -> "Wave":
    from lofte.surveys.models import Wave

    wave = (
        Wave.objects.select_related("survey__area")
        .filter(survey__slug=options["survey"], label=options["wave"])
        .first()
    )
    if wave is None:
        raise CommandError(f"no wave {options['wave']!r} in a survey {options['survey']!r}")
    return wave
