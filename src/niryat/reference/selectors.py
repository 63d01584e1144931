"""Reads of reference data. It is public, so ``actor`` does not narrow it; it is taken for
the same call shape as every other selector (and in case that ever changes)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import get_language

from niryat.core.context import remembered
from niryat.core.i18n import pick
from niryat.reference.models import Country, District, HsCode, ReferenceVersion, Sector, State

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


# --------------------------------------------------------------------------------------------
# Choices for forms, built once per process and language, not per request: the district list
# has 784 entries. Kept under the reference version (one small query per request), so a
# reload by another process is seen; a change made in this process also forgets them.

Choices = list[tuple[str, str]]


class _ChoiceCache:
    """The choices of this process, for one reference version, by (kind, language)."""

    def __init__(self) -> None:
        self.version: int | None = None
        self.entries: dict[tuple[str, str], Choices] = {}

    def get(self, kind: str, build: Callable[[], Choices]) -> Choices:
        version = reference_version()
        if version != self.version:
            self.forget()
            self.version = version
        key = (kind, get_language() or "en")
        if key not in self.entries:
            self.entries[key] = build()
        return self.entries[key]

    def forget(self) -> None:
        self.version = None
        self.entries = {}


_choices = _ChoiceCache()


def reference_version() -> int:
    """The number of the reference data's current state (``ReferenceVersion``), once a request."""
    return remembered("reference.version", lambda: ReferenceVersion.objects.filter(pk=1).values_list(
        "number", flat=True).first() or 0)


def forget_choices() -> None:
    """Drop this process's choices (reference data changed here)."""
    _choices.forget()


def district_choices(*, actor: Any) -> Choices:
    """(LGD code, "District, State (code)") of every district, by state and name."""
    def build() -> Choices:
        rows = District.objects.order_by("state__name", "name").values_list(
            "lgd_code", "name", "name_hi", "state__name", "state__name_hi")
        return [(str(code), f"{pick(name, name_hi)}, {pick(state, state_hi)} ({code})")
                for code, name, name_hi, state, state_hi in rows]

    return _choices.get("districts", build)


def sector_choices(*, actor: Any) -> Choices:
    """(slug, name) of every sector, by name."""
    def build() -> Choices:
        rows = Sector.objects.order_by("name").values_list("slug", "name", "name_hi")
        return [(slug, pick(name, name_hi)) for slug, name, name_hi in rows]

    return _choices.get("sectors", build)
