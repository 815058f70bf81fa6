"""Drop two pattern-ops (`_like`) indexes of orgs_organization that no query uses.

Django adds a `varchar_pattern_ops` copy of every indexed CharField on PostgreSQL, for
`LIKE 'prefix%'` (`startswith`). Every write pays for them (the registry import's COPY
of 100k rows: issue 15), no read does:

- `contact_phone_hash` is a keyed hash: it is only ever compared whole (and no code
  filters organizations on it at all today); a prefix of a hash means nothing. Its plain
  btree index stays for exact lookups (`KeyedHashField`).
- `name`: no code filters organizations with `name__startswith`; the name searches are
  `name__icontains` (`UPPER(name) LIKE '%…%'`, served by the trigram index of 0013) and
  exact names (`name = …`, the plain btree, and the filed orgs' unique (name, region)).
  The plain btree on `name` stays.

`uscc`'s `_like` index stays: `orgs.selectors.search_organizations` matches code prefixes
(`uscc__startswith`). PostgreSQL only (other databases never had these indexes); the
reverse creates them as Django did. A later AlterField of these columns may create
them again (Django's schema editor rebuilds `_like` indexes): drop them again then.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

INDEXES = (
    ("orgs_organization_contact_phone_hash_2cf4ac4e_like", "contact_phone_hash"),
    ("orgs_organization_name_44481dc2_like", "name"),
)


def drop(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for index, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')


def create(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for index, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{index}" ON "orgs_organization" ("{column}" varchar_pattern_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [("orgs", "0015_recorded_by")]

    operations = [migrations.RunPython(drop, create)]
