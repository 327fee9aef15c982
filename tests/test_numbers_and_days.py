"""Numbers, days and months on the residents' pages as CLDR writes them in each language (Babel is the
reference): Arabic wrote 0,0 (Django's Arabic decimal comma), Somali wrote Swedish months."""

from datetime import date

import pytest
from babel import dates, numbers
from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils import translation

from lofte.config.formats.cldr import django_date

LANGUAGES = ("sv", "ar", "so", "fa")
DAY = date(2016, 3, 1)


def render(text, language, **context):
    with translation.override(language):
        return Template("{% load lofte %}" + text).render(Context(context))


class NumbersTests(SimpleTestCase):
    def test_it_writes_decimals_and_groups_as_cldr(self):
        for language in LANGUAGES:
            for value in (1234.5, 2.78, 0.0, 1016):
                with self.subTest(language=language, value=value):
                    expected = numbers.format_decimal(value, format="#,##0.##", locale=language)
                    self.assertEqual(render("{{ v|amount }}", language, v=value), expected)

    def test_it_writes_the_day_and_its_month_as_cldr(self):
        for language in LANGUAGES:
            with self.subTest(language=language):
                expected = dates.format_date(DAY, "long", locale=language).replace("\u200f", "")
                self.assertEqual(render('{{ d|date:"DATE_FORMAT" }}', language, d=DAY), expected)

    def test_it_names_every_month_as_cldr(self):
        for language in LANGUAGES:
            names = dates.get_month_names("wide", context="format", locale=language)
            for month in range(1, 13):
                day = date(2016, month, 1)
                self.assertEqual(render('{{ d|date:"F" }}', language, d=day), names[month], (language, month))

    def test_it_turns_cldr_patterns_into_django_formats(self):
        self.assertEqual(django_date("d MMMM y"), "j F Y")
        self.assertEqual(django_date("MMMM d, y"), "F j, Y")
        self.assertEqual(django_date("d\u200f/M\u200f/y"), "j/n/Y")
        self.assertEqual(django_date("y 'm.' d"), "Y \\m\\. j")


@pytest.mark.parametrize("language", ["ar", "so", "fa"])
def test_the_machine_readable_numbers_stay_as_they_are(language):
    with translation.override(language):
        assert render("{{ v|ci_left }}", language, v=0.25) == "25.00"
