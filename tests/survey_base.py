"""A survey of Biskopsgården with the item bank and a baseline wave whose sample is drawn
from a generated register extract."""

import csv
import tempfile
from datetime import date
from pathlib import Path

from lofte.surveys import codes, itembank
from lofte.surveys.models import Survey, Wave
from lofte.surveys.sample import draw

from .base import BaseTestCase


def write_frame(path, people=600, areas=("Norra", "Södra"), seed=3):
    import random

    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "age", "sex", "area", "address"])
        for k in range(people):
            writer.writerow(
                [
                    f"P{k:05d}",
                    rng.randint(10, 95),
                    rng.choice("KM"),
                    areas[k % len(areas)],
                    f"Person {k}\nGata {k}\n418 {k % 90:02d} Göteborg",
                ]
            )
    return path


class SurveyTestCase(BaseTestCase):
    anonymous = True

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.survey = cls.make_survey("trygghet", anonymous=cls.anonymous)
        cls.wave = Wave.objects.create(
            survey=cls.survey,
            kind="baseline",
            label="hösten 2014",
            opens_on=date(2014, 9, 1),
            closes_on=date(2099, 12, 31),
        )
        with tempfile.TemporaryDirectory() as folder:
            cls.invited, cls.frame = draw(cls.wave, write_frame(Path(folder) / "frame.csv"), size=40, seed=1)

    @classmethod
    def make_survey(cls, slug, *, anonymous=True, published=False):
        survey = Survey.objects.create(
            area=cls.area,
            name=f"Trygghetsmätning {slug}",
            name_en=f"Safety survey {slug}",
            slug=slug,
            anonymous=anonymous,
            published=published,
        )
        survey.organisations.set([cls.police, cls.municipality])
        itembank.add_to(survey)
        return survey

    def setUp(self):
        from django.core.cache import cache
        from django.utils import translation

        cache.clear()  # the code-guessing throttle counts per client address
        translation.activate("sv")  # an earlier test's request may have left English active

    def code(self, number, wave=None):
        wave = wave or self.wave
        return codes.code_for(wave.code_salt, number)
