"""Duplicate candidates: compare two enterprises side by side, merge them or keep them apart."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from niryat.accounts.permissions import MANAGE_REGISTRY
from niryat.core.htmx import render_page_or_partial
from niryat.core.pagination import paginate
from niryat.registry import duplicates, selectors
from niryat.registry.services import ENTERPRISE_FIELDS, RegistryError
from niryat.registry.views import require

COMPARED = {
    "name": gettext_lazy("Legal name (English)"), "name_hi": gettext_lazy("Legal name (Hindi)"),
    "udyam_number": gettext_lazy("Udyam number"), "gstin": gettext_lazy("GSTIN"),
    "pan": gettext_lazy("PAN"), "district": gettext_lazy("District"),
    "sector": gettext_lazy("Sector"), "pincode": gettext_lazy("PIN code"),
    "address": gettext_lazy("Address"),
}


@login_required
def duplicate_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, MANAGE_REGISTRY)
    if request.method == "POST":
        with transaction.atomic():  # the search starts once the job is saved
            duplicates.duplicates_search_start(actor=request.user)
        messages.info(request, _("Looking for duplicates; the list below fills in when the search is done."))
        return redirect("registry:duplicate-list")
    job = duplicates.duplicates_search_latest(actor=request.user)
    context = {"page": paginate(request, selectors.duplicate_list(actor=request.user)), "job": job,
               "running": job is not None and not job.is_finished}
    return render_page_or_partial(request, "registry/duplicate_list.html", "results", context)


@login_required
def duplicate_detail_view(request: HttpRequest, candidate_id: int) -> HttpResponse:
    require(request.user, MANAGE_REGISTRY)
    candidate = selectors.duplicate_get(actor=request.user, candidate_id=candidate_id)
    rows = [
        (label, getattr(candidate.first, field), getattr(candidate.second, field))
        for field, label in COMPARED.items()
    ]
    return render(request, "registry/duplicate_detail.html",
                  {"candidate": candidate, "rows": rows, "fields": ENTERPRISE_FIELDS})


@login_required
@require_POST
def duplicate_decide_view(request: HttpRequest, candidate_id: int) -> HttpResponse:
    require(request.user, MANAGE_REGISTRY)
    candidate = selectors.duplicate_get(actor=request.user, candidate_id=candidate_id)
    decision = request.POST.get("decision")
    if decision == "apart":
        duplicates.duplicate_keep_apart(actor=request.user, candidate=candidate)
        messages.success(request, _("Kept apart: they will not be proposed again."))
        return redirect("registry:duplicate-list")
    keep, merge = candidate.first, candidate.second
    if decision == "keep_second":
        keep, merge = merge, keep
    elif decision != "keep_first":
        return redirect("registry:duplicate-detail", candidate_id=candidate.pk)
    try:
        duplicates.enterprise_merge(actor=request.user, keep=keep, merge=merge)
    except RegistryError as error:
        messages.error(request, str(error))
        return redirect("registry:duplicate-detail", candidate_id=candidate.pk)
    messages.success(request, _("Merged. Both histories are kept on the enterprise."))
    return redirect("registry:enterprise-detail", enterprise_id=keep.pk)
