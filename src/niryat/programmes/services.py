"""Writes to programmes and their participants. Each one is audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction

from niryat.accounts.models import Organisation, OrganisationKind
from niryat.audit.services import record
from niryat.programmes.models import Participant, Programme


class ProgrammeError(ValueError):
    """A programme change that breaks a rule; the message says which."""


@transaction.atomic
def programme_create(
    *,
    actor: Any,
    office: Organisation,
    slug: str,
    name: str,
    name_hi: str = "",
    summary: str = "",
    summary_hi: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    state_codes: Iterable[int] = (),
    district_codes: Iterable[int] = (),
    cluster_slugs: Iterable[str] = (),
    sector_slugs: Iterable[str] = (),
) -> Programme:
    """Define a programme run by ``office`` with its geography and sectors."""
    if office.kind != OrganisationKind.PROGRAMME_OFFICE:
        raise ProgrammeError(f"{office} is not a programme office.")
    if starts_on and ends_on and ends_on < starts_on:
        raise ProgrammeError("The programme cannot end before it starts.")
    programme = Programme.objects.create(
        office=office, slug=slug, name=name, name_hi=name_hi, summary=summary,
        summary_hi=summary_hi, starts_on=starts_on, ends_on=ends_on,
    )
    programme.states.set(list(state_codes))
    programme.districts.set(list(district_codes))
    # Slug primary keys: django-stubs types the pks of .set() as int only.
    programme.cluster_cities.set(list(cluster_slugs))  # type: ignore[arg-type]
    programme.sectors.set(list(sector_slugs))  # type: ignore[arg-type]
    record(
        actor,
        action="programmes.programme.created",
        target=programme,
        organisation=office,
        changes={
            "name": [None, name],
            "states": [None, sorted(state_codes)],
            "districts": [None, sorted(district_codes)],
            "cluster_cities": [None, sorted(cluster_slugs)],
            "sectors": [None, sorted(sector_slugs)],
        },
    )
    return programme


@transaction.atomic
def participant_add(
    *, actor: Any, programme: Programme, organisation: Organisation, role: str
) -> Participant:
    """Let ``organisation`` take part in ``programme``; adding it again changes nothing."""
    if organisation.kind == OrganisationKind.PROGRAMME_OFFICE:
        raise ProgrammeError("A programme office runs programmes; it does not take part in one.")
    participant, created = Participant.objects.get_or_create(
        programme=programme, organisation=organisation, defaults={"role": role}
    )
    if created:
        record(
            actor,
            action="programmes.participant.added",
            target=participant,
            organisation=programme.office,
            changes={"organisation": [None, organisation.slug], "role": [None, role]},
        )
    return participant
