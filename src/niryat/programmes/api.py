"""API of the programmes app: the programmes the caller runs or takes part in.

Mounted by ``niryat.api.api`` at ``/api/v1/programmes``. Scoping is the selectors':
a programme the caller may not see answers 404, and participants are listed as
``participant_list`` allows (all for the office, otherwise the caller's own).
"""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from niryat.accounts.models import OrganisationKind
from niryat.core.apitools import PageNumberPages, request_actor
from niryat.programmes.models import ParticipantRole, Programme
from niryat.programmes.selectors import participant_list, programme_get, programme_list

router = Router(tags=["programmes"])


class OrganisationRef(Schema):
    slug: str
    name: str
    name_hi: str
    kind: OrganisationKind


class ProgrammeOut(Schema):
    slug: str
    name: str
    name_hi: str
    summary: str
    summary_hi: str
    office: OrganisationRef
    starts_on: date | None
    ends_on: date | None
    participant_count: int


class StateRef(Schema):
    lgd_code: int
    name: str
    name_hi: str


class DistrictRef(Schema):
    lgd_code: int
    name: str
    name_hi: str
    state: int = Field(description="LGD code of the district's state.")

    @staticmethod
    def resolve_state(obj: Any) -> int:
        return int(obj.state_id)


class ClusterCityRef(Schema):
    slug: str
    name: str
    name_hi: str
    district: int = Field(description="LGD code of the city's district.")

    @staticmethod
    def resolve_district(obj: Any) -> int:
        return int(obj.district_id)


class SectorRef(Schema):
    slug: str
    name: str
    name_hi: str


class ParticipantOut(Schema):
    organisation: OrganisationRef
    role: ParticipantRole


class ProgrammeDetailOut(ProgrammeOut):
    states: list[StateRef]
    districts: list[DistrictRef]
    cluster_cities: list[ClusterCityRef]
    sectors: list[SectorRef]
    participants: list[ParticipantOut]


class ProgrammeFilter(Schema):
    q: str = Field("", max_length=100, description="Name contains (English or Hindi).")


@router.get("", response=list[ProgrammeOut])
@paginate(PageNumberPages)
def programme_list_endpoint(
    request: HttpRequest, filters: Query[ProgrammeFilter]
) -> QuerySet[Programme]:
    """Programmes the caller runs or takes part in, by name."""
    return programme_list(actor=request_actor(request), search=filters.q.strip())


@router.get("/{slug}", response=ProgrammeDetailOut)
def programme_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    """One programme with its geography, sectors and the participants the caller may see."""
    actor = request_actor(request)
    programme = programme_get(actor=actor, slug=slug)
    return {
        **ProgrammeOut.model_validate(programme).model_dump(),
        "states": list(programme.states.order_by("name")),
        "districts": list(programme.districts.order_by("name")),
        "cluster_cities": list(programme.cluster_cities.order_by("name")),
        "sectors": list(programme.sectors.order_by("name")),
        "participants": list(participant_list(actor=actor, programme=programme)),
    }
