"""Every error answers the one envelope: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import pytest
from django.test import Client

from niryat.accounts.tests.factories import member
from niryat.api.api import APP_APIS
from niryat.api.errors import field_name
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
    assert [item["field"] for item in error["fields"]] == ["name"]  # not the view's "payload.name"


@pytest.mark.parametrize("location, name", [
    (("query", "page"), "page"),
    (("body", "payload", "name"), "name"),
    (("body", "payload", "contacts", 0, "mobile"), "contacts.0.mobile"),
    (("body", "payload"), "request"),  # no body at all
    (("file", "file"), "file"),
    ((), "request"),
])
def test_field_names_are_what_the_client_sends(location: tuple[object, ...], name: str) -> None:
    assert field_name(location) == name


def test_a_missing_body_is_about_the_request(client: Client) -> None:
    error = assert_error(client.post(f"{API}/tokens", "", content_type="application/json"), 422, "invalid")
    assert [item["field"] for item in error["fields"]] == ["request"]


def test_every_operation_takes_its_whole_body_as_one_schema() -> None:
    """What ``field_name`` counts on: a body's location is (body, parameter, field…)."""
    for _prefix, module in APP_APIS:
        for path, view in module.router.path_operations.items():
            for operation in view.operations:
                for model in operation.models:
                    if model.__ninja_param_source__ == "body":
                        assert model.__read_from_single_attr__, (module.__name__, path)


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
