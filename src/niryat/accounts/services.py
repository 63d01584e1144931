"""Writes to users, organisations, memberships and API tokens. Each one is audited."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from niryat.accounts import throttle
from niryat.accounts.models import (
    ApiToken,
    Membership,
    Organisation,
    Role,
    User,
    token_digest,
)
from niryat.audit.services import diff, record
from niryat.core.middleware import client_ip

TOKEN_PREFIX = "nyt_"


@transaction.atomic
def user_create(
    *,
    actor: Any,
    email: str,
    full_name: str,
    password: str | None,
    full_name_hi: str = "",
    is_demo: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create a person's account. ``password=None`` leaves it unusable until a reset."""
    user = User.objects.create_user(
        email,
        password,
        full_name=full_name,
        full_name_hi=full_name_hi,
        is_demo=is_demo,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    record(
        actor,
        action="accounts.user.created",
        target=user,
        changes={"email": [None, user.email], "full_name": [None, full_name]},
    )
    return user


@transaction.atomic
def user_update(*, actor: Any, user: User, **fields: Any) -> User:
    """Change a person's name or status; only the named fields are touched."""
    allowed = {"full_name", "full_name_hi", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"user_update cannot change {sorted(unknown)}")
    before = {name: getattr(user, name) for name in fields}
    for name, value in fields.items():
        setattr(user, name, value)
    user.save(update_fields=list(fields))
    record(actor, action="accounts.user.updated", target=user, changes=diff(before, fields))
    return user


@transaction.atomic
def organisation_create(
    *, actor: Any, slug: str, name: str, kind: str, name_hi: str = "", is_demo: bool = False
) -> Organisation:
    """Register an organisation that acts on the platform."""
    organisation = Organisation.objects.create(
        slug=slug, name=name, name_hi=name_hi, kind=kind, is_demo=is_demo
    )
    record(
        actor,
        action="accounts.organisation.created",
        target=organisation,
        organisation=organisation,
        changes={"name": [None, name], "kind": [None, kind]},
    )
    return organisation


@transaction.atomic
def membership_add(
    *, actor: Any, user: User, organisation: Organisation, role: str = Role.MEMBER
) -> Membership:
    """Let ``user`` act for ``organisation`` with ``role`` (updates the role if already a member)."""
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    before = None if created else membership.role
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
    if created or before != role:
        record(
            actor,
            action="accounts.membership.added" if created else "accounts.membership.changed",
            target=membership,
            organisation=organisation,
            changes={"user": [None, user.email], "role": [before, role]},
        )
    return membership


@dataclass(frozen=True)
class IssuedToken:
    """A new token: ``secret`` is shown to its owner once and never stored."""

    token: ApiToken
    secret: str


@transaction.atomic
def api_token_create(*, actor: User, name: str) -> IssuedToken:
    """Issue an API token for the actor; only its digest is kept."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name.strip()[:100] or "API", prefix=secret[:10], digest=token_digest(secret)
    )
    record(actor, action="accounts.api_token.created", target=token, changes={"name": [None, name]})
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token at once; revoking twice changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor, action="accounts.api_token.revoked", target=token)
    return token


def api_token_authenticate(secret: str) -> User | None:
    """The active owner of an active token, or None; marks the token used (at most once a minute)."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.user.is_demo and not settings.DEMO_MODE:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    wait_seconds: int = 0


def login_attempt(*, request: HttpRequest, email: str, password: str) -> LoginResult:
    """Check a sign-in, with throttling; audits successes and failures alike.

    The result does not say whether the email exists: an unknown email and a wrong
    password both return ``user=None``.
    """
    keys = throttle.Keys.of(email, client_ip(request))
    wait = throttle.wait_seconds(keys)
    if wait:
        return LoginResult(user=None, wait_seconds=wait)
    user = authenticate(request, username=email, password=password)
    with transaction.atomic():
        if user is None:
            throttle.failure_record(keys)
            record(None, action="accounts.login.failed", actor_label=email.strip().lower()[:254])
        else:
            throttle.failures_clear(keys)
            record(user, action="accounts.login.succeeded", target=user)
    return LoginResult(user=user)
