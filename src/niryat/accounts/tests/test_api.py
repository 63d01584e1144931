"""The accounts API: /me, organisations (scoped by the caller) and API tokens."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client

from niryat.accounts import services
from niryat.accounts.models import ApiToken, OrganisationKind, Role, User
from niryat.accounts.tests.factories import OrganisationFactory, UserFactory, member
from niryat.api.tests.helpers import API, token_client
from niryat.audit.models import AuditEvent
from niryat.demo.loader import DEMO_DOMAIN, demo_load

pytestmark = pytest.mark.django_db


def error_code(response: Any) -> str:
    return str(response.json()["error"]["code"])


@pytest.fixture
def demo(settings: Any) -> dict[str, User]:
    settings.DEMO_MODE = True
    demo_load()
    return {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=DEMO_DOMAIN)}


# ---- /me -------------------------------------------------------------------------------------


def test_me_lists_memberships_and_capabilities() -> None:
    office = OrganisationFactory(kind=OrganisationKind.PROGRAMME_OFFICE, slug="office", name="The Office")
    user = member(office, role=Role.ADMIN, full_name="Asha Rao")
    msme = OrganisationFactory(kind=OrganisationKind.MSME, slug="weaver", name="Weaver")
    services.membership_add(actor=None, user=user, organisation=msme, role=Role.MEMBER)
    body = token_client(user).get(f"{API}/me").json()
    assert body["email"] == user.email and body["full_name"] == "Asha Rao"
    assert {(m["organisation"]["slug"], m["organisation"]["kind"], m["role"]) for m in body["memberships"]} == {
        ("office", "programme_office", "admin"),
        ("weaver", "msme", "member"),
    }
    assert body["memberships"][0]["organisation"]["name"] == "The Office"
    assert "audit.view_events" in body["capabilities"] and body["capabilities"] == sorted(body["capabilities"])


def test_me_without_memberships() -> None:
    body = token_client(UserFactory()).get(f"{API}/me").json()
    assert body["memberships"] == [] and body["capabilities"] == []


# ---- organisations ---------------------------------------------------------------------------


def test_organisations_are_scoped_to_what_the_caller_sees(demo: dict[str, User]) -> None:
    client = token_client(demo["facilitator"])
    slugs = {o["slug"] for o in client.get(f"{API}/organisations").json()["items"]}
    # Its own, and the offices of the programmes it takes part in; not fellow participants.
    assert slugs == {"setu-exports", "gujarat-imd", "startup-india"}
    assert client.get(f"{API}/organisations/gujarat-imd").status_code == 200


@pytest.mark.parametrize("slug", ["kashi-weaves", "pragati-trade", "up-epb", "does-not-exist"])
def test_a_facilitator_gets_404_for_organisations_outside_its_programmes(demo: dict[str, User], slug: str) -> None:
    response = token_client(demo["facilitator"]).get(f"{API}/organisations/{slug}")
    assert response.status_code == 404 and error_code(response) == "not_found"


def test_an_office_sees_the_participants_of_its_programmes(demo: dict[str, User]) -> None:
    slugs = {o["slug"] for o in token_client(demo["office"]).get(f"{API}/organisations").json()["items"]}
    assert slugs == {"gujarat-imd", "amazon-india", "kaushal-academy", "setu-exports"}


def test_organisations_filter_by_kind_and_search(demo: dict[str, User]) -> None:
    client = token_client(demo["office"])
    kinds = client.get(f"{API}/organisations?kind=facilitator").json()["items"]
    assert [o["slug"] for o in kinds] == ["setu-exports"]
    found = client.get(f"{API}/organisations?q=amazon").json()["items"]
    assert [o["slug"] for o in found] == ["amazon-india"]
    hindi = client.get(f"{API}/organisations?q=गुजरात").json()["items"]
    assert [o["slug"] for o in hindi] == ["gujarat-imd"]
    assert client.get(f"{API}/organisations?kind=spaceship").status_code == 422


def test_organisation_list_query_budget(django_assert_max_num_queries: Any, demo: dict[str, User]) -> None:
    client = token_client(demo["office"])
    for _ in range(30):
        msme = OrganisationFactory(kind=OrganisationKind.MSME)
        services.membership_add(actor=None, user=demo["office"], organisation=msme)
    with django_assert_max_num_queries(8):
        body = client.get(f"{API}/organisations?page_size=100").json()
    assert body["count"] == 34


# ---- tokens ----------------------------------------------------------------------------------


def test_token_create_returns_the_secret_once_and_stores_only_its_digest() -> None:
    user = member()
    client = token_client(user)
    response = client.post(f"{API}/tokens", {"name": "Feed sync"}, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    secret = body["secret"]
    assert secret.startswith(services.TOKEN_PREFIX) and body["prefix"] == secret[:10]
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == user and token.name == "Feed sync"
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert all(secret not in str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields)
    # Never shown again: neither in the list nor after revoking.
    listing = client.get(f"{API}/tokens").content.decode()
    assert secret not in listing and '"secret"' not in listing
    # It works as a token.
    assert Client(headers={"Authorization": f"Bearer {secret}"}).get(f"{API}/me").json()["email"] == user.email
    revoked = client.post(f"{API}/tokens/{token.pk}/revoke")
    assert secret not in revoked.content.decode()


def test_token_list_shows_only_the_callers_tokens() -> None:
    user, other = member(), member()
    services.api_token_create(actor=other, name="not mine")
    client = token_client(user)
    services.api_token_create(actor=user, name="mine")
    names = [t["name"] for t in client.get(f"{API}/tokens").json()["items"]]
    assert names == ["mine", "tests"]


def test_revoke_by_post_and_by_delete() -> None:
    user = member()
    client = token_client(user)
    one = services.api_token_create(actor=user, name="one")
    two = services.api_token_create(actor=user, name="two")
    response = client.post(f"{API}/tokens/{one.token.pk}/revoke")
    assert response.status_code == 200
    assert response.json()["is_active"] is False and response.json()["revoked_at"]
    assert client.delete(f"{API}/tokens/{two.token.pk}").status_code == 204
    assert not ApiToken.objects.filter(pk__in=[one.token.pk, two.token.pk], revoked_at__isnull=True).exists()
    for issued in (one, two):
        refused = Client(headers={"Authorization": f"Bearer {issued.secret}"}).get(f"{API}/me")
        assert refused.status_code == 401 and error_code(refused) == "unauthorized"
    assert AuditEvent.objects.filter(action="accounts.api_token.revoked").count() == 2


def test_revoking_someone_elses_token_is_404_and_changes_nothing() -> None:
    owner = member()
    issued = services.api_token_create(actor=owner, name="owner's")
    client = token_client(member())
    url = f"{API}/tokens/{issued.token.pk}"
    for response in (client.post(f"{url}/revoke"), client.delete(url)):
        assert response.status_code == 404 and error_code(response) == "not_found"
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None


def test_token_list_query_budget(django_assert_max_num_queries: Any) -> None:
    user = member()
    client = token_client(user)
    for n in range(40):
        services.api_token_create(actor=user, name=f"t{n}")
    with django_assert_max_num_queries(5):
        body = client.get(f"{API}/tokens?page_size=100").json()
    assert body["count"] == 41
