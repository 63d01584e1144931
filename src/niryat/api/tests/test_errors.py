"""Every error answers the one envelope: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import pytest
from django.test import Client

from niryat.accounts.tests.factories import member
from niryat.api.tests.helpers import API, assert_error, session_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return session_client(member())


def test_401(client: Client) -> None:
    assert_error(Client().get(f"{API}/organisations"), 401, "unauthorized")


@pytest.mark.parametrize(
    "path",
    [
        "/organisations/no-such-org",
        "/programmes/no-such",
        "/jobs/not-a-uuid",
        "/no/such/endpoint",
        "/tokens/999/revoke",
    ],
)
def test_404(client: Client, path: str) -> None:
    method = client.post if path.endswith("revoke") else client.get
    assert_error(method(f"{API}{path}"), 404, "not_found")


def test_unknown_path_is_404_even_when_anonymous() -> None:
    assert_error(Client().delete(f"{API}/nothing/here"), 404, "not_found")


def test_422_names_the_fields(client: Client) -> None:
    error = assert_error(client.get(f"{API}/organisations?page=0&kind=spaceship"), 422, "invalid")
    fields = {item["field"]: item["message"] for item in error["fields"]}
    assert set(fields) == {"page", "kind"}
    assert all(fields.values())


def test_422_for_a_body(client: Client) -> None:
    error = assert_error(client.post(f"{API}/tokens", {"name": ""}, content_type="application/json"), 422, "invalid")
    assert [item["field"] for item in error["fields"]] == ["payload.name"]


def test_400_for_malformed_json_is_invalid(client: Client) -> None:
    response = client.post(f"{API}/tokens", "{not json", content_type="application/json")
    assert response.status_code in {400, 422}
    assert_error(response, response.status_code, "invalid")


def test_unexpected_errors_answer_500_without_details(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(actor: object) -> frozenset[str]:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("niryat.accounts.api.capabilities", explode)
    response = client.get(f"{API}/me")
    error = assert_error(response, 500, "server_error")
    assert "secret internals" not in response.content.decode()
    assert error["fields"] == []


def test_405_uses_the_envelope(client: Client) -> None:
    response = client.put(f"{API}/me")
    error = assert_error(response, 405, "invalid")
    assert error["message"] == "Method not allowed."
    assert response["Allow"] == "GET"
