"""Navigation by role: the links a person sees depend on what they may do."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from niryat.accounts.permissions import VIEW_AUDIT, VIEW_PROGRAMMES, VIEW_REGISTRY, capabilities
from niryat.accounts.selectors import primary_membership


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    name: str


def _navigation(request: HttpRequest) -> list[NavItem]:
    user = request.user
    if not user.is_authenticated:
        return []
    granted = capabilities(user)
    items = [NavItem(str(_("Home")), reverse("home"), "home")]
    if VIEW_PROGRAMMES in granted:
        items.append(NavItem(str(_("Programmes")), reverse("programmes:programme-list"), "programmes"))
    if VIEW_REGISTRY in granted:
        items.append(NavItem(str(_("Enterprises")), reverse("registry:enterprise-list"), "enterprises"))
    if VIEW_AUDIT in granted:
        items.append(NavItem(str(_("Audit trail")), reverse("audit:event-list"), "audit"))
    items.append(NavItem(str(_("Background jobs")), reverse("core:job-list"), "jobs"))
    items.append(NavItem(str(_("API tokens")), reverse("accounts:tokens"), "tokens"))
    if user.is_staff:
        items.append(NavItem(str(_("Administration")), reverse("admin:index"), "admin"))
    return items


def navigation(request: HttpRequest) -> dict[str, object]:
    """``nav`` (links for the person's role) and ``acting_membership``, computed only if used."""
    return {
        "nav": SimpleLazyObject(lambda: _navigation(request)),
        "acting_membership": SimpleLazyObject(
            lambda: primary_membership(actor=request.user) if request.user.is_authenticated else None
        ),
    }
