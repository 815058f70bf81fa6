# DRF's authtoken app (tokens stored in clear, never expiring) is replaced by django-rest-knox:
# its table goes, so no clear-text token survives on an existing database.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_party_organization"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop),
    ]
