"""API tokens at the service level: only the digest is kept; revoked tokens stop working."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from niryat.accounts import selectors, services
from niryat.accounts.models import ApiToken
from niryat.accounts.tests.factories import UserFactory
from niryat.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_create_stores_the_digest_not_the_secret() -> None:
    user = UserFactory()
    issued = services.api_token_create(actor=user, name="  Feed sync  ")
    token = ApiToken.objects.get(pk=issued.token.pk)
    assert issued.secret.startswith(services.TOKEN_PREFIX)
    assert len(issued.secret) > 40
    assert token.digest == hashlib.sha256(issued.secret.encode()).hexdigest()
    stored = [str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields]
    assert all(issued.secret not in value for value in stored)
    assert issued.secret.startswith(token.prefix) and len(token.prefix) < 12
    assert token.name == "Feed sync"
    event = AuditEvent.objects.get(action="accounts.api_token.created")
    assert issued.secret not in str(event.changes) and issued.secret not in event.target_label


def test_two_tokens_have_different_secrets() -> None:
    user = UserFactory()
    one = services.api_token_create(actor=user, name="a")
    two = services.api_token_create(actor=user, name="b")
    assert one.secret != two.secret and one.token.digest != two.token.digest


def test_authenticate_returns_the_owner_and_marks_the_token_used() -> None:
    user = UserFactory()
    issued = services.api_token_create(actor=user, name="cli")
    assert services.api_token_authenticate(issued.secret) == user
    token = ApiToken.objects.get(pk=issued.token.pk)
    assert token.last_used_at is not None
    first_use = token.last_used_at
    services.api_token_authenticate(issued.secret)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first_use  # at most once a minute
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(minutes=5))
    services.api_token_authenticate(issued.secret)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first_use


@pytest.mark.parametrize("secret", ["", "nyt_wrong", "x" * 100])
def test_authenticate_unknown_secret(secret: str) -> None:
    services.api_token_create(actor=UserFactory(), name="t")
    assert services.api_token_authenticate(secret) is None


def test_revoke_sets_revoked_at_and_audits_once() -> None:
    user = UserFactory()
    issued = services.api_token_create(actor=user, name="cli")
    services.api_token_revoke(actor=user, token=issued.token)
    token = ApiToken.objects.get(pk=issued.token.pk)
    assert token.revoked_at is not None and not token.is_active
    revoked_at = token.revoked_at
    services.api_token_revoke(actor=user, token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == revoked_at
    assert AuditEvent.objects.filter(action="accounts.api_token.revoked").count() == 1
    assert services.api_token_authenticate(issued.secret) is None


def test_authenticate_refuses_an_inactive_owner() -> None:
    user = UserFactory()
    issued = services.api_token_create(actor=user, name="cli")
    services.user_update(actor=None, user=user, is_active=False)
    assert services.api_token_authenticate(issued.secret) is None


def test_demo_tokens_work_only_in_demo_mode(settings: object) -> None:
    user = UserFactory(is_demo=True)
    issued = services.api_token_create(actor=user, name="demo")
    settings.DEMO_MODE = False  # type: ignore[attr-defined]
    assert services.api_token_authenticate(issued.secret) is None
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    assert services.api_token_authenticate(issued.secret) == user


def test_token_selectors_are_scoped_to_the_owner() -> None:
    from django.http import Http404

    owner, other = UserFactory(), UserFactory()
    issued = services.api_token_create(actor=owner, name="mine")
    assert list(selectors.api_token_list(actor=other)) == []
    with pytest.raises(Http404):
        selectors.api_token_get(actor=other, token_id=issued.token.pk)
    assert selectors.api_token_get(actor=owner, token_id=issued.token.pk) == issued.token
