"""The audit trail page for programme-office administrators (and platform administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from niryat.accounts.permissions import (
    EXPORT_AUDIT,
    VIEW_AUDIT,
    capability_organisation_ids,
    readable_organisation_ids,
)
from niryat.audit.forms import EventFilterForm
from niryat.audit.selectors import audit_event_list
from niryat.audit.services import audit_export_start
from niryat.core.htmx import render_page_or_partial
from niryat.core.pagination import paginate, query_without_page


@login_required
def event_list_view(request: HttpRequest) -> HttpResponse:
    organisation_ids = readable_organisation_ids(request.user, VIEW_AUDIT)
    form = EventFilterForm(request.GET or None)
    events = audit_event_list(organisation_ids=organisation_ids, filters=form.to_filter())
    page = paginate(request, events, per_page=50)
    context = {"form": form, "page": page, "query": query_without_page(request)}
    return render_page_or_partial(request, "audit/event_list.html", "results", context)


@login_required
@require_POST
def event_export_view(request: HttpRequest) -> HttpResponse:
    organisation_ids = readable_organisation_ids(request.user, EXPORT_AUDIT)
    form = EventFilterForm(request.POST)
    form.is_valid()
    filters = {
        key: (value.isoformat() if hasattr(value, "isoformat") else value)
        for key, value in getattr(form, "cleaned_data", {}).items()
    }
    acting_for = next(iter(capability_organisation_ids(request.user, EXPORT_AUDIT)), None)
    job = audit_export_start(
        actor=request.user,
        organisation_ids=organisation_ids,
        filters=filters,
        acting_for=acting_for,
    )
    messages.info(request, _("The export has started."))
    return redirect("core:job-detail", job_id=job.id)
