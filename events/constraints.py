"""A PostgreSQL exclusion constraint that is simply absent elsewhere (the SQLite quick start).

On PostgreSQL the database refuses overlapping bookings of a room; on other engines the
booking service's lock and overlap query are the only guard (DESIGN.md: a PostgreSQL
constraint may harden what also works elsewhere).
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Func


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def _is_postgres(connection) -> bool:
    return connection.vendor == "postgresql"


class PostgresExclusionConstraint(ExclusionConstraint):
    def constraint_sql(self, model, schema_editor):
        return (
            super().constraint_sql(model, schema_editor) if _is_postgres(schema_editor.connection) else None
        )

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if _is_postgres(schema_editor.connection) else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if _is_postgres(schema_editor.connection) else None

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if _is_postgres(connections[using]):
            super().validate(model, instance, exclude=exclude, using=using)
