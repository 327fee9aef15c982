"""The dates Löfte accepts where data comes in (forms, the API, the logging services).

Records start with the first citizen promises (2015); a date before 2000 or after 2100 is a typing
error, and one near year 1 or 9999 would overflow the time-zone arithmetic into a server error.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
DATE_VALIDATORS = [
    MinValueValidator(EARLIEST, gettext_lazy("Give a date from 2000 on.")),
    MaxValueValidator(LATEST, gettext_lazy("Give a date before 2101.")),
]


def out_of_range(value: date | datetime) -> str | None:
    """Why `value` is refused, or None when it lies between EARLIEST and LATEST."""
    day = value.date() if isinstance(value, datetime) else value
    for validator in DATE_VALIDATORS:
        try:
            validator(day)
        except ValidationError as refusal:
            return str(refusal.messages[0])
    return None
