"""Text as people read it."""

import unicodedata

# Swedish alphabetical order puts å, ä and ö after z (and reads æ as ä, ø as ö, ü as y): they become
# characters of the private use area, which sort after every letter and survive normalisation.
_SWEDISH_LAST = str.maketrans({"å": "\ue000", "ä": "\ue001", "æ": "\ue001", "ö": "\ue002", "ø": "\ue002", "ü": "y"})


def alphabetical(text: str) -> str:
    """A sort key that orders names as a Swedish reader expects: case ignored, é as e, å ä ö last."""
    swedish = text.casefold().translate(_SWEDISH_LAST)
    return "".join(c for c in unicodedata.normalize("NFKD", swedish) if not unicodedata.combining(c))
