"""Reads of accounts data, scoped by the actor."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import QuerySet

from niryat.accounts.models import ApiToken, Membership, Organisation
from niryat.accounts.scoping import get_in_scope, memberships, scope
from niryat.core.i18n import pick


def organisation_list(*, actor: Any) -> QuerySet[Organisation]:
    """Organisations the actor may see."""
    return scope(Organisation.objects.all(), "id", actor)


def organisation_choices(*, actor: Any, kinds: Collection[str]) -> list[tuple[str, str]]:
    """(slug, name) of the organisations of these kinds the actor may see, by name."""
    rows = organisation_list(actor=actor).filter(kind__in=kinds).order_by("name").values_list(
        "slug", "name", "name_hi")
    return [(slug, pick(name, name_hi)) for slug, name, name_hi in rows]


def organisation_get(*, actor: Any, slug: str) -> Organisation:
    return get_in_scope(organisation_list(actor=actor), slug=slug)


def membership_list(*, actor: Any) -> QuerySet[Membership]:
    """The actor's own memberships, with their organisations."""
    return Membership.objects.filter(user=actor).select_related("organisation").order_by(
        "organisation__name"
    )


def primary_membership(*, actor: Any) -> Membership | None:
    """The membership that decides the actor's home page: an admin role first, then the oldest."""
    return min(memberships(actor), key=lambda m: (m.role, m.created_at, m.pk), default=None)


def api_token_list(*, actor: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor)


def api_token_get(*, actor: Any, token_id: int) -> ApiToken:
    return get_in_scope(api_token_list(actor=actor), pk=token_id)
