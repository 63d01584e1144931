"""An enterprise's steward, sector, district and ODOP product stop being database constraints.

ADR 0006: the per-row check of those four foreign keys was nearly half the time PostgreSQL
took to store a million imported enterprises. Django still refuses to delete a referenced
row (PROTECT), and every writer takes the keys from rows it has just checked against.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('reference', '0006_reference_version'),
        ('registry', '0006_name_keys_keep_numbers'),
    ]

    operations = [
        migrations.AlterField(
            model_name='enterprise',
            name='district',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reference.district'),
        ),
        migrations.AlterField(
            model_name='enterprise',
            name='odop_product',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reference.odopproduct'),
        ),
        migrations.AlterField(
            model_name='enterprise',
            name='sector',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reference.sector'),
        ),
        migrations.AlterField(
            model_name='enterprise',
            name='steward',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='enterprises', to='accounts.organisation'),
        ),
    ]
