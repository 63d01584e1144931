"""Name keys keep doubled digits ("Unit 11" is not "Unit 1"): recompute the keys that change.

Only names with two digits in a row can change. The key is worked out by the registry's own
``name_key`` (the rule as it is now). The search text is left alone: it holds the whole name
as well, so every search that found these enterprises still finds them.
"""

from typing import Any

from django.db import migrations

BATCH = 2000


def recompute(apps: Any, schema_editor: Any) -> None:
    from niryat.india.names import name_key

    Enterprise = apps.get_model("registry", "Enterprise")
    candidates = (Enterprise.objects.filter(name__regex=r"[0-9][0-9]")
                  | Enterprise.objects.filter(name="", name_hi__regex=r"[0-9][0-9]"))
    changed = []
    for enterprise in candidates.only("id", "name", "name_hi", "name_key").order_by("id").iterator(BATCH):
        key = name_key(enterprise.name or enterprise.name_hi)
        if key != enterprise.name_key:
            enterprise.name_key = key
            changed.append(enterprise)
        if len(changed) == BATCH:
            Enterprise.objects.bulk_update(changed, ["name_key"])
            changed = []
    Enterprise.objects.bulk_update(changed, ["name_key"])


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0005_enrolment"),
    ]

    operations = [
        migrations.RunPython(recompute, migrations.RunPython.noop),
    ]
