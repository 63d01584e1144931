from typing import Any

from django.db import migrations

from niryat.core.db import append_only_trigger_sql

TABLE = "audit_auditevent"


def forward(apps: Any, schema_editor: Any) -> None:
    for statement in append_only_trigger_sql(schema_editor.connection.vendor, TABLE)[0]:
        schema_editor.execute(statement)


def backward(apps: Any, schema_editor: Any) -> None:
    for statement in append_only_trigger_sql(schema_editor.connection.vendor, TABLE)[1]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    """The database itself refuses UPDATE and DELETE on the audit trail."""

    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
