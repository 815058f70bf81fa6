"""The ledger entry's "who recorded it" columns take the names every recording model shares
(accounts.recorded_by.RecordedBy): actor → recorded_by, actor_system → recorded_by_system.
PostgreSQL renames the columns in place (no rewrite)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("dues", "0001_dues_bases_rolls_ledger")]

    operations = [
        migrations.RenameField(model_name="duesentry", old_name="actor", new_name="recorded_by"),
        migrations.RenameField(model_name="duesentry", old_name="actor_system", new_name="recorded_by_system"),
    ]
