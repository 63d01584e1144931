"""OpenAPI schema and the docs page; the docs page loads nothing from outside."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db

EXPECTED_PATHS = {
    "/api/v1/me",
    "/api/v1/organisations",
    "/api/v1/organisations/{slug}",
    "/api/v1/programmes",
    "/api/v1/programmes/{slug}",
    "/api/v1/audit/events",
    "/api/v1/audit/exports",
    "/api/v1/jobs",
    "/api/v1/jobs/{job_id}",
    "/api/v1/jobs/{job_id}/download",
    "/api/v1/tokens",
    "/api/v1/tokens/{token_id}",
    "/api/v1/tokens/{token_id}/revoke",
    "/api/v1/reference/states",
    "/api/v1/reference/districts",
    "/api/v1/reference/sectors",
    "/api/v1/reference/hs-codes",
    "/api/v1/reference/countries",
}


def test_openapi_lists_every_endpoint_and_both_auth_schemes() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) >= EXPECTED_PATHS  # other apps may add theirs
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


def test_docs_page_uses_only_local_assets() -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
    assert "cdn" not in html.lower()
    assert '"validatorUrl": null' in html  # swagger-ui would otherwise call validator.swagger.io
