"""A snapshot's figures compressed with LZ4 instead of PostgreSQL's default pglz.

Storing is a fixed part of every snapshot run: each row's JSON (about 20 KB at M) is compressed
when written. pglz took half of that time; LZ4 compresses several times faster, for a slightly
larger row (docs/benchmarks.md). PostgreSQL only (14 and later, built with LZ4); elsewhere, or on
a server without LZ4, nothing changes. Rows already stored keep their compression until rewritten.
"""

from django.db import migrations


def _lz4_column(apps, schema_editor, method: str) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or connection.pg_version < 140000:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
        )
        if cursor.fetchone() is None:  # built without LZ4
            return
        table = apps.get_model("stats", "CoverageSnapshot")._meta.db_table
        cursor.execute(
            f"ALTER TABLE {connection.ops.quote_name(table)} ALTER COLUMN figures SET COMPRESSION {method}"
        )


def forwards(apps, schema_editor) -> None:
    _lz4_column(apps, schema_editor, "lz4")


def backwards(apps, schema_editor) -> None:
    _lz4_column(apps, schema_editor, "pglz")


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0003_refresh_since"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
