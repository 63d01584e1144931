"""Reads of the audit trail, always limited to the organisations the reader may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from niryat.audit.models import AuditEvent


@dataclass(frozen=True)
class EventFilter:
    """What a reader narrows the trail to; every field is optional."""

    action: str = ""
    actor: str = ""
    target_type: str = ""
    target_id: str = ""
    since: date | None = None
    until: date | None = None


def audit_event_list(
    *, organisation_ids: Iterable[int] | None, filters: EventFilter | None = None
) -> QuerySet[AuditEvent]:
    """Events of the given organisations (None: all, for platform administrators), filtered."""
    events = AuditEvent.objects.all()
    if organisation_ids is not None:
        events = events.filter(organisation_id__in=list(organisation_ids))
    f = filters or EventFilter()
    if f.action:
        events = events.filter(action__startswith=f.action)
    if f.actor:
        events = events.filter(actor_label__icontains=f.actor)
    if f.target_type:
        events = events.filter(target_type=f.target_type)
    if f.target_id:
        events = events.filter(target_id=f.target_id)
    if f.since:
        events = events.filter(at__date__gte=f.since)
    if f.until:
        events = events.filter(at__date__lte=f.until)
    return events


def audit_history(*, target_type: str, target_id: str) -> QuerySet[AuditEvent]:
    """Every event about one object, oldest first (the caller has already scoped the object)."""
    return AuditEvent.objects.filter(
        Q(target_type=target_type) & Q(target_id=str(target_id))
    ).order_by("at", "id")
