"""A merge left the kept enterprise's own mobile numbers out of its search text (the merged one's
were kept): searching such a number did not find it. Rebuild the search text of every
enterprise that kept a merge, as `enterprise_merge` now makes it: its own fields and contacts'
mobiles, followed by the search text of the duplicates merged into it (those first, for chains).
"""

from typing import Any

from django.db import migrations

FIELDS = ("name", "name_hi", "trade_name", "trade_name_hi", "udyam_number", "gstin", "pan", "iec",
          "fssai", "name_key")


def rebuild(apps: Any, schema_editor: Any) -> None:
    from niryat.registry.services import search_text

    Enterprise = apps.get_model("registry", "Enterprise")
    Contact = apps.get_model("registry", "Contact")
    children: dict[int, list[int]] = {}
    for pk, kept in Enterprise.objects.filter(merged_into__isnull=False).order_by("pk").values_list(
            "pk", "merged_into_id"):
        children.setdefault(kept, []).append(pk)
    if not children:
        return
    texts = dict(Enterprise.objects.filter(merged_into__isnull=False).values_list("pk", "search_text"))
    done: dict[int, str] = {}

    def rebuilt(pk: int) -> str:
        if pk not in done:
            enterprise = Enterprise.objects.get(pk=pk)
            mobiles = Contact.objects.filter(enterprise_id=pk).exclude(mobile="").order_by("pk").values_list(
                "mobile", flat=True)
            own = search_text({**{name: getattr(enterprise, name) for name in FIELDS}, "mobile": " ".join(mobiles)})
            merged = [rebuilt(child) if child in children else texts[child] for child in children[pk]]
            done[pk] = " ".join(part for part in (own, *merged) if part)
        return done[pk]

    for pk in children:
        Enterprise.objects.filter(pk=pk).update(search_text=rebuilt(pk))


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0012_search_words"),
    ]

    operations = [
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
