"""Stage changes, recruitment steps and transfers keep their recorder as every recording model does
(accounts.recorded_by.RecordedBy): actor → recorded_by and, for transfers, created_at → recorded_at
(PostgreSQL renames the columns in place: the users and times stay), and the system actor's name next
to them."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


def system_field():
    return models.CharField(blank=True, max_length=50, verbose_name="recorded by (system)")


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("members", "0010_memberimport_shared_import_job"),
    ]

    operations = [
        migrations.RenameField(model_name="stagechange", old_name="actor", new_name="recorded_by"),
        migrations.AlterField(
            model_name="stagechange",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AddField(model_name="stagechange", name="recorded_by_system", field=system_field()),
        migrations.RenameField(model_name="recruitmentrecord", old_name="actor", new_name="recorded_by"),
        migrations.AddField(model_name="recruitmentrecord", name="recorded_by_system", field=system_field()),
        migrations.RenameField(model_name="transfer", old_name="actor", new_name="recorded_by"),
        migrations.RenameField(model_name="transfer", old_name="created_at", new_name="recorded_at"),
        migrations.AlterField(
            model_name="transfer",
            name="recorded_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="recorded at"),
        ),
        migrations.AddField(model_name="transfer", name="recorded_by_system", field=system_field()),
    ]
