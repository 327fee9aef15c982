"""Text encrypted at rest: a model field whose value the database (and so every backup) holds only as
a Fernet token (AES-128-CBC with an HMAC-SHA256, from the `cryptography` library).

The keys come from the environment or a key file, never from the database (`LOFTE_FIELD_KEY`,
settings.py): the first key encrypts, every key decrypts, so a key is rotated by putting a new one
first, running `lofte rotate-field-key`, and then removing the old one (docs/deploy.md).
"""

from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

# Every Fernet token starts with its version byte 0x80, which base64 writes as "gAAAAA".
TOKEN_PREFIX = "gAAAAA"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "LOFTE_FIELD_KEY: each key must be 32 url-safe base64-encoded bytes "
            "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.LOFTE_FIELD_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "an encrypted field cannot be read with the keys in LOFTE_FIELD_KEY: was a key removed before "
            "`lofte rotate-field-key` had run, or is this another installation's database?"
        ) from None


class EncryptedTextField(models.TextField):
    """A TextField stored encrypted. The empty text stays empty; a value that is not a token yet (a row
    written before the field was encrypted) reads as it is and is encrypted when saved again. It cannot
    be searched or filtered on by its text."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value or not value.startswith(TOKEN_PREFIX):
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> str:
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)
