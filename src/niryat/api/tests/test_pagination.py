"""Pagination: ?page=N&page_size=M (default 25, at most 100) on every list endpoint."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from niryat.accounts.tests.factories import member
from niryat.api.api import APP_APIS
from niryat.api.tests.helpers import API, PAGE_KEYS, assert_error, assert_page, session_client
from niryat.reference.models import Country, HsCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return session_client(member())


def test_defaults(client: Client) -> None:
    total = Country.objects.count()
    assert total > 100
    items = assert_page(client.get(f"{API}/reference/countries").json(), count=total)
    assert len(items) == 25


def test_page_and_size(client: Client) -> None:
    total = Country.objects.count()
    first = assert_page(client.get(f"{API}/reference/countries?page_size=10").json(), count=total, page_size=10)
    second = assert_page(
        client.get(f"{API}/reference/countries?page=2&page_size=10").json(), count=total, page=2, page_size=10
    )
    assert len(first) == len(second) == 10
    assert {c["iso2"] for c in first}.isdisjoint({c["iso2"] for c in second})
    names = list(Country.objects.order_by("name").values_list("name", flat=True)[10:20])
    assert [c["name"] for c in second] == names


def test_page_size_is_capped_at_100(client: Client) -> None:
    total = Country.objects.count()
    body = client.get(f"{API}/reference/countries?page_size=1000").json()
    assert len(assert_page(body, count=total, page_size=100)) == 100


def test_a_page_past_the_end_is_empty(client: Client) -> None:
    body = client.get(f"{API}/reference/countries?page=99").json()
    assert body["items"] == [] and body["page"] == 99 and body["count"] == Country.objects.count()


def test_counting_stops_past_1000_as_on_the_pages(client: Client) -> None:
    """HS 2022 has over 5,000 entries: the count says "more than 1,000" and the pages go on."""
    total = HsCode.objects.count()
    assert total > 2600
    first = client.get(f"{API}/reference/hs-codes").json()
    assert len(assert_page(first, count=1000, exact=False)) == 25 and first["pages"] == 41
    far = client.get(f"{API}/reference/hs-codes?page=26&page_size=100").json()  # counts to 2,600
    assert len(assert_page(far, count=2600, page=26, page_size=100, exact=False)) == 100
    codes = list(HsCode.objects.order_by("code").values_list("code", flat=True)[2500:2600])
    assert [c["code"] for c in far["items"]] == codes
    last = -(-total // 100)
    assert_page(client.get(f"{API}/reference/hs-codes?page={last}&page_size=100").json(),
                count=total, page=last, page_size=100)


def test_an_empty_list_has_one_page(client: Client) -> None:
    assert_page(client.get(f"{API}/programmes").json(), count=0)


@pytest.mark.parametrize("query", ["page=0", "page=-1", "page=x", "page_size=0", "page_size=abc"])
def test_bad_values_are_422(client: Client, query: str) -> None:
    error = assert_error(client.get(f"{API}/reference/countries?{query}"), 422, "invalid")
    assert error["fields"][0]["field"] == query.split("=")[0]


def paginated_paths() -> list[str]:
    """The OpenAPI path of every GET view decorated with ``@paginate``, from each app's router."""
    return [
        f"{API}{prefix}{path}"
        for prefix, module in APP_APIS
        for path, path_view in module.router.path_operations.items()
        for operation in path_view.operations
        if "GET" in operation.methods and getattr(operation.view_func, "_ninja_is_paginated", False)
    ]


def test_every_list_endpoint_takes_page_and_page_size() -> None:
    schema = Client().get(f"{API}/openapi.json").json()
    lists = paginated_paths()
    assert len(lists) >= 10
    for path in lists:
        # OpenAPI writes path converters plainly: {int:enterprise_id} is {enterprise_id}.
        operation = schema["paths"][re.sub(r"\{\w+:(\w+)\}", r"{\1}", path)]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert {"page", "page_size"} <= names, path
        response = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        component = schema["components"]["schemas"][response.rsplit("/", 1)[-1]]
        assert set(component["properties"]) == PAGE_KEYS, path


def test_no_endpoint_answers_a_bare_list() -> None:
    """A list view without ``@paginate`` would answer a JSON array: every list is paginated."""
    schema = Client().get(f"{API}/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                body = response.get("content", {}).get("application/json", {}).get("schema", {})
                assert body.get("type") != "array", (method, path, status)
