"""Registry pages: the enterprise list with search and filters, register, edit, detail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from niryat.accounts.models import OrganisationKind
from niryat.accounts.permissions import (
    MANAGE_REGISTRY,
    VIEW_REGISTRY,
    has_capability,
)
from niryat.accounts.selectors import organisation_choices
from niryat.core.htmx import render_page_or_partial
from niryat.core.pagination import paginate, query_without_page
from niryat.programmes.selectors import programme_choices
from niryat.reference.selectors import district_choices, sector_choices
from niryat.registry import selectors, services
from niryat.registry.enrolments import (
    enrolment_add,
    enrolment_remove,
    enterprise_programmes,
    programmes_of_steward,
)
from niryat.registry.forms import (
    ADD_CONTACT,
    EnterpriseFilterForm,
    EnterpriseForm,
    contact_formset,
    contact_formset_with_one_more,
)
from niryat.registry.history import history_entries
from niryat.registry.licences import licence_labels
from niryat.registry.models import Enterprise
from niryat.registry.selectors import steward_for
from niryat.registry.validation import Cleaned, ReferenceIndex


def require(actor: Any, capability: str) -> None:
    """404 (not 403) for people who may not use the registry: its existence does not leak."""
    if not has_capability(actor, capability):
        raise Http404


def enterprise_form(actor: Any, data: Any = None, initial: dict[str, Any] | None = None) -> EnterpriseForm:
    return EnterpriseForm(data, initial=initial, district_choices=district_choices(actor=actor),
                          sector_choices=sector_choices(actor=actor))


STEWARD_KINDS = [OrganisationKind.FACILITATOR, OrganisationKind.PROGRAMME_OFFICE]


@login_required
def enterprise_list_view(request: HttpRequest) -> HttpResponse:
    actor = request.user
    require(actor, VIEW_REGISTRY)
    form = EnterpriseFilterForm(request.GET or None, choices={
        "district": district_choices(actor=actor),
        "sector": sector_choices(actor=actor),
        "programme": programme_choices(actor=actor),
        "steward": organisation_choices(actor=actor, kinds=STEWARD_KINDS),
    })
    filters = selectors.EnterpriseFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.EnterpriseFilter(
            q=data["q"], district=data["district"], sector=data["sector"], size=data["size"],
            programme=data["programme"], steward=data["steward"],
        )
    page = paginate(request, selectors.enterprise_list(actor=actor, filters=filters))
    context = {"form": form, "page": page, "query": query_without_page(request),
               "can_manage": has_capability(actor, MANAGE_REGISTRY)}
    return render_page_or_partial(request, "registry/enterprise_list.html", "results", context)


def enterprise_form_page(
    request: HttpRequest,
    enterprise: Enterprise | None,
    save: Callable[[Cleaned], Enterprise],
    done: str,
) -> HttpResponse:
    """The register and edit pages: check, save through ``save``, show warnings, redirect.

    "Add another contact" posts the form too: it comes back as typed, with one more empty
    contact row, unchecked and unsaved (no script needed).
    """
    initial = EnterpriseForm.initial_from(enterprise) if enterprise else None
    adding = request.method == "POST" and ADD_CONTACT in request.POST
    if adding:
        form = enterprise_form(request.user, initial=request.POST.dict())
        contacts = contact_formset_with_one_more(request.POST)
    else:
        form = enterprise_form(request.user, request.POST or None, initial=initial)
        contacts = contact_formset(request.POST or None, enterprise)
    if request.method == "POST" and not adding and form.check(ReferenceIndex.load(), contacts):
        assert form.cleaned_enterprise is not None
        try:
            saved = save(form.cleaned_enterprise)
        except services.RegistryError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            for warning in form.cleaned_enterprise.warnings:
                messages.warning(request, warning.message)
            messages.success(request, done)
            return redirect("registry:enterprise-detail", enterprise_id=saved.pk)
    return render(request, "registry/enterprise_form.html",
                  {"form": form, "contacts": contacts, "enterprise": enterprise, "add_contact": ADD_CONTACT})


@login_required
def enterprise_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, MANAGE_REGISTRY)
    return enterprise_form_page(
        request, None,
        lambda cleaned: services.enterprise_register(
            actor=request.user, steward=steward_for(request.user), cleaned=cleaned),
        _("The enterprise is registered."),
    )


@login_required
def enterprise_edit_view(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    require(request.user, MANAGE_REGISTRY)
    enterprise = selectors.enterprise_get(actor=request.user, enterprise_id=enterprise_id)
    return enterprise_form_page(
        request, enterprise,
        lambda cleaned: services.enterprise_update(
            actor=request.user, enterprise=enterprise, cleaned=cleaned),
        _("The changes are saved."),
    )


@login_required
def enterprise_detail_view(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    require(request.user, VIEW_REGISTRY)
    enterprise = selectors.enterprise_get(actor=request.user, enterprise_id=enterprise_id)
    history = list(selectors.enterprise_history(enterprise=enterprise))
    programmes = list(enterprise_programmes(enterprise))
    enrolled = {p.pk for p in programmes}
    context = {
        "enterprise": enterprise,
        "contacts": enterprise.contacts.all(),
        "licences": licence_labels(enterprise.other_licences),
        "merged": selectors.enterprise_merged_list(actor=request.user, enterprise=enterprise),
        "history": history,
        "history_entries": history_entries(history, enterprise_id=enterprise.pk),
        "can_manage": has_capability(request.user, MANAGE_REGISTRY),
        "programmes": programmes,
        "enrol_choices": [(p.slug, p.label) for p in programmes_of_steward(enterprise.steward_id)
                          if p.pk not in enrolled],
    }
    return render(request, "registry/enterprise_detail.html", context)


@login_required
@require_POST
def enterprise_enrolment_view(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    """Enrol the enterprise in a programme of its steward, or take it out of one (``action``)."""
    require(request.user, MANAGE_REGISTRY)
    enterprise = selectors.enterprise_get(actor=request.user, enterprise_id=enterprise_id)
    slug = request.POST.get("programme", "")
    if request.POST.get("action") == "remove":
        if enrolment_remove(actor=request.user, enterprise=enterprise, programme_slug=slug):
            messages.success(request, _("The enterprise is taken out of the programme."))
    else:
        try:
            enrolment_add(actor=request.user, enterprise=enterprise, programme_slug=slug)
        except services.RegistryError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The enterprise is enrolled in the programme."))
    return redirect("registry:enterprise-detail", enterprise_id=enterprise.pk)
