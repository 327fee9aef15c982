from argparse import ArgumentParser

from django.core.management.base import CommandError


def add_wave_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("survey", help="the survey's slug")
    parser.add_argument("wave", help="the wave's label, e.g. 'hösten 2014'")


def get_wave(options):
    from lofte.surveys.models import Wave

    wave = (
        Wave.objects.select_related("survey__area")
        .filter(survey__slug=options["survey"], label=options["wave"])
        .first()
    )
    if wave is None:
        raise CommandError(f"no wave {options['wave']!r} in a survey {options['survey']!r}")
    return wave
