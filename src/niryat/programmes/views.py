"""The home page of each role, and the programme pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from niryat.accounts.models import OrganisationKind
from niryat.accounts.permissions import capabilities
from niryat.accounts.selectors import membership_list, primary_membership
from niryat.core.htmx import render_page_or_partial
from niryat.core.pagination import paginate, query_without_page
from niryat.programmes.selectors import participant_list, programme_get, programme_list

HOME_TEMPLATES: dict[str, str] = {
    OrganisationKind.PROGRAMME_OFFICE: "programmes/home_office.html",
    OrganisationKind.FACILITATOR: "programmes/home_facilitator.html",
    OrganisationKind.MSME: "programmes/home_msme.html",
    OrganisationKind.TRAINER: "programmes/home_trainer.html",
    OrganisationKind.MARKETPLACE: "programmes/home_marketplace.html",
}


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    """What a person sees after signing in: the page of the role they hold."""
    membership = primary_membership(actor=request.user)
    kind = membership.organisation.kind if membership else None
    template = HOME_TEMPLATES.get(kind or "", "programmes/home_none.html")
    context = {
        "membership": membership,
        "memberships": membership_list(actor=request.user),
        "programmes": programme_list(actor=request.user)[:20],
        "capabilities": capabilities(request.user),
    }
    return render(request, template, context)


@login_required
def programme_list_view(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    page = paginate(request, programme_list(actor=request.user, search=search))
    context = {"page": page, "q": search, "query": query_without_page(request)}
    return render_page_or_partial(request, "programmes/programme_list.html", "results", context)


@login_required
def programme_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_get(actor=request.user, slug=slug)
    context = {
        "programme": programme,
        "participants": participant_list(actor=request.user, programme=programme),
        "districts": programme.districts.select_related("state").order_by("name"),
        "cluster_cities": programme.cluster_cities.order_by("name"),
        "sectors": programme.sectors.order_by("name"),
        "states": programme.states.order_by("name"),
    }
    return render(request, "programmes/programme_detail.html", context)
