from django.db import migrations

from niryat.reference.loaders import load_in_migration


class Migration(migrations.Migration):
    """Reference tables are filled on migrate; `niryat reference load` refreshes them."""

    dependencies = [("reference", "0002_odopproduct")]

    operations = [migrations.RunPython(load_in_migration, migrations.RunPython.noop)]
