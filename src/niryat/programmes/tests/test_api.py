"""The programmes API: lists and details scoped by the caller, 404 outside."""

from __future__ import annotations

from typing import Any

import pytest

from niryat.accounts.models import OrganisationKind, User
from niryat.accounts.tests.factories import OrganisationFactory, member
from niryat.api.tests.helpers import API, token_client
from niryat.demo.loader import DEMO_DOMAIN, demo_load
from niryat.programmes.tests.factories import ProgrammeFactory, take_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any) -> dict[str, User]:
    settings.DEMO_MODE = True
    demo_load()
    return {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=DEMO_DOMAIN)}


def slugs(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [p["slug"] for p in response.json()["items"]]


def test_each_caller_sees_the_programmes_it_runs_or_joins(demo: dict[str, User]) -> None:
    assert slugs(token_client(demo["office"]).get(f"{API}/programmes")) == ["gujarat-amazon-clusters"]
    assert slugs(token_client(demo["facilitator"]).get(f"{API}/programmes")) == [
        "gujarat-amazon-clusters",
        "startup-india-alibaba",
    ]
    assert slugs(token_client(demo["msme"]).get(f"{API}/programmes")) == ["up-walmart-flipkart-odop"]


def test_list_item_shape_and_search(demo: dict[str, User]) -> None:
    client = token_client(demo["office.up"])
    items = client.get(f"{API}/programmes?q=walmart").json()["items"]
    assert [p["slug"] for p in items] == ["up-walmart-flipkart-odop"]
    item = items[0]
    assert item["office"] == {"slug": "up-epb", "name": "UP Export Promotion Bureau",
                              "name_hi": item["office"]["name_hi"], "kind": "programme_office"}
    assert item["participant_count"] == 4 and item["starts_on"] == "2026-01-15"
    trainer = token_client(demo["trainer"])
    assert slugs(trainer.get(f"{API}/programmes?q=गुजरात")) == ["gujarat-amazon-clusters"]


def test_detail_for_the_office_lists_geography_sectors_and_every_participant(demo: dict[str, User]) -> None:
    body = token_client(demo["office.up"]).get(f"{API}/programmes/up-walmart-flipkart-odop").json()
    assert [s["lgd_code"] for s in body["states"]] == [9]
    assert {d["name"] for d in body["districts"]} >= {"Varanasi", "Agra"} and len(body["districts"]) == 6
    assert all(d["state"] == 9 for d in body["districts"])
    assert {s["slug"] for s in body["sectors"]} == {"textiles-apparel", "handicrafts", "leather", "home-furnishing"}
    assert {(p["organisation"]["slug"], p["role"]) for p in body["participants"]} == {
        ("walmart-flipkart", "marketplace"), ("kaushal-academy", "trainer"),
        ("pragati-trade", "facilitator"), ("kashi-weaves", "msme"),
    }


def test_detail_for_a_participant_lists_only_its_own_participation(demo: dict[str, User]) -> None:
    body = token_client(demo["facilitator"]).get(f"{API}/programmes/gujarat-amazon-clusters").json()
    assert [p["organisation"]["slug"] for p in body["participants"]] == ["setu-exports"]
    assert {c["slug"] for c in body["cluster_cities"]} == {"ahmedabad", "vadodara", "surat", "bharuch", "rajkot"}


@pytest.mark.parametrize("who", ["facilitator", "office", "marketplace"])
def test_another_programme_is_404(demo: dict[str, User], who: str) -> None:
    response = token_client(demo[who]).get(f"{API}/programmes/up-walmart-flipkart-odop")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_programme_list_query_budget(django_assert_max_num_queries: Any) -> None:
    office = OrganisationFactory(kind=OrganisationKind.PROGRAMME_OFFICE)
    user = member(office)
    client = token_client(user)
    for _ in range(30):
        programme = ProgrammeFactory(office=office)
        take_part(programme, OrganisationFactory(kind=OrganisationKind.MSME))
    with django_assert_max_num_queries(5):
        body = client.get(f"{API}/programmes?page_size=100").json()
    assert body["count"] == 30 and all(p["participant_count"] == 1 for p in body["items"])


def test_programme_detail_query_budget(django_assert_max_num_queries: Any) -> None:
    office = OrganisationFactory(kind=OrganisationKind.PROGRAMME_OFFICE)
    client = token_client(member(office))
    programme = ProgrammeFactory(office=office, state_codes=[9], district_codes=[118, 171, 187])
    for _ in range(20):
        take_part(programme, OrganisationFactory(kind=OrganisationKind.MSME))
    with django_assert_max_num_queries(10):
        body = client.get(f"{API}/programmes/{programme.slug}").json()
    assert len(body["participants"]) == 20 and len(body["districts"]) == 3
