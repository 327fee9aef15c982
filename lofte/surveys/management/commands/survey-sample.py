from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lofte.analysis.sampling import SamplingError
from lofte.core.rejects import save_rejects
from lofte.ingest.common import UnreadableFile
from lofte.surveys.sample import SampleError, draw

from ._wave import add_wave_arguments, get_wave


class Command(BaseCommand):
    help = "Draw a wave's stratified sample from a register extract (CSV: id, age, sex, area, address)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_wave_arguments(parser)
        parser.add_argument("--frame", required=True, help="the sampling frame CSV")
        parser.add_argument("--size", type=int, required=True, help="people to invite")
        parser.add_argument("--allocation", choices=["proportional", "equal"], default="proportional")
        parser.add_argument("--seed", type=int, required=True, help="seed of the draw (write it down)")

    def handle(self, *args: Any, **options: Any) -> None:
        wave = get_wave(options)
        try:
            n, frame = draw(
                wave, options["frame"], size=options["size"], method=options["allocation"], seed=options["seed"]
            )
        except (UnreadableFile, SampleError, SamplingError) as exc:
            raise CommandError(str(exc)) from exc
        if frame.rejects:
            path = save_rejects(frame.rejects, options["frame"])
            self.stdout.write(f"{len(frame.rejects)} frame rows rejected, written to {path}")
        strata = ", ".join(f"{s}: {v['sample']} of {v['population']}" for s, v in wave.strata.items())
        self.stdout.write(
            f"invited {n} of {len(frame.people)} people in scope "
            f"({frame.out_of_scope} outside the age groups); {strata}"
        )
