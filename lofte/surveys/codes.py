"""Single-use invitation codes: 50 random bits, typed from a letter, stored only as a digest.

A code is derived as HMAC-SHA256(server secret, wave salt + letter number), so that a lost
letter can be printed again without the code ever being stored. The wave salt is 128 random
bits from `secrets`, so without the server's secret key and the salt a code is a uniformly
random 50-bit number: one guess in 10^15 hits any given code.
"""

import hashlib
import hmac
import secrets

from django.conf import settings

# Crockford's base 32: no I, L, O or U, so that letters people confuse are read as one symbol.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10  # 10 symbols x 5 bits = 50 bits
_CONFUSED = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_salt() -> str:
    return secrets.token_hex(16)


def code_for(salt: str, number: int) -> str:
    """The code printed on letter `number` of the wave with `salt`, as "ABCDE-FGHJK"."""
    mac = hmac.new(settings.SECRET_KEY.encode(), f"lofte-survey-code:{salt}:{number}".encode(), hashlib.sha256).digest()
    value = int.from_bytes(mac[:8], "big") >> (64 - 5 * LENGTH)
    symbols = "".join(ALPHABET[(value >> (5 * k)) & 31] for k in reversed(range(LENGTH)))
    return f"{symbols[:5]}-{symbols[5:]}"


def normalise(typed: str) -> str:
    """What a person typed, as the code's canonical symbols (spaces, dashes and case ignored)."""
    text = "".join(ch for ch in typed.upper() if ch.isalnum())
    return text.translate(_CONFUSED)


def digest(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def looks_like_a_code(typed: str) -> bool:
    text = normalise(typed)
    return len(text) == LENGTH and all(ch in ALPHABET for ch in text)
