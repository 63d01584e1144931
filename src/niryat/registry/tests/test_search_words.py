"""The words kept for the list's word search (ADR 0009): stored, found, filled in by the migration."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from niryat.accounts.models import Organisation
from niryat.accounts.tests.factories import UserFactory
from niryat.registry.duplicates import enterprise_merge
from niryat.registry.models import Enterprise
from niryat.registry.tests.helpers import VARANASI, register

pytestmark = pytest.mark.django_db


def found(*spellings: tuple[str, ...]) -> set[str]:
    return set(Enterprise.objects.filter(search_words__word_prefixes=list(spellings)).values_list("name", flat=True))


def test_words_are_stored_and_read_back_as_words(actor: Any, steward: Organisation) -> None:
    enterprise = register(actor, steward, name="Banarasi Silk Udyog", district_lgd_code=str(VARANASI))
    Enterprise.objects.filter(pk=enterprise.pk).update(search_words="udyog silk banarasi silk 12")
    stored = Enterprise.objects.get(pk=enterprise.pk).search_words.split()
    assert set(stored) == {"12", "banarasi", "silk", "udyog"}  # PostgreSQL keeps each word once, sorted


def test_every_word_must_start_one_of_the_words(actor: Any, steward: Organisation) -> None:
    register(actor, steward, name="Banarasi Silk Udyog", district_lgd_code=str(VARANASI))
    register(actor, steward, name="Silkworm Traders", district_lgd_code=str(VARANASI))
    assert found(("silk",)) == {"Banarasi Silk Udyog", "Silkworm Traders"}
    assert found(("silk",), ("udy", "udi")) == {"Banarasi Silk Udyog"}
    assert found(("ilk",)) == set()
    assert found(("tradersx",)) == set()


def test_only_normalised_words_are_taken(actor: Any, steward: Organisation) -> None:
    for bad in ([("Silk",)], [("silk%",)], [("",)], [], [("silk' | x",)]):
        with pytest.raises(ValueError, match="normalised words"):
            list(Enterprise.objects.filter(search_words__word_prefixes=bad))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_postgresql_has_a_gin_index_on_the_words_and_statistics_of_them(actor: Any, steward: Organisation) -> None:
    """The index answers a rare word; ANALYZE's most common words tell the planner a common one
    (the plans at a million enterprises: docs/benchmarks.md)."""
    for n in range(30):
        register(actor, steward, name=f"Ganesh Udyog {n}" if n % 3 else f"Kohinoor Traders {n}",
                 district_lgd_code=str(VARANASI))
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'enterprise_words'")
        (definition,) = cursor.fetchone()
        cursor.execute("ANALYZE registry_enterprise")
        cursor.execute("SELECT most_common_elems::text::text[] FROM pg_stats "
                       "WHERE tablename = 'registry_enterprise' AND attname = 'search_words'")
        (common,) = cursor.fetchone()
    assert "USING gin (search_words)" in definition
    assert {"ganes", "udyog", "kohinur", "traders"} <= set(common)


def test_the_migration_fills_in_the_words_merged_ones_included(actor: Any, steward: Organisation) -> None:
    migration = import_module("niryat.registry.migrations.0012_search_words")
    silk = register(actor, steward, name="Banarasi Silk Udyog", trade_name="Kashi Sarees",
                    district_lgd_code=str(VARANASI))
    ganesh = register(actor, steward, name="Ganesh Handicrafts", name_hi="गणेश हस्तशिल्प",
                      district_lgd_code=str(VARANASI))
    brass = register(actor, steward, name="Moradabad Brass Works", district_lgd_code=str(VARANASI))
    admin = UserFactory(is_superuser=True)
    enterprise_merge(actor=admin, keep=ganesh, merge=brass)
    enterprise_merge(actor=admin, keep=silk, merge=ganesh)  # a chain: brass -> ganesh -> silk
    expected = {e.pk: set(e.search_words.split()) for e in Enterprise.objects.all()}
    Enterprise.objects.update(search_words="")
    migration.fill_words(apps, None)
    assert {e.pk: set(e.search_words.split()) for e in Enterprise.objects.all()} == expected
    assert {"banarasi", "kasi", "saris", "ganes", "hastasilp", "moradabad", "bras"} <= expected[silk.pk]


def test_after_a_merge_both_mobiles_find_the_enterprise_kept(actor: Any, steward: Organisation) -> None:
    from niryat.registry.selectors import EnterpriseFilter, enterprise_list

    keep = register(actor, steward, name="Ganesh Handicrafts", mobile="9876500011", district_lgd_code=str(VARANASI))
    merge = register(actor, steward, name="Ganesh Handicraft", mobile="9876500022", district_lgd_code=str(VARANASI))
    enterprise_merge(actor=UserFactory(is_superuser=True), keep=keep, merge=merge)
    for mobile in ("9876500011", "9876500022"):
        assert list(enterprise_list(actor=actor, filters=EnterpriseFilter(q=mobile))) == [keep], mobile


def test_the_migration_gives_kept_enterprises_their_own_mobiles_back(actor: Any, steward: Organisation) -> None:
    from niryat.registry.selectors import EnterpriseFilter, enterprise_list

    migration = import_module("niryat.registry.migrations.0013_kept_enterprises_mobiles")
    keep = register(actor, steward, name="Ganesh Handicrafts", mobile="9876500011", district_lgd_code=str(VARANASI))
    merge = register(actor, steward, name="Ganesh Handicraft", mobile="9876500022", district_lgd_code=str(VARANASI))
    enterprise_merge(actor=UserFactory(is_superuser=True), keep=keep, merge=merge)
    made = Enterprise.objects.get(pk=keep.pk).search_text
    Enterprise.objects.filter(pk=keep.pk).update(search_text=made.replace("+919876500011", ""))  # as before
    migration.rebuild(apps, None)
    # the same words (the moved contact's mobile may come twice: the kept one has it now)
    assert set(Enterprise.objects.get(pk=keep.pk).search_text.split()) == set(made.split())
    assert list(enterprise_list(actor=actor, filters=EnterpriseFilter(q="9876500011"))) == [keep]
