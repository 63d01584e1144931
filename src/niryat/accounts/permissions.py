"""Who may do what, as data: capabilities granted to (organisation kind, role) pairs.

Views and API endpoints ask ``has_capability(actor, "…")``; a new capability is one
line here and one row in the permission-matrix test.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from niryat.accounts.models import OrganisationKind, Role
from niryat.accounts.scoping import membership_rows, visible_organisation_ids

VIEW_AUDIT = "audit.view_events"
EXPORT_AUDIT = "audit.export_events"
VIEW_PROGRAMMES = "programmes.view"
MANAGE_PROGRAMMES = "programmes.manage"
VIEW_REGISTRY = "registry.view"
MANAGE_REGISTRY = "registry.manage"

ALL_CAPABILITIES = frozenset(
    {VIEW_AUDIT, EXPORT_AUDIT, VIEW_PROGRAMMES, MANAGE_PROGRAMMES, VIEW_REGISTRY, MANAGE_REGISTRY}
)
REGISTRY = frozenset({VIEW_REGISTRY, MANAGE_REGISTRY})

GRANTS: dict[tuple[str, str], frozenset[str]] = {
    (OrganisationKind.PROGRAMME_OFFICE, Role.ADMIN): frozenset(
        {VIEW_AUDIT, EXPORT_AUDIT, VIEW_PROGRAMMES, MANAGE_PROGRAMMES} | REGISTRY
    ),
    (OrganisationKind.PROGRAMME_OFFICE, Role.MEMBER): frozenset({VIEW_PROGRAMMES}) | REGISTRY,
    (OrganisationKind.FACILITATOR, Role.ADMIN): frozenset({VIEW_PROGRAMMES}) | REGISTRY,
    (OrganisationKind.FACILITATOR, Role.MEMBER): frozenset({VIEW_PROGRAMMES}) | REGISTRY,
    (OrganisationKind.TRAINER, Role.ADMIN): frozenset({VIEW_PROGRAMMES}),
    (OrganisationKind.TRAINER, Role.MEMBER): frozenset({VIEW_PROGRAMMES}),
    (OrganisationKind.MARKETPLACE, Role.ADMIN): frozenset({VIEW_PROGRAMMES}),
    (OrganisationKind.MARKETPLACE, Role.MEMBER): frozenset({VIEW_PROGRAMMES}),
    (OrganisationKind.MSME, Role.ADMIN): frozenset({VIEW_PROGRAMMES}),
    (OrganisationKind.MSME, Role.MEMBER): frozenset({VIEW_PROGRAMMES}),
}


def capabilities(actor: Any) -> frozenset[str]:
    """Everything ``actor`` may do through any of its memberships."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return frozenset()
    if actor.is_superuser:
        return ALL_CAPABILITIES
    granted: set[str] = set()
    for _organisation, kind, role in membership_rows(actor):
        granted |= GRANTS.get((kind, role), frozenset())
    return frozenset(granted)


def has_capability(actor: Any, capability: str) -> bool:
    return capability in capabilities(actor)


def capability_organisation_ids(actor: Any, capability: str) -> list[int]:
    """The organisations through whose memberships ``actor`` holds ``capability``."""
    return [org for org, kind, role in membership_rows(actor) if capability in GRANTS.get((kind, role), ())]


def readable_organisation_ids(actor: Any, capability: str) -> list[int] | None:
    """Organisations whose records ``actor`` may read with ``capability`` (None: all).

    Raises 404 when the actor lacks the capability. A holder reads the records of every
    organisation visible to them (their own and those in the programmes they run).
    """
    if actor.is_superuser:
        return None
    if not capability_organisation_ids(actor, capability):
        raise Http404
    visible = visible_organisation_ids(actor)
    return None if visible is None else sorted(visible)
