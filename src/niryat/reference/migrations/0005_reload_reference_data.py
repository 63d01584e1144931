from django.db import migrations

from niryat.reference.loaders import load_in_migration


class Migration(migrations.Migration):
    """Fill the Udyam state codes added by 0004 (the loaders are idempotent upserts)."""

    dependencies = [("reference", "0004_state_udyam_codes")]

    operations = [migrations.RunPython(load_in_migration, migrations.RunPython.noop)]
