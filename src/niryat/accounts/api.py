"""API of the accounts app: the caller (``/me``), organisations and the caller's API tokens.

Mounted by ``niryat.api.api`` at ``/api/v1/``; every endpoint acts as the authenticated
caller (``request.auth``). List endpoints are paginated with ``PageNumberPages``.
"""

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from niryat.accounts import selectors, services
from niryat.accounts.models import ApiToken, Organisation, OrganisationKind, Role
from niryat.accounts.permissions import capabilities
from niryat.core.apitools import PageNumberPages, request_actor

router = Router()


# ---- schemas -------------------------------------------------------------------------------


class OrganisationOut(Schema):
    slug: str
    name: str
    name_hi: str
    kind: OrganisationKind


class MembershipOut(Schema):
    organisation: OrganisationOut
    role: Role


class MeOut(Schema):
    email: str
    full_name: str
    full_name_hi: str
    memberships: list[MembershipOut]
    capabilities: list[str]


class OrganisationFilter(Schema):
    kind: OrganisationKind | None = Field(None, description="Only organisations of this kind.")
    q: str = Field("", max_length=100, description="Name or slug contains (either language).")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the secret, to tell tokens apart.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    is_active: bool


class TokenCreatedOut(TokenOut):
    secret: str = Field(description="Shown only in this response; only its digest is stored.")


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100, description="What the token is for.")


# ---- the caller -----------------------------------------------------------------------------


@router.get("/me", response=MeOut, tags=["me"])
def me(request: HttpRequest) -> dict[str, Any]:
    """The caller: name, the organisations they act for (with role) and what they may do."""
    actor = request_actor(request)
    return {
        "email": actor.email,
        "full_name": actor.full_name,
        "full_name_hi": actor.full_name_hi,
        "memberships": list(selectors.membership_list(actor=actor)),
        "capabilities": sorted(capabilities(actor)),
    }


# ---- organisations --------------------------------------------------------------------------


@router.get("/organisations", response=list[OrganisationOut], tags=["organisations"])
@paginate(PageNumberPages)
def organisation_list(
    request: HttpRequest, filters: Query[OrganisationFilter]
) -> QuerySet[Organisation]:
    """Organisations the caller may see, optionally of one kind or matching ``q``."""
    organisations = selectors.organisation_list(actor=request_actor(request))
    if filters.kind:
        organisations = organisations.filter(kind=filters.kind)
    q = filters.q.strip()
    if q:
        organisations = organisations.filter(
            Q(name__icontains=q) | Q(name_hi__icontains=q) | Q(slug__icontains=q)
        )
    return organisations.order_by("name", "id")


@router.get("/organisations/{slug}", response=OrganisationOut, tags=["organisations"])
def organisation_detail(request: HttpRequest, slug: str) -> Organisation:
    """One organisation the caller may see (404 for any other)."""
    return selectors.organisation_get(actor=request_actor(request), slug=slug)


# ---- API tokens -----------------------------------------------------------------------------


@router.get("/tokens", response=list[TokenOut], tags=["tokens"])
@paginate(PageNumberPages)
def token_list(request: HttpRequest) -> QuerySet[ApiToken]:
    """The caller's API tokens, newest first, revoked ones included (secrets are never shown)."""
    return selectors.api_token_list(actor=request_actor(request)).order_by("-created_at", "-id")


@router.post("/tokens", response={201: TokenCreatedOut}, tags=["tokens"])
def token_create(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    """Issue a token for the caller. The secret is in this response only: store it now."""
    issued = services.api_token_create(actor=request_actor(request), name=payload.name)
    body = TokenOut.model_validate(issued.token).model_dump()
    return Status(201, {**body, "secret": issued.secret})


@router.post("/tokens/{token_id}/revoke", response=TokenOut, tags=["tokens"])
def token_revoke(request: HttpRequest, token_id: int) -> ApiToken:
    """Revoke one of the caller's tokens at once; revoking twice changes nothing."""
    actor = request_actor(request)
    token = selectors.api_token_get(actor=actor, token_id=token_id)
    return services.api_token_revoke(actor=actor, token=token)


@router.delete("/tokens/{token_id}", response={204: None}, tags=["tokens"])
def token_delete(request: HttpRequest, token_id: int) -> Status[None]:
    """The same as revoking: the token stops working (its record stays, for the audit trail)."""
    actor = request_actor(request)
    token = selectors.api_token_get(actor=actor, token_id=token_id)
    services.api_token_revoke(actor=actor, token=token)
    return Status(204, None)
