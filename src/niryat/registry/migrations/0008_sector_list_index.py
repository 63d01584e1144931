"""A covering index for the enterprise list filtered by sector (ADR 0007).

On PostgreSQL the keys query of a sector's list, searched or not, reads this index alone
instead of every row of the table. SQLite has no INCLUDE: there it is a (sector, steward) index.
Building it on a million enterprises takes about 2 s.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('reference', '0006_reference_version'),
        ('registry', '0007_reference_keys_without_constraints'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='enterprise',
            index=models.Index(fields=['sector', 'steward'], include=('merged_into', 'name', 'id', 'name_key', 'search_text'), name='enterprise_sector_list'),
        ),
    ]
