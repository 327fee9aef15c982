"""Numbers typed into query strings and forms by hand: read them without ever raising.

`str.isdigit()` is true for "²" and "٣", which `int()` then refuses or reads as a number nobody
meant, and a twenty-digit id overflows the database's integer: both were server errors.
"""

import re

_ID = re.compile(r"[0-9]{1,18}")


def as_id(value: object) -> int | None:
    """`value` as a database id (ASCII digits that fit a 64-bit integer), else None."""
    text = str(value if value is not None else "").strip()
    return int(text) if _ID.fullmatch(text) else None


def as_year(value: object) -> int | None:
    """`value` as a year between 1900 and 2100, else None."""
    year = as_id(value)
    return year if year is not None and 1900 <= year <= 2100 else None
