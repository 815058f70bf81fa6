"""Phones and ID numbers that change-log entries written before the log hid them still hold are
hidden or masked as new entries show them (accounts.audit_scrub; also the `scrub_change_log` command).

Batched and idempotent. No reverse: the clear values are not kept anywhere to put back.
"""

from django.db import migrations

from accounts.audit_scrub import scrub_change_log


def scrub(apps, schema_editor):
    scrub_change_log(apps.get_model("auditlog", "LogEntry"), apps.get_model("contenttypes", "ContentType"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_encrypt_user_phone"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
