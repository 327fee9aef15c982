"""Drawing a wave's sample from a register extract and making its invitations."""

from collections import Counter
from pathlib import Path

from django.db import transaction

from lofte.analysis.sampling import stratified_sample
from lofte.ingest.survey_frame import Frame, read_frame
from lofte.surveys.models import Wave

from . import codes
from .models import Invitation


class SampleError(ValueError):
    pass


def draw(
    wave: Wave,
    frame_path: str | Path,
    *,
    size: int,
    method: str = "proportional",
    seed: int | None,
    keep_addresses: bool = True,
) -> tuple[int, Frame]:
    """Read the frame, draw a stratified sample (strata = the frame's areas) and create one
    invitation per sampled person. Only sampled people are stored; for everyone else only the
    counts per stratum and the margins (age group, sex, area) used for weighting are kept.

    Returns (number of invitations, frame) so that the caller can report rejects.
    """
    if wave.invitations.exists():
        raise SampleError(f"wave {wave.label!r} already has a sample; a sample is drawn once")
    frame = read_frame(frame_path)
    if not frame.people:
        raise SampleError(f"{frame_path}: no usable rows in the frame")
    people = frame.people
    sample = stratified_sample([p.area for p in people], size, method=method, seed=seed)
    with transaction.atomic():
        wave.strata = sample.to_dict()["strata"]
        wave.margins = {
            "age_group": dict(Counter(p.age_group for p in people)),
            "sex": dict(Counter(p.sex for p in people)),
            "area": dict(Counter(p.area for p in people)),
        }
        wave.sample_seed = seed
        wave.code_salt = codes.new_salt()
        wave.save()
        invitations = []
        for number, row in enumerate(sample.rows.tolist(), start=1):
            person = people[row]
            invitations.append(
                Invitation(
                    wave=wave,
                    number=number,
                    stratum=person.area,
                    digest=codes.digest(codes.code_for(wave.code_salt, number)),
                    person_ref="" if wave.survey.anonymous else person.ref,
                    address=person.address if keep_addresses else "",
                    age_group="" if wave.survey.anonymous else person.age_group,
                    sex="" if wave.survey.anonymous else person.sex,
                )
            )
        Invitation.objects.bulk_create(invitations, batch_size=1000)
    return len(invitations), frame


def purge_addresses(wave: Wave) -> int:
    """Erase the addresses once the letters are sent (they are needed for nothing else)."""
    return wave.invitations.exclude(address="").update(address="")
