"""Reads of the registry, scoped by the actor: a facilitator sees only its own enterprises."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from niryat.accounts.scoping import get_in_scope, scope
from niryat.audit.models import AuditEvent
from niryat.registry.models import DuplicateCandidate, Enterprise
from niryat.registry.names import name_key


@dataclass(frozen=True)
class EnterpriseFilter:
    """What a list of enterprises is narrowed to; every field is optional."""

    q: str = ""
    district: int | None = None
    sector: str = ""
    size: str = ""
    steward: str = ""
    programme: str = ""


def enterprise_list(*, actor: Any, filters: EnterpriseFilter | None = None) -> QuerySet[Enterprise]:
    """Enterprises the actor may see (merged duplicates left out), filtered and searched.

    Search matches names in either script (also transliterated) and any identifier.
    """
    f = filters or EnterpriseFilter()
    enterprises = scope(Enterprise.objects.filter(merged_into__isnull=True), "steward_id", actor)
    if f.q:
        text = f.q.strip().lower()
        key = name_key(f.q)
        condition = Q(search_text__contains=text)
        if key:
            condition |= Q(name_key__contains=key)
        enterprises = enterprises.filter(condition)
    if f.district:
        enterprises = enterprises.filter(district_id=f.district)
    if f.sector:
        enterprises = enterprises.filter(sector_id=f.sector)
    if f.size:
        enterprises = enterprises.filter(size_class=f.size)
    if f.steward:
        enterprises = enterprises.filter(steward__slug=f.steward)
    if f.programme:
        enterprises = enterprises.filter(
            Q(steward__participations__programme__slug=f.programme)
            | Q(steward__programmes_run__slug=f.programme)
        ).distinct()
    return enterprises.select_related("district", "sector", "steward").order_by("name", "id")


def enterprise_get(*, actor: Any, enterprise_id: int) -> Enterprise:
    """One enterprise the actor may see (a merged one too, to follow the merge), or 404."""
    enterprises = scope(Enterprise.objects.all(), "steward_id", actor)
    return get_in_scope(
        enterprises.select_related("district__state", "sector", "steward", "odop_product",
                                   "merged_into"),
        pk=enterprise_id,
    )


def enterprise_history(*, enterprise: Enterprise) -> QuerySet[AuditEvent]:
    """The audit events about an enterprise and the duplicates merged into it, oldest first.

    The caller has already scoped the enterprise.
    """
    ids = [str(enterprise.pk), *(str(pk) for pk in enterprise.merged.values_list("pk", flat=True))]
    return AuditEvent.objects.filter(target_type="registry.enterprise", target_id__in=ids).order_by(
        "at", "id")


def duplicate_list(*, actor: Any, status: str = "open") -> QuerySet[DuplicateCandidate]:
    """Candidate pairs whose two enterprises the actor may both see."""
    visible = scope(Enterprise.objects.all(), "steward_id", actor).values("pk")
    return (
        DuplicateCandidate.objects.filter(status=status, first__in=visible, second__in=visible)
        .select_related("first__district", "second__district", "first__steward", "second__steward")
        .order_by("-score", "id")
    )


def duplicate_get(*, actor: Any, candidate_id: int) -> DuplicateCandidate:
    return get_in_scope(duplicate_list(actor=actor), pk=candidate_id)
