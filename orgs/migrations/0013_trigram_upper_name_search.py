"""Trigram indexes that Django's `icontains` can use: on `UPPER("column"::text)`.

On PostgreSQL Django writes `name__icontains=term` as `UPPER("name"::text) LIKE UPPER('%term%')`,
an expression the plain-column indexes of 0011 do not match: every search scanned the table (the
admin's organization search at M: 74 ms, a sequential scan of 59,982 rows). These indexes are on
that expression, so the admin searches, the API `?search=`, the directory and the autocomplete
boxes read the index instead (the same search: 7 ms). They replace 0011's plain-column indexes,
which no query used, and add the member name search (200k rows at M, 3M at L).

PostgreSQL only (every step is a no-op elsewhere); database objects only, like 0011's.
"""

from django.db import migrations

# (table, column) searched with icontains.
UPPER_TRIGRAM_COLUMNS = [
    ("orgs_organization", "name"),
    ("orgs_organization", "short_name"),
    ("orgs_region", "name"),
    ("branches_partyorganization", "name"),
    ("members_member", "name"),
]
# 0011's indexes on the bare columns.
PLAIN_TRIGRAM_COLUMNS = UPPER_TRIGRAM_COLUMNS[:4]


def _upper_index(table: str, column: str) -> str:
    return f"{table}_{column}_upper_trgm"


def _plain_index(table: str, column: str) -> str:
    return f"{table}_{column}_trgm"


def _create_upper(schema_editor, table, column):
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{_upper_index(table, column)}" ON "{table}" '
        f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
    )


def _create_plain(schema_editor, table, column):
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{_plain_index(table, column)}" ON "{table}" USING gin ("{column}" gin_trgm_ops)'
    )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in UPPER_TRIGRAM_COLUMNS:
        _create_upper(schema_editor, table, column)
    for table, column in PLAIN_TRIGRAM_COLUMNS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{_plain_index(table, column)}"')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in PLAIN_TRIGRAM_COLUMNS:
        _create_plain(schema_editor, table, column)
    for table, column in UPPER_TRIGRAM_COLUMNS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{_upper_index(table, column)}"')


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0012_encrypt_contact_phone"),
        ("branches", "0007_party_import_jobs"),
        ("members", "0008_member_import_jobs"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
