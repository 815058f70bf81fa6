"""Points ledger entries, appraisal results and follow-ups keep their recorder as every recording model
does (accounts.recorded_by.RecordedBy). Ledger entries: actor → recorded_by, created_at → recorded_at
(PostgreSQL renames the columns in place, and the (volunteer, time) index follows its column: only the
migration state learns the new field name). Existing rows keep their user; the system actor's name is
empty for them."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


def system_field():
    return models.CharField(blank=True, max_length=50, verbose_name="recorded by (system)")


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("events", "0006_event_list_order_indexes"),
    ]

    operations = [
        migrations.RenameField(model_name="pointentry", old_name="actor", new_name="recorded_by"),
        migrations.RenameField(model_name="pointentry", old_name="created_at", new_name="recorded_at"),
        migrations.AlterModelOptions(
            name="pointentry",
            options={
                "ordering": ["-recorded_at", "-id"],
                "verbose_name": "points ledger entry",
                "verbose_name_plural": "points ledger",
            },
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="pointentry", name="events_points_vol_time_idx"),
                migrations.AddIndex(
                    model_name="pointentry",
                    index=models.Index(fields=["volunteer", "recorded_at"], name="events_points_vol_time_idx"),
                ),
            ],
        ),
        migrations.AddField(model_name="pointentry", name="recorded_by_system", field=system_field()),
        migrations.AddField(model_name="appraisalresult", name="recorded_by_system", field=system_field()),
        migrations.AddField(model_name="appraisalfollowup", name="recorded_by_system", field=system_field()),
    ]
