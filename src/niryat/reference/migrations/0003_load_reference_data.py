from typing import Any

from django.db import migrations

from niryat.reference.loaders import load_all


def load(apps: Any, schema_editor: Any) -> None:
    load_all(apps.get_model)


class Migration(migrations.Migration):
    """Reference tables are filled on migrate; `niryat reference load` refreshes them."""

    dependencies = [("reference", "0002_odopproduct")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
