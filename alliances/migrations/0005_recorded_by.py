"""Program progress entries and monthly grid service records keep their recorder as every recording model
does (accounts.recorded_by.RecordedBy): the system actor's name next to the user. Existing rows keep
their user; the new column is empty for them."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


def system_field():
    return models.CharField(blank=True, max_length=50, verbose_name="recorded by (system)")


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("alliances", "0004_merge_20261205_1213"),
    ]

    operations = [
        migrations.AddField(model_name="programprogress", name="recorded_by_system", field=system_field()),
        migrations.AddField(model_name="gridservicerecord", name="recorded_by_system", field=system_field()),
    ]
