"""Helpers for API tests: a client that sends a Bearer token, and envelope checks."""

from __future__ import annotations

from typing import Any

from django.test import Client

from niryat.accounts import services
from niryat.accounts.models import User

API = "/api/v1"


def token_client(user: User) -> Client:
    """A client that authenticates every request with a new API token of ``user``."""
    issued = services.api_token_create(actor=user, name="tests")
    return Client(headers={"Authorization": f"Bearer {issued.secret}"})


def session_client(user: User, *, enforce_csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(user)
    return client


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is an error envelope with this status and code; returns the error."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], list)
    return dict(error)


PAGE_KEYS = {"items", "count", "count_exact", "page", "page_size", "pages"}


def assert_page(body: dict[str, Any], *, count: int, page: int = 1, page_size: int = 25,
                exact: bool = True) -> list[Any]:
    """The body is a page of the pagination shape; returns its items. Not ``exact``: there are
    more than ``count`` items, so at least one page more than ``count`` fills."""
    assert set(body) == PAGE_KEYS
    assert (body["count"], body["count_exact"], body["page"], body["page_size"]) == (count, exact, page, page_size)
    assert body["pages"] == max(1, -(-(count if exact else count + 1) // page_size))
    return list(body["items"])
