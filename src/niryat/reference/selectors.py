"""Reads of reference data. It is public, so ``actor`` does not narrow it; it is taken for
the same call shape as every other selector (and in case that ever changes)."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q, QuerySet

from niryat.reference.models import Country, District, HsCode, Sector, State

HS_CODE_QUERY = re.compile(r"^[\d.\s]+$")


def state_list(*, actor: Any) -> QuerySet[State]:
    """Indian states and union territories, by name."""
    return State.objects.order_by("name")


def district_list(*, actor: Any, state: int | None = None, search: str = "") -> QuerySet[District]:
    """Districts by name, optionally of one state (LGD code) and matching ``search``."""
    districts = District.objects.all()
    if state is not None:
        districts = districts.filter(state_id=state)
    if search:
        districts = districts.filter(Q(name__icontains=search) | Q(name_hi__icontains=search))
    return districts.order_by("name", "lgd_code")


def sector_list(*, actor: Any) -> QuerySet[Sector]:
    """Export sectors, by name."""
    return Sector.objects.order_by("name")


def hs_code_list(*, actor: Any, search: str = "", level: int | None = None) -> QuerySet[HsCode]:
    """HS 2022 entries by code: digits search a code prefix ("6109", "6109.10"), words the description."""
    codes = HsCode.objects.all()
    if level is not None:
        codes = codes.filter(level=level)
    search = search.strip()
    if search and HS_CODE_QUERY.match(search):
        codes = codes.filter(code__startswith=re.sub(r"\D", "", search))
    elif search:
        codes = codes.filter(description__icontains=search)
    return codes.order_by("code")


def country_list(*, actor: Any, search: str = "") -> QuerySet[Country]:
    """Countries by name; ``search`` matches the name or an ISO code."""
    countries = Country.objects.all()
    search = search.strip()
    if search:
        countries = countries.filter(
            Q(name__icontains=search) | Q(iso2__iexact=search) | Q(iso3__iexact=search)
        )
    return countries.order_by("name")
