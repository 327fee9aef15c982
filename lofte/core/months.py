"""The month names Django's date filter asks the catalogues for ("F": `django.utils.dates.MONTHS`),
listed here so that makemessages keeps them in Löfte's catalogues. Django has no Somali catalogue, so
without them Somali pages wrote Swedish months; every language's names are CLDR's (Babel), which
tests/test_numbers_and_days.py holds them to."""

from django.utils.translation import gettext_noop

MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
