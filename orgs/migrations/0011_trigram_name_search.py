"""Trigram (pg_trgm) GIN indexes for the name searches (`name ILIKE '%term%'`), Chinese included.

PostgreSQL only: pg_trgm hashes each three-character window of the name (Chinese characters are
letters under the C.UTF-8 and zh_CN collations), so a term of three characters or more is answered
from the index instead of a scan of every row. On SQLite (the quick start) every step is a no-op.
The indexes are not declared on the models (a GinIndex with an opclass cannot exist on SQLite), so
the migration state does not carry them: they are database objects only, like the extension.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# (table, column) searched with ILIKE '%…%' by the directory, the admin and the API.
TRIGRAM_COLUMNS = [
    ("orgs_organization", "name"),
    ("orgs_organization", "short_name"),
    ("orgs_region", "name"),
    ("branches_partyorganization", "name"),
]


def _index(table: str, column: str) -> str:
    return f"{table}_{column}_trgm"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in TRIGRAM_COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{_index(table, column)}" ON "{table}" USING gin ("{column}" gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in TRIGRAM_COLUMNS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{_index(table, column)}"')


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0010_external_keys_members_events_alliances"),
        ("branches", "0006_merge_20261205_1211"),
    ]

    operations = [
        TrigramExtension(),  # a no-op on engines other than PostgreSQL
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
