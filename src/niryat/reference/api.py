"""API of the reference data: states, districts, sectors, HS codes and countries.

Mounted by ``niryat.api.api`` at ``/api/v1/reference``; open to any authenticated
caller. Every list is paginated with ``PageNumberPages``.
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from niryat.core.apitools import PageNumberPages, request_actor
from niryat.reference import selectors
from niryat.reference.models import Country, District, HsCode, Sector, State

router = Router(tags=["reference"])


class StateOut(Schema):
    lgd_code: int
    name: str
    name_hi: str
    kind: State.Kind
    gst_code: str
    iso_code: str


class DistrictOut(Schema):
    lgd_code: int
    name: str
    name_hi: str
    state: int = Field(description="LGD code of the district's state.")

    @staticmethod
    def resolve_state(obj: District) -> int:
        return int(obj.state_id)


class SectorOut(Schema):
    slug: str
    name: str
    name_hi: str
    hs_chapters: str


class HsCodeOut(Schema):
    code: str
    level: int = Field(description="2 chapter, 4 heading, 6 subheading.")
    description: str
    parent: str | None = Field(description="Code of the entry one level up.")
    section: str

    @staticmethod
    def resolve_parent(obj: HsCode) -> str | None:
        return obj.parent_id


class CountryOut(Schema):
    iso2: str
    iso3: str
    numeric: str
    name: str


class DistrictFilter(Schema):
    state: int | None = Field(None, description="LGD code of the state.")
    q: str = Field("", max_length=100, description="Name contains (English or Hindi).")


class HsCodeFilter(Schema):
    q: str = Field("", max_length=100, description="Code prefix (digits) or words of the description.")
    level: int | None = Field(
        None, ge=2, le=6, multiple_of=2, description="Only chapters (2), headings (4) or subheadings (6)."
    )


class SearchFilter(Schema):
    q: str = Field("", max_length=100, description="Name contains, or an ISO code.")


@router.get("/states", response=list[StateOut])
@paginate(PageNumberPages)
def state_list(request: HttpRequest) -> QuerySet[State]:
    """Indian states and union territories (LGD codes)."""
    return selectors.state_list(actor=request_actor(request))


@router.get("/districts", response=list[DistrictOut])
@paginate(PageNumberPages)
def district_list(request: HttpRequest, filters: Query[DistrictFilter]) -> QuerySet[District]:
    """Districts (LGD codes), optionally of one state."""
    return selectors.district_list(actor=request_actor(request), state=filters.state, search=filters.q.strip())


@router.get("/sectors", response=list[SectorOut])
@paginate(PageNumberPages)
def sector_list(request: HttpRequest) -> QuerySet[Sector]:
    """Export sectors with their typical HS chapters."""
    return selectors.sector_list(actor=request_actor(request))


@router.get("/hs-codes", response=list[HsCodeOut])
@paginate(PageNumberPages)
def hs_code_list(request: HttpRequest, filters: Query[HsCodeFilter]) -> QuerySet[HsCode]:
    """The HS 2022 nomenclature, searched by code prefix or description."""
    return selectors.hs_code_list(actor=request_actor(request), search=filters.q, level=filters.level)


@router.get("/countries", response=list[CountryOut])
@paginate(PageNumberPages)
def country_list(request: HttpRequest, filters: Query[SearchFilter]) -> QuerySet[Country]:
    """Countries (ISO 3166-1)."""
    return selectors.country_list(actor=request_actor(request), search=filters.q)
