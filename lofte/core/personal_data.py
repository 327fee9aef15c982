"""Finding personal data in free text that should not hold any (observations, residents' reports).

A report of graffiti or a gathering needs no one's name, number or address, and a free-text field is
where they slip in. These finders catch what has a shape: Swedish personal identity numbers (with their
check digit, so a date and a house number do not), phone numbers and e-mail addresses. Names have no
shape: the forms say in words not to write them.
"""

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

# 19 or 20 first, or not; a date; -, + or nothing; four digits. Surrounded by non-digits.
_IDENTITY = re.compile(r"(?<!\d)(?:19|20)?(\d{2})(\d{2})(\d{2})[-+ ]?(\d{4})(?!\d)")
# Swedish numbers: 07x mobiles and area codes 0xx, or +46; groups of digits split by spaces or dashes.
_PHONE = re.compile(r"(?<![\d+])(?:\+46[\s-]?|0)(?:\d[\s-]?){6,11}\d(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _luhn(digits: str) -> bool:
    total = 0
    for i, d in enumerate(int(c) for c in digits):
        doubled = d * 2 if i % 2 == 0 else d
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0


def _identity_numbers(text: str) -> bool:
    for match in _IDENTITY.finditer(text):
        year, month, day, last = match.groups()
        born_day = int(day) - 60 if int(day) > 60 else int(day)  # a co-ordination number adds 60 to the day
        if 1 <= int(month) <= 12 and 1 <= born_day <= 31 and _luhn(year + month + day + last):
            return True
    return False


def personal_data(text: str) -> list[str]:
    """What kinds of personal data `text` seems to hold, in words, e.g. ["a phone number"]."""
    found = []
    if _identity_numbers(text):
        found.append(str(_("a personal identity number")))
    if _PHONE.search(_IDENTITY.sub(" ", text)):
        found.append(str(_("a phone number")))
    if _EMAIL.search(text):
        found.append(str(_("an e-mail address")))
    return found


# Public text (residents' statements and reports) may hold no way to reach anyone: no link, e-mail
# address or telephone number, however it is spelt.
# Matched against the text as `comparable` makes it: NFKC (full-width letters become ASCII), case-folded,
# invisible characters removed. A mail address may have spaces around its @ ("kalle @ example.com").
CONTACT_DETAILS = re.compile(
    r"https?:|www\.|\S+\s*(?:@|\(at\)|\[at\])\s*\S+\.\w+|(?:\d[\s-]?){7,}"
    r"|\b[\w-]+\.(?:se|nu|com|net|org|info|eu|io|me|app|link)\b"
)
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"))


def comparable(text: str) -> str:
    """`text` as the contact-details filter reads it, so that no spelling of a link slips past."""
    return unicodedata.normalize("NFKC", text).translate(INVISIBLE).casefold()


def contact_details(text: str) -> bool:
    """Whether `text` holds a link, an e-mail address or a telephone number, in any spelling."""
    return bool(CONTACT_DETAILS.search(comparable(text)))
