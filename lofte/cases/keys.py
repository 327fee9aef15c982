"""Rotating the key that encrypts case notes (lofte.core.encrypted)."""

from django.db import connection, transaction

from lofte.core.encrypted import TOKEN_PREFIX, fernet

from .models import CaseEvent


def rotate_field_key() -> int:
    """Encrypt every stored note again with the first key of LOFTE_FIELD_KEY (decrypting with any of
    them), in one transaction; return how many notes were encrypted again."""
    table = CaseEvent._meta.db_table
    keys = fernet()
    done = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT id, note FROM {table} WHERE note <> ''")
        for pk, stored in cursor.fetchall():
            token = keys.rotate(stored.encode()) if stored.startswith(TOKEN_PREFIX) else keys.encrypt(stored.encode())
            cursor.execute(f"UPDATE {table} SET note = %s WHERE id = %s", [token.decode(), pk])
            done += 1
    return done
