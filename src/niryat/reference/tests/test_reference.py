"""Reference tables are filled by the migration, are consistent, and reload idempotently."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count
from django.utils import translation

from niryat.reference.loaders import LOADERS, load_all, reference_version_bump
from niryat.reference.models import (
    ClusterCity,
    Country,
    Currency,
    District,
    GstStateCode,
    HsCode,
    OdopProduct,
    Sector,
    State,
)
from niryat.reference.selectors import district_choices, reference_version, sector_choices

pytestmark = pytest.mark.django_db

NAMED_SECTORS = {
    "textiles-apparel", "gems-jewellery", "handicrafts", "herbal-organic",
    "leather", "food-spices", "engineering-goods", "home-furnishing",
}
MODELS = [Country, Currency, GstStateCode, State, District, ClusterCity, Sector, OdopProduct, HsCode]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_counts_after_migration() -> None:
    assert State.objects.count() == 36
    assert State.objects.filter(kind=State.Kind.STATE).count() == 28
    assert State.objects.filter(kind=State.Kind.UT).count() == 8
    assert District.objects.count() >= 780
    assert ClusterCity.objects.count() == 5
    assert Sector.objects.count() >= 8
    assert NAMED_SECTORS <= set(Sector.objects.values_list("slug", flat=True))
    assert Country.objects.filter(iso2="IN").exists()
    assert Currency.objects.get(code="INR").minor_units == 2
    assert Currency.objects.get(code="JPY").minor_units == 0
    assert OdopProduct.objects.exists()


def test_states_and_sectors_have_hindi_names() -> None:
    assert not State.objects.filter(name_hi="").exists()
    assert not Sector.objects.filter(name_hi="").exists()
    assert not ClusterCity.objects.filter(name_hi="").exists()


def test_gujarat_cluster_cities_are_in_gujarat() -> None:
    cities = ClusterCity.objects.select_related("district__state")
    assert {c.slug for c in cities} == {"ahmedabad", "vadodara", "surat", "bharuch", "rajkot"}
    assert {c.district.state.name for c in cities} == {"Gujarat"}


def test_every_district_belongs_to_an_existing_state() -> None:
    state_codes = set(State.objects.values_list("lgd_code", flat=True))
    assert set(District.objects.values_list("state_id", flat=True)) <= state_codes
    # every state and union territory has at least one district
    assert not State.objects.annotate(n=Count("districts")).filter(n=0).exists()


def test_gst_state_codes_include_every_code_in_use() -> None:
    codes = set(GstStateCode.objects.values_list("code", flat=True))
    assert {f"{n:02d}" for n in range(1, 39)} | {"97", "99"} <= codes
    state_gst = set(State.objects.exclude(gst_code="").values_list("gst_code", flat=True))
    assert State.objects.filter(gst_code="").count() == 0
    assert state_gst <= codes
    assert State.objects.get(name="Gujarat").gst_code == "24"


def test_hs_codes_have_three_levels_with_parents() -> None:
    levels = dict(HsCode.objects.values_list("level").annotate(n=Count("code")).order_by())
    assert set(levels) == {2, 4, 6}
    assert levels[2] >= 90 and levels[4] >= 1000 and levels[6] >= 5000
    assert not HsCode.objects.filter(level=2, parent__isnull=False).exists()
    for level in (4, 6):
        children = HsCode.objects.filter(level=level)
        assert not children.filter(parent__isnull=True).exists()
        assert not children.exclude(parent__level=level - 2).exists()
    for code, parent in HsCode.objects.filter(level__gt=2).values_list("code", "parent_id"):
        assert code.startswith(parent)
    assert HsCode.objects.get(code="610910").parent_id == "6109"


def test_odop_products_point_at_known_sectors_and_up_districts() -> None:
    products = OdopProduct.objects.select_related("district__state", "sector")
    assert {p.district.state.name for p in products} == {"Uttar Pradesh"}
    assert all(p.sector is None or p.sector.slug for p in products)


def test_load_all_twice_changes_nothing() -> None:
    before = counts()
    given = load_all(apps.get_model)
    assert set(given) == {name for name, _ in LOADERS}
    assert counts() == before
    assert given["states"] == 36 and given["hs_codes"] == before["HsCode"]
    load_all(apps.get_model)
    assert counts() == before


def test_reference_load_command_reports_counts_and_restores_edited_rows() -> None:
    State.objects.filter(lgd_code=24).update(name="Changed")
    out = io.StringIO()
    call_command("reference_load", stdout=out)
    assert "states: 36" in out.getvalue()
    assert State.objects.get(lgd_code=24).name == "Gujarat"


# choices for forms ----------------------------------------------------------------------------


def district_label(code: int) -> str:
    return dict(district_choices(actor=None))[str(code)]


def test_district_and_sector_choices_in_both_languages() -> None:
    choices = district_choices(actor=None)
    assert len(choices) == District.objects.count()
    assert district_label(187) == "Varanasi, Uttar Pradesh (187)"
    assert ("handicrafts", Sector.objects.get(slug="handicrafts").name) in sector_choices(actor=None)
    with translation.override("hi"):
        assert district_label(187) == "वाराणसी, उत्तर प्रदेश (187)"
        assert dict(sector_choices(actor=None))["handicrafts"] == Sector.objects.get(slug="handicrafts").name_hi


def test_choices_are_built_once_and_read_only_the_version(django_assert_num_queries: Any) -> None:
    district_choices(actor=None)
    with django_assert_num_queries(1):  # the reference version (once per request in a request)
        district_choices(actor=None)


def test_a_reload_by_another_process_is_seen() -> None:
    """Another process (``niryat reference load``) writes in bulk and counts a new version:
    this process's cached choices are not used any more."""
    assert district_label(187).startswith("Varanasi")
    District.objects.filter(lgd_code=187).update(name="Kashi")  # no signal: as another process
    assert district_label(187).startswith("Varanasi")  # same version: the cached list
    reference_version_bump(apps.get_model)
    assert district_label(187) == "Kashi, Uttar Pradesh (187)"
    call_command("reference_load", stdout=io.StringIO())
    assert district_label(187).startswith("Varanasi")


def test_a_change_saved_in_this_process_is_seen() -> None:
    assert district_label(187).startswith("Varanasi")
    before = reference_version()
    state = State.objects.get(lgd_code=9)
    state.name = "UP"
    state.save()
    assert district_label(187) == "Varanasi, UP (187)"
    assert reference_version() == before + 1
