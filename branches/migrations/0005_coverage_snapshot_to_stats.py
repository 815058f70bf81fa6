# The coverage snapshot moves to the stats app (stats.0001 takes it over with its table).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('branches', '0004_labels'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='CoverageSnapshot')],
            database_operations=[],
        ),
    ]
