"""Each existing organization's status history from its columns: its registration (registered_on,
else established_on, else unknown) and, when deregistered or revoked, that change on
status_changed_on. Portable SQL (PostgreSQL and SQLite); reversing removes the rows."""

from django.db import migrations


def seed(apps, schema_editor):
    org_table = apps.get_model("orgs", "Organization")._meta.db_table
    table = apps.get_model("orgs", "OrganizationStatusChange")._meta.db_table
    registration = "COALESCE(o.registered_on, o.established_on)"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (organization_id, kind, "on", document, note, recorded_at)
                SELECT o.id, 'registered', {registration}, '', '', CURRENT_TIMESTAMP
                FROM {org_table} o
                WHERE NOT (o.status <> 'active' AND o.status_changed_on IS NOT NULL
                           AND {registration} IS NOT NULL AND o.status_changed_on = {registration})
                UNION ALL
                SELECT o.id, o.status, o.status_changed_on, '', '', CURRENT_TIMESTAMP
                FROM {org_table} o WHERE o.status <> 'active'"""  # noqa: S608 (model tables)
        )
        cursor.execute(
            f"""UPDATE {table} SET until = (
                    SELECT MIN(x."on") FROM {table} x
                    WHERE x.organization_id = {table}.organization_id
                      AND (x."on" > {table}."on" OR ({table}."on" IS NULL AND x."on" IS NOT NULL)))
                WHERE kind = 'registered'"""  # noqa: S608
        )


def unseed(apps, schema_editor):
    apps.get_model("orgs", "OrganizationStatusChange").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0005_organization_status_history")]

    operations = [migrations.RunPython(seed, unseed)]
