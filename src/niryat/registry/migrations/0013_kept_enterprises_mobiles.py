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
    texts: dict[int, str] = {}  # of the merged duplicates, as stored
    for pk, kept, text in Enterprise.objects.filter(merged_into__isnull=False).order_by("pk").values_list(
            "pk", "merged_into_id", "search_text"):
        children.setdefault(kept, []).append(pk)
        texts[pk] = text
    if not children:
        return
    kept_ones = Enterprise.objects.in_bulk(list(children))
    mobiles: dict[int, list[str]] = {}
    for enterprise_id, mobile in Contact.objects.filter(enterprise_id__in=list(children)).exclude(
            mobile="").order_by("pk").values_list("enterprise_id", "mobile"):
        mobiles.setdefault(enterprise_id, []).append(mobile)
    done: dict[int, str] = {}

    def rebuilt(pk: int) -> str:
        if pk not in done:
            enterprise = kept_ones[pk]
            own = search_text({**{name: getattr(enterprise, name) for name in FIELDS},
                               "mobile": " ".join(mobiles.get(pk, []))})
            merged = [rebuilt(child) if child in children else texts[child] for child in children[pk]]
            done[pk] = " ".join(part for part in (own, *merged) if part)
        return done[pk]

    for enterprise in kept_ones.values():
        enterprise.search_text = rebuilt(enterprise.pk)
    Enterprise.objects.bulk_update(kept_ones.values(), ["search_text"], batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0012_search_words"),
    ]

    operations = [
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
