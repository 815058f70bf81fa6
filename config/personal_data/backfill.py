"""Encrypting a column that held clear text, for data migrations (and back, for their reverse).

Works on raw rows (the historical model would try to decrypt the clear text), in batches, and
is idempotent: a value that already decrypts is left alone, so a re-run after a failure or a
partly encrypted table is safe. The same SQL runs on SQLite and PostgreSQL.
"""

from cryptography.fernet import InvalidToken

from config.personal_data import crypto
from config.personal_data.phones import phone_hash

BATCH = 1000


def _is_token(value: str) -> bool:
    try:
        crypto.decrypt(value)
    except (InvalidToken, ValueError, TypeError):
        return False
    return True


def _rows(connection, table: str, column: str):
    quote = connection.ops.quote_name
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, {quote(column)} FROM {quote(table)} "  # noqa: S608  (quoted names)
                f"WHERE id > %s AND {quote(column)} <> '' ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            batch = cursor.fetchall()
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def encrypt_phone_column(connection, *, table: str, column: str, hash_column: str) -> None:
    """Clear phones → ciphertext, with their lookup hash."""
    quote = connection.ops.quote_name
    sql = f"UPDATE {quote(table)} SET {quote(column)} = %s, {quote(hash_column)} = %s WHERE id = %s"  # noqa: S608
    for batch in _rows(connection, table, column):
        updates = [
            (crypto.encrypt(value), phone_hash(value), pk)
            for pk, value in batch
            if value and not _is_token(value)
        ]
        if updates:
            with connection.cursor() as cursor:
                cursor.executemany(sql, updates)


def decrypt_phone_column(connection, *, table: str, column: str, hash_column: str) -> None:
    """Ciphertext → clear phones (the reverse migration; the hash column is dropped after it)."""
    quote = connection.ops.quote_name
    sql = f"UPDATE {quote(table)} SET {quote(column)} = %s, {quote(hash_column)} = '' WHERE id = %s"  # noqa: S608
    for batch in _rows(connection, table, column):
        updates = [(crypto.decrypt(value), pk) for pk, value in batch if value and _is_token(value)]
        if updates:
            with connection.cursor() as cursor:
                cursor.executemany(sql, updates)
