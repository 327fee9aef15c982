"""CSV cells a spreadsheet will not run as formulas (OWASP: CSV injection).

Text that begins with =, +, -, @, a tab or a carriage return is read by Excel and LibreOffice as a
formula; such text from imported files gets a leading apostrophe, which spreadsheets show as text.
Numbers are left alone (a longitude of -0.09 stays a number).
"""

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def row(values: Iterable[object]) -> list:
    return [cell(value) for value in values]
