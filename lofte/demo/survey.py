"""The demo's safety survey: a SYNTHETIC register extract of Biskopsgården, a baseline in autumn
2014 and a follow-up in autumn 2017 of 1 000 residents each, drawn and weighted the real way, and
an open practice wave whose codes the demo prints.

The answers are generated: some problems fall clearly (open drug dealing, shootings), awareness
of the promise rises, others stay within the noise, so that the result page shows every verdict.
"""

import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import numpy as np
from numpy.random import Generator

from lofte.accounts.models import Organisation
from lofte.places.models import Area
from lofte.promises.models import Promise
from lofte.surveys import codes, itembank
from lofte.surveys.models import Item, Response, Survey, Wave
from lofte.surveys.sample import draw

SLUG = "trygghet-biskopsgarden"
STRATA = {"Norra Biskopsgården": 11_000, "Södra Biskopsgården": 9_000}
AGE_SHARES = {"16-24": 0.17, "25-44": 0.38, "45-64": 0.28, "65-84": 0.17}
# Response propensity by age group: older residents answer more often (so raking matters).
RESPONSE_RATE = {"16-24": 0.30, "25-44": 0.42, "45-64": 0.55, "65-84": 0.65}
# Share giving an indicator answer, (baseline, follow-up).
INDICATOR_SHARES = {
    "problem_litter": (0.55, 0.53),
    "problem_vandalism": (0.45, 0.44),
    "problem_youth_groups": (0.50, 0.45),
    "problem_drug_dealing": (0.48, 0.36),
    "problem_intoxicated": (0.35, 0.34),
    "problem_vehicles": (0.40, 0.41),
    "problem_shootings": (0.42, 0.30),
    "problem_street_disorder": (0.38, 0.35),
    "worry_crime": (0.46, 0.43),
    "unsafe_evening": (0.44, 0.39),
    "avoid_places": (0.33, 0.31),
    "avoid_activities": (0.22, 0.21),
    "victim_12m": (0.14, 0.13),
    "trust_police": (0.40, 0.46),
    "trust_municipality": (0.31, 0.33),
    "aware_promise": (0.08, 0.29),
}
DONT_KNOW = 0.06
PRACTICE_CODES = 5


def _frame(path: str | Path, rng: Generator) -> None:
    ages = {"16-24": (16, 24), "25-44": (25, 44), "45-64": (45, 64), "65-84": (65, 84)}
    groups = list(AGE_SHARES)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("id,age,sex,area,address\n")
        number = 0
        for area, people in STRATA.items():
            picked = rng.choice(len(groups), size=people, p=list(AGE_SHARES.values()))
            for k in picked:
                low, high = ages[groups[k]]
                number += 1
                street = "Vårväderstorget" if area.startswith("Norra") else "Länsmansgården"
                handle.write(
                    f"D{number:06d},{rng.integers(low, high + 1)},{'KM'[rng.integers(2)]},{area},"
                    f'"Boende {number}\n{street} {number % 90 + 1}\n418 3{number % 10} Göteborg"\n'
                )


def _answer(item: Item, share: float, rng: Generator) -> str:
    """One answer to `item`: an indicator answer with probability `share`, else another real one."""
    real = [o["value"] for o in item.options if not o.get("missing")]
    if rng.random() < DONT_KNOW and len(real) < len(item.options):
        return next(o["value"] for o in item.options if o.get("missing"))
    hits = [v for v in real if v in item.indicator]
    others = [v for v in real if v not in item.indicator]
    return str(rng.choice(hits if rng.random() < share else others))


def _responses(wave: Wave, items: Iterable[Item], which: int, rng: Generator) -> None:
    """Answers from the sampled residents who respond (age-dependent), anonymous like the web form."""
    rows = []
    for invitation in wave.invitations.all():
        age = rng.choice(list(AGE_SHARES), p=list(AGE_SHARES.values()))
        if rng.random() >= RESPONSE_RATE[age]:
            continue
        answers = {"age_group": age, "sex": str(rng.choice(["female", "male"]))}
        for item in items:
            if item.code in INDICATOR_SHARES:
                answers[item.code] = _answer(item, INDICATOR_SHARES[item.code][which], rng)
        rows.append(
            Response(wave=wave, submitted_on=wave.opens_on, stratum=invitation.stratum, answers=answers, language="sv")
        )
    Response.objects.bulk_create(rows)
    wave.responses_changed()


def build(area: Area, organisations: Iterable[Organisation], *, seed: int = 2014) -> Survey:
    """Create the survey with its three waves; returns it (or the existing one)."""
    existing = Survey.objects.filter(slug=SLUG).first()
    if existing:
        return existing
    rng = np.random.default_rng(seed)
    survey = Survey.objects.create(
        area=area,
        slug=SLUG,
        name="Trygghetsmätning Biskopsgården",
        name_en="Safety survey Biskopsgården",
        anonymous=True,
        published=True,
    )
    survey.organisations.set(organisations)
    itembank.add_to(survey)
    items = list(survey.items.filter(background=False))
    waves = [
        Wave.objects.create(
            survey=survey,
            kind=Wave.Kind.BASELINE,
            label="hösten 2014",
            label_en="autumn 2014",
            opens_on=date(2014, 9, 15),
            closes_on=date(2014, 10, 31),
        ),
        Wave.objects.create(
            survey=survey,
            kind=Wave.Kind.FOLLOW_UP,
            label="hösten 2017",
            label_en="autumn 2017",
            opens_on=date(2017, 9, 15),
            closes_on=date(2017, 10, 31),
        ),
        Wave.objects.create(
            survey=survey,
            kind=Wave.Kind.OTHER,
            label="prova enkäten (demo)",
            label_en="try the survey (demo)",
            opens_on=date(2020, 1, 1),
            closes_on=date(2099, 12, 31),
        ),
    ]
    with tempfile.TemporaryDirectory() as folder:
        frame = Path(folder) / "frame.csv"
        _frame(frame, rng)
        for wave, size, sample_seed in zip(waves, (1000, 1000, PRACTICE_CODES), (2014, 2017, 1), strict=True):
            draw(wave, frame, size=size, seed=sample_seed)
    for which, wave in enumerate(waves[:2]):
        _responses(wave, items, which, rng)
        # Anonymous: the invitation only learns that it was used. Mark as many as answered, per
        # stratum, without recording which response came from which letter.
        for stratum in wave.strata:
            n = wave.responses.filter(stratum=stratum).count()
            chosen = list(wave.invitations.filter(stratum=stratum).values_list("pk", flat=True)[:n])
            wave.invitations.filter(pk__in=chosen).update(used=True)
    return survey


def link_outcomes(promise: Promise, survey: Survey) -> None:
    """The outcomes the promise's commitments are meant to move: evening safety on the squares
    (patrols) and awareness of the promise (information meetings)."""
    links = {"patrol_visits_per_day": "unsafe_evening", "information_meeting": "aware_promise"}
    # What the owners expected, in percentage points: 15 fewer in a hundred feeling unsafe in the evening, 20
    # more in a hundred who know of the promise.
    expected = {"unsafe_evening": -15.0, "aware_promise": 20.0}
    for commitment in promise.commitments.all():
        code = links.get(commitment.metric) or links.get(commitment.filter_kind)
        if code:
            commitment.outcome_item = survey.items.get(code=code)
            commitment.outcome_expected_change = expected[code]
            commitment.save(update_fields=["outcome_item", "outcome_expected_change"])
    # The promise names the waves it is judged between: a later wave of the survey never changes it.
    promise.baseline_wave = survey.waves.get(kind=Wave.Kind.BASELINE)
    promise.follow_up_wave = survey.waves.get(kind=Wave.Kind.FOLLOW_UP)
    promise.save(update_fields=["baseline_wave", "follow_up_wave"])


def practice_codes(survey: Survey) -> list:
    """The open practice wave's codes, for the demo's start-up message."""
    wave = survey.waves.filter(kind=Wave.Kind.OTHER).first()
    if wave is None:
        return []
    return [codes.code_for(wave.code_salt, i.number) for i in wave.invitations.filter(used=False)]
