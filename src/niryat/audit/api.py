"""API of the audit trail: reading events and starting a CSV export.

Mounted by ``niryat.api.api`` at ``/api/v1/audit``. Only callers holding the
``audit.view_events`` (reading) or ``audit.export_events`` (exporting) capability
get an answer; anyone else gets 404, as if the trail did not exist.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from niryat.accounts.permissions import (
    EXPORT_AUDIT,
    VIEW_AUDIT,
    readable_organisation_ids,
)
from niryat.audit.models import AuditEvent
from niryat.audit.selectors import EventFilter, audit_event_list
from niryat.audit.services import audit_export_start
from niryat.core.apitools import PageNumberPages, request_actor

router = Router(tags=["audit"])


class EventFilterIn(Schema):
    """What to narrow the trail to; every field is optional."""

    action: str = Field("", max_length=120, description="Action starts with.")
    actor: str = Field("", max_length=254, description="Who (email contains).")
    target_type: str = Field("", max_length=80, description="Object type (app_label.model).")
    target_id: str = Field("", max_length=64, description="Object id.")
    since: date | None = Field(None, description="On or after this day.")
    until: date | None = Field(None, description="On or before this day.")

    def to_filter(self) -> EventFilter:
        return EventFilter(
            action=self.action.strip(),
            actor=self.actor.strip(),
            target_type=self.target_type.strip(),
            target_id=self.target_id.strip(),
            since=self.since,
            until=self.until,
        )

    def to_parameters(self) -> dict[str, str | None]:
        """The filter as the export job stores it (dates as ISO strings)."""
        f = self.to_filter()
        return {
            "action": f.action,
            "actor": f.actor,
            "target_type": f.target_type,
            "target_id": f.target_id,
            "since": f.since.isoformat() if f.since else None,
            "until": f.until.isoformat() if f.until else None,
        }


class EventOut(Schema):
    id: int
    at: datetime
    actor: str = Field(description="Who acted (their email at the time), empty for the system.")
    organisation: str | None = Field(description="Slug of the organisation the event belongs to.")
    action: str
    target_type: str
    target_id: str
    target_label: str
    changes: dict[str, Any]
    channel: str

    @staticmethod
    def resolve_actor(obj: AuditEvent) -> str:
        return obj.actor_label

    @staticmethod
    def resolve_organisation(obj: AuditEvent) -> str | None:
        return obj.organisation.slug if obj.organisation is not None else None


class ExportStartedOut(Schema):
    id: UUID
    kind: str
    label: str
    status: str
    url: str = Field(description="Where to follow the job's progress (GET).")

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return reverse("api-v1:job-detail", kwargs={"job_id": obj.id})


@router.get("/events", response=list[EventOut])
@paginate(PageNumberPages)
def event_list(request: HttpRequest, filters: Query[EventFilterIn]) -> QuerySet[AuditEvent]:
    """Audit events the caller may read, newest first, filtered."""
    organisation_ids = readable_organisation_ids(request_actor(request), VIEW_AUDIT)
    events = audit_event_list(organisation_ids=organisation_ids, filters=filters.to_filter())
    return events.select_related("organisation").order_by("-at", "-id")


@router.post("/exports", response={202: ExportStartedOut})
def export_start(request: HttpRequest, payload: EventFilterIn) -> Status[Any]:
    """Start a CSV export of the events the caller may read; follow it at ``/jobs/{id}``."""
    actor = request_actor(request)
    organisation_ids = readable_organisation_ids(actor, EXPORT_AUDIT)
    job = audit_export_start(
        actor=actor, organisation_ids=organisation_ids, filters=payload.to_parameters()
    )
    return Status(202, job)
