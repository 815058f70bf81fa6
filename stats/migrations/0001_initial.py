# CoverageSnapshot comes from branches (its table is taken over, then renamed), CoverageRefresh is new.

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('branches', '0005_coverage_snapshot_to_stats'),
        ('orgs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CoverageSnapshot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('figures', models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder, verbose_name='figures')),
                        ('computed_at', models.DateTimeField(verbose_name='computed at')),
                        ('duration_ms', models.PositiveIntegerField(verbose_name='computation time (ms)')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='coverage_snapshots', to='orgs.region', verbose_name='region')),
                    ],
                    options={
                        'verbose_name': 'coverage snapshot',
                        'verbose_name_plural': 'coverage snapshots',
                        'ordering': ['region_id', '-date'],
                        'db_table': 'branches_coveragesnapshot',
                        'constraints': [models.UniqueConstraint(fields=('region', 'date'), name='branches_snapshot_one_per_region_date', violation_error_message='This region already has a coverage snapshot for this date.')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='coveragesnapshot', table=None),
        migrations.RemoveConstraint(model_name='coveragesnapshot', name='branches_snapshot_one_per_region_date'),
        migrations.AddConstraint(
            model_name='coveragesnapshot',
            constraint=models.UniqueConstraint(fields=('region', 'date'), name='stats_snapshot_one_per_region_date', violation_error_message='This region already has a coverage snapshot for this date.'),
        ),
    ]
