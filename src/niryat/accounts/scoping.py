"""The predicates every selector uses to limit reads to what the actor may see.

An actor sees its own organisations. Other apps widen that explicitly by
registering a provider in their ``AppConfig.ready`` (the programmes app lets a
programme office see the organisations taking part in its programmes). Anything
outside the scope answers 404, never 403.

Within one request the actor's memberships and visible organisations are read once
(``core.context.remembered``), however often a page asks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from niryat.accounts.models import Membership
from niryat.core.context import remembered

M = TypeVar("M", bound=Model)
ScopeProvider = Callable[[Any, set[int]], Iterable[int]]

_providers: list[ScopeProvider] = []


def register_scope_provider(provider: ScopeProvider) -> None:
    """Add a function ``(actor, own_org_ids) -> more org ids`` that widens what actors see."""
    if provider not in _providers:
        _providers.append(provider)


def memberships(actor: Any) -> tuple[Membership, ...]:
    """The actor's memberships with their organisations (read once per request)."""
    if actor is None or not actor.is_authenticated:
        return ()
    return remembered(("accounts.memberships", actor.pk), lambda: tuple(
        Membership.objects.filter(user=actor).select_related("organisation").order_by("pk")
    ))


def membership_rows(actor: Any) -> list[tuple[int, str, str]]:
    """(organisation id, organisation kind, role) of each of the actor's memberships."""
    return [(m.organisation_id, m.organisation.kind, m.role) for m in memberships(actor)]


def own_organisation_ids(actor: Any) -> set[int]:
    """The organisations the actor is a member of."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return set()
    return {organisation for organisation, _kind, _role in membership_rows(actor)}


def visible_organisation_ids(actor: Any) -> set[int] | None:
    """Organisations whose data the actor may see; None means all (platform administrators)."""
    if actor is not None and actor.is_authenticated and actor.is_superuser:
        return None

    def widened() -> frozenset[int]:
        own = own_organisation_ids(actor)
        visible = set(own)
        for provider in _providers:
            visible.update(provider(actor, own))
        return frozenset(visible)

    return set(remembered(("accounts.visible", getattr(actor, "pk", None)), widened))


def scope(queryset: QuerySet[M], organisation_field: str, actor: Any) -> QuerySet[M]:
    """``queryset`` limited to rows whose ``organisation_field`` the actor may see."""
    visible = visible_organisation_ids(actor)
    if visible is None:
        return queryset
    return queryset.filter(**{f"{organisation_field}__in": visible})


def get_in_scope(queryset: QuerySet[M], **lookup: Any) -> M:
    """One object from an already-scoped queryset, or 404 whether it is missing or hidden."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj
