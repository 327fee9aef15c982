"""Django's format settings for a language as CLDR has them (through Babel): the decimal and group
symbols, and the long and short day. Written for the residents' languages, which Django either lacks
(Somali) or formats otherwise than CLDR (Arabic with a decimal comma).

Digits stay Latin: CLDR's default numbering is Latin for Arabic and Somali; for Persian it is the
Extended Arabic-Indic digits, which Babel names but does not write, so Persian gets Latin digits with
CLDR's Latin-numbering symbols, as Babel formats it by default."""

import re
from typing import Any

from babel import dates, numbers

# CLDR date pattern letters and Django's date format characters for the same thing.
_LETTERS = {"dd": "d", "d": "j", "MMMM": "F", "MMM": "M", "MM": "m", "M": "n", "yyyy": "Y", "yy": "y", "y": "Y"}


def django_date(pattern: str) -> str:
    """A CLDR date pattern ("d MMMM y") as a Django date format ("j F Y"); literal text is escaped."""
    out = []
    for token in re.findall(r"d+|M+|y+|'[^']*'|.", pattern):
        if token in _LETTERS:
            out.append(_LETTERS[token])
        elif token.startswith("'"):
            out.append("".join(f"\\{c}" for c in token.strip("'")))
        elif token.isalpha():
            out.append(f"\\{token}")
        else:
            out.append(token.replace("\u200f", ""))  # CLDR's right-to-left marks: the page sets the direction
    return "".join(out)


def formats(language: str) -> dict[str, Any]:
    day = django_date(dates.get_date_format("long", locale=language).pattern)
    return {
        "DECIMAL_SEPARATOR": numbers.get_decimal_symbol(language),
        "THOUSAND_SEPARATOR": numbers.get_group_symbol(language),
        "NUMBER_GROUPING": 3,
        "DATE_FORMAT": day,
        "SHORT_DATE_FORMAT": django_date(dates.get_date_format("short", locale=language).pattern),
        "DATETIME_FORMAT": f"{day} H:i",
        "MONTH_DAY_FORMAT": re.sub(r"[,\s]*\\?Y[,\s]*", " ", day).strip(" ,"),
        "YEAR_MONTH_FORMAT": "F Y",
    }
