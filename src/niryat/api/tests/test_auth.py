"""Authentication of the API: session (with CSRF for unsafe methods) or Bearer token."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from niryat.accounts import services
from niryat.accounts.models import ApiToken
from niryat.accounts.tests.factories import UserFactory, member
from niryat.api.tests.helpers import API, assert_error, session_client
from niryat.demo.loader import DEMO_DOMAIN, demo_load

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_session_authenticates() -> None:
    user = member()
    response = session_client(user).get(f"{API}/me")
    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_token_authenticates_without_a_session() -> None:
    user = member()
    issued = services.api_token_create(actor=user, name="cli")
    response = Client().get(f"{API}/me", headers=bearer(issued.secret))
    assert response.status_code == 200
    assert response.json()["email"] == user.email


@pytest.mark.parametrize("path", ["/me", "/organisations", "/programmes", "/jobs", "/tokens", "/reference/states"])
def test_anonymous_gets_401_in_the_envelope(path: str) -> None:
    response = Client().get(f"{API}{path}")
    assert_error(response, 401, "unauthorized")
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("header", ["Bearer nyt_not-a-token", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz"])
def test_a_bad_authorization_header_is_401(header: str) -> None:
    services.api_token_create(actor=UserFactory(), name="someone else's")
    assert_error(Client().get(f"{API}/me", headers={"Authorization": header}), 401, "unauthorized")


def test_a_revoked_token_is_refused() -> None:
    user = member()
    issued = services.api_token_create(actor=user, name="cli")
    client = Client(headers=bearer(issued.secret))
    assert client.get(f"{API}/me").status_code == 200
    services.api_token_revoke(actor=user, token=issued.token)
    assert_error(client.get(f"{API}/me"), 401, "unauthorized")


def test_a_deactivated_owner_is_refused() -> None:
    user = member()
    issued = services.api_token_create(actor=user, name="cli")
    services.user_update(actor=None, user=user, is_active=False)
    assert_error(Client().get(f"{API}/me", headers=bearer(issued.secret)), 401, "unauthorized")


def test_demo_users_authenticate_only_in_demo_mode(settings: Any) -> None:
    demo_load()
    from niryat.accounts.models import User

    office = User.objects.get(email=f"office@{DEMO_DOMAIN}")
    issued = services.api_token_create(actor=office, name="demo")
    settings.DEMO_MODE = True
    assert Client().get(f"{API}/me", headers=bearer(issued.secret)).status_code == 200
    assert session_client(office).get(f"{API}/me").status_code == 200
    settings.DEMO_MODE = False
    assert_error(Client().get(f"{API}/me", headers=bearer(issued.secret)), 401, "unauthorized")
    assert_error(session_client(office).get(f"{API}/me"), 401, "unauthorized")


def test_session_post_without_csrf_token_is_forbidden() -> None:
    user = member()
    client = session_client(user, enforce_csrf=True)
    response = client.post(f"{API}/tokens", {"name": "x"}, content_type="application/json")
    assert_error(response, 403, "forbidden")
    assert not ApiToken.objects.filter(user=user).exists()


def test_session_post_with_csrf_token_succeeds() -> None:
    user = member()
    client = session_client(user, enforce_csrf=True)
    client.get(f"{API}/docs")  # the docs page sets the CSRF cookie, as any page does
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"{API}/tokens", {"name": "x"}, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201, response.content
    assert ApiToken.objects.filter(user=user).count() == 1


def test_session_get_needs_no_csrf_token() -> None:
    client = session_client(member(), enforce_csrf=True)
    assert client.get(f"{API}/me").status_code == 200


def test_token_post_needs_no_csrf_token() -> None:
    user = member()
    issued = services.api_token_create(actor=user, name="cli")
    client = Client(enforce_csrf_checks=True, headers=bearer(issued.secret))
    response = client.post(f"{API}/tokens", {"name": "second"}, content_type="application/json")
    assert response.status_code == 201
    assert ApiToken.objects.filter(user=user).count() == 2


def test_anonymous_post_is_401_not_a_csrf_failure() -> None:
    client = Client(enforce_csrf_checks=True)
    assert_error(client.post(f"{API}/tokens", {"name": "x"}, content_type="application/json"), 401, "unauthorized")
