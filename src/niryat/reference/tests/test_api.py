"""The reference API: public lists for any signed-in caller, searchable and paginated."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from niryat.accounts.tests.factories import UserFactory
from niryat.reference.models import District, HsCode, Sector, State

pytestmark = pytest.mark.django_db

API = "/api/v1/reference"


@pytest.fixture
def client() -> Client:
    client = Client()
    client.force_login(UserFactory())
    return client


def items(client: Client, path: str) -> list[dict[str, Any]]:
    response = client.get(f"{API}{path}")
    assert response.status_code == 200, response.content
    return list(response.json()["items"])


def test_anonymous_is_401() -> None:
    for path in ("/states", "/districts", "/sectors", "/hs-codes", "/countries"):
        response = Client().get(f"{API}{path}")
        assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"


def test_states(client: Client) -> None:
    body = client.get(f"{API}/states?page_size=100").json()
    assert body["count"] == State.objects.count() >= 36
    up = next(s for s in body["items"] if s["lgd_code"] == 9)
    assert up["name"] == "Uttar Pradesh" and up["kind"] == "state" and up["name_hi"]


def test_districts_of_a_state_and_search(client: Client) -> None:
    up = client.get(f"{API}/districts?state=9&page_size=100").json()
    assert up["count"] == District.objects.filter(state_id=9).count() > 50
    assert all(d["state"] == 9 for d in up["items"])
    assert [d["name"] for d in items(client, "/districts?state=9&q=varan")] == ["Varanasi"]
    assert [d["name"] for d in items(client, "/districts?state=9&q=वाराणसी")] == ["Varanasi"]
    assert items(client, "/districts?state=24&q=varanasi") == []
    assert client.get(f"{API}/districts?state=uttar").status_code == 422


def test_sectors(client: Client) -> None:
    found = items(client, "/sectors?page_size=100")
    assert len(found) == Sector.objects.count() > 0
    assert {"slug", "name", "name_hi", "hs_chapters"} == set(found[0])


def test_hs_codes_by_code_prefix_description_and_level(client: Client) -> None:
    by_code = items(client, "/hs-codes?q=6109")
    assert by_code[0]["code"] == "6109" and all(c["code"].startswith("6109") for c in by_code)
    assert [c["code"] for c in items(client, "/hs-codes?q=6109.10")] == ["610910"]
    assert {c["level"] for c in items(client, "/hs-codes?q=61&level=4")} == {4}
    words = items(client, "/hs-codes?q=t-shirts&level=6")
    assert words and all("t-shirts" in c["description"].lower() for c in words)
    sub = HsCode.objects.get(code="610910")
    assert items(client, "/hs-codes?q=610910")[0]["parent"] == sub.parent_id == "6109"
    assert client.get(f"{API}/hs-codes?level=3").json()["error"]["fields"][0]["field"] == "level"


def test_countries_by_name_or_iso_code(client: Client) -> None:
    assert [c["iso3"] for c in items(client, "/countries?q=ind")] == ["IOT", "IND", "IDN"]
    by_iso2 = items(client, "/countries?q=in")
    assert "IN" in {c["iso2"] for c in by_iso2}
    assert [c["name"] for c in items(client, "/countries?q=are")] != []
    assert "AE" in {c["iso2"] for c in items(client, "/countries?q=ARE")}  # ISO 3166 alpha-3
    india = next(c for c in by_iso2 if c["iso2"] == "IN")
    assert india == {"iso2": "IN", "iso3": "IND", "numeric": "356", "name": "India"}


def test_list_query_budget(client: Client, django_assert_max_num_queries: Any) -> None:
    for path in ("/states", "/districts", "/sectors", "/hs-codes", "/countries"):
        # Session: read, user, save (3 with its savepoint); the list: count and one page.
        with django_assert_max_num_queries(7):
            assert len(items(client, f"{path}?page_size=100")) > 0
