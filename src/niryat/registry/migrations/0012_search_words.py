"""The list's word search (ADR 0009): the words of each enterprise's names, kept in
``search_words`` (a tsvector with a GIN index on PostgreSQL), in the covering indexes instead of
the name key, and a covering index for a size class in name order.

The words are worked out by the registry's own ``search_words`` (the rule as it is now), an
enterprise's followed by those of the duplicates merged into it, as every later write keeps them.
"""

from typing import Any

from django.db import migrations, models

import niryat.core.words
from niryat.core.schema import RunSQLOnPostgreSQL

BATCH = 2000


def fill_words(apps: Any, schema_editor: Any) -> None:
    from niryat.registry.services import NAME_FIELDS as names
    from niryat.registry.services import search_words

    Enterprise = apps.get_model("registry", "Enterprise")

    def words_of(enterprise: Any) -> str:
        return search_words({name: getattr(enterprise, name) for name in names})

    own: dict[int, str] = {}  # of the merged duplicates
    children: dict[int, list[int]] = {}
    changed = []
    for enterprise in Enterprise.objects.only("id", "merged_into_id", *names).order_by("id").iterator(BATCH):
        enterprise.search_words = words_of(enterprise)
        if enterprise.merged_into_id:
            own[enterprise.pk] = enterprise.search_words
            children.setdefault(enterprise.merged_into_id, []).append(enterprise.pk)
        changed.append(enterprise)
        if len(changed) == BATCH:
            Enterprise.objects.bulk_update(changed, ["search_words"])
            changed = []
    Enterprise.objects.bulk_update(changed, ["search_words"])
    for enterprise in Enterprise.objects.filter(pk__in=children.keys() - own.keys()).only("id", *names):
        own[enterprise.pk] = words_of(enterprise)

    def with_merged(pk: int) -> str:  # as merged_search keeps them: a merged one's own merges too
        return " ".join(w for w in (own[pk], *(with_merged(child) for child in children.get(pk, []))) if w)

    kept = [Enterprise(pk=pk, search_words=with_merged(pk)) for pk in children]
    Enterprise.objects.bulk_update(kept, ["search_words"], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('reference', '0006_reference_version'),
        ('registry', '0011_import_batch_message_translations'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='enterprise',
            name='enterprise_sector_list',
        ),
        migrations.RemoveIndex(
            model_name='enterprise',
            name='enterprise_steward_list',
        ),
        migrations.AddField(
            model_name='enterprise',
            name='search_words',
            field=niryat.core.words.WordsField(blank=True, default=''),
        ),
        migrations.RunPython(fill_words, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='enterprise',
            index=models.Index(fields=['steward', 'name', 'id'], include=('merged_into', 'size_class', 'search_words', 'search_text'), name='enterprise_steward_list'),
        ),
        migrations.AddIndex(
            model_name='enterprise',
            index=models.Index(fields=['size_class', 'name', 'id'], include=('steward', 'merged_into', 'search_words'), name='enterprise_size_list'),
        ),
        migrations.AddIndex(
            model_name='enterprise',
            index=models.Index(fields=['sector', 'steward'], include=('merged_into', 'name', 'id', 'search_words', 'search_text'), name='enterprise_sector_list'),
        ),
        RunSQLOnPostgreSQL(
            "CREATE INDEX enterprise_words ON registry_enterprise USING gin (search_words)",
            "DROP INDEX enterprise_words",
        ),
        # The words' frequencies, which the planner needs to read a word the right way (VACUUM,
        # which an index-only read also needs, cannot run in the migration's transaction).
        RunSQLOnPostgreSQL("ANALYZE registry_enterprise", migrations.RunSQL.noop),
    ]
