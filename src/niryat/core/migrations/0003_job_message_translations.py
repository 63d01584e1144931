"""A job's outcome (counts of an import, duplicates found, a refused file) in every language,
as its label already is (ADR 0008)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_job_label_translations'),
    ]

    operations = [
        migrations.AddField(
            model_name='job',
            name='message_translations',
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
