"""Party organization changes keep their recorder as every recording model does
(accounts.recorded_by.RecordedBy): actor → recorded_by (PostgreSQL renames the column in place, the
users stay), and the system actor's name next to it."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


def system_field():
    return models.CharField(blank=True, max_length=50, verbose_name="recorded by (system)")


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("branches", "0008_partyimport_shared_import_job"),
    ]

    operations = [
        migrations.RenameField(model_name="partyorganizationchange", old_name="actor", new_name="recorded_by"),
        migrations.AddField(model_name="partyorganizationchange", name="recorded_by_system", field=system_field()),
    ]
