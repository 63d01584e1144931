"""``record``: the one way to write to the audit trail, called by services inside their transaction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from niryat.audit.models import AuditEvent
from niryat.audit.tasks import audit_export
from niryat.core.context import current_origin, forget_remembered
from niryat.core.jobs import job_create


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value, so ``changes`` can hold any model field."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose values differ."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(set(before) | set(after))
        if _plain(before.get(key)) != _plain(after.get(key))
    }


def require_transaction(function: str, action: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"audit.{function}({action!r}) must run inside the service's transaction")


def build_event(
    actor: Any,
    *,
    action: str,
    target: models.Model | None,
    changes: dict[str, Any] | None,
    organisation: Any,
    actor_label: str = "",
) -> AuditEvent:
    """An unsaved event with who, what, which object and where from (the current origin).

    Something is changing: reads the request remembered (memberships, scopes) are dropped.
    """
    forget_remembered()
    origin = current_origin()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent(
        actor=actor if authenticated else None,
        actor_label=actor_label or (actor.email if authenticated else ""),
        organisation_id=getattr(organisation, "pk", organisation),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        changes=_plain(changes or {}),
        channel=origin.channel,
        ip=origin.ip,
        user_agent=origin.user_agent,
        request_id=origin.request_id,
    )


def record(
    actor: Any,
    *,
    action: str,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    organisation: Any = None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event. Must run inside the transaction of the change it describes."""
    require_transaction("record", action)
    event = build_event(actor, action=action, target=target, changes=changes,
                        organisation=organisation, actor_label=actor_label)
    event.save()
    return event


@transaction.atomic
def audit_export_start(
    *,
    actor: Any,
    organisation_ids: list[int] | None,
    filters: dict[str, str | None],
    acting_for: int | None = None,
) -> Any:
    """Start a background CSV export of the events ``actor`` may see, filtered.

    ``acting_for`` is the organisation the export is made for; the event is recorded
    under it, so that organisation's administrators see the export in their trail.
    """
    job = job_create(
        actor=actor,
        kind="audit.export",
        label=lambda: _("Audit events export"),
        task=audit_export,
        parameters={"organisation_ids": organisation_ids, "filters": filters},
    )
    record(
        actor,
        action="audit.export.started",
        target=job,
        organisation=acting_for,
        changes={"filters": filters},
    )
    return job


def record_many(
    actor: Any,
    *,
    action: str,
    targets: list[tuple[models.Model, dict[str, Any]]],
    organisation: Any = None,
) -> int:
    """Append one event per (target, changes) in one INSERT, for set-based bulk services.

    Like ``record``, it must run inside the transaction of the changes it describes.
    """
    require_transaction("record_many", action)
    events = [
        build_event(actor, action=action, target=target, changes=changes, organisation=organisation)
        for target, changes in targets
    ]
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)
