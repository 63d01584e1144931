"""Programmes built through ``programme_create`` and ``participant_add``."""

from __future__ import annotations

from typing import Any

import factory

from niryat.accounts.models import Organisation, OrganisationKind
from niryat.accounts.tests.factories import OrganisationFactory
from niryat.programmes import services
from niryat.programmes.models import Participant, Programme


class ProgrammeFactory(factory.Factory):
    class Meta:
        model = Programme

    office = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.PROGRAMME_OFFICE)
    slug = factory.Sequence(lambda n: f"programme-{n}")
    name = factory.Sequence(lambda n: f"Programme {n}")

    @classmethod
    def _create(cls, model_class: type[Programme], *args: Any, **kwargs: Any) -> Programme:
        return services.programme_create(actor=None, **kwargs)


def take_part(programme: Programme, organisation: Organisation, role: str | None = None) -> Participant:
    """``organisation`` takes part in ``programme`` in the role matching its kind."""
    return services.participant_add(
        actor=None, programme=programme, organisation=organisation, role=role or organisation.kind
    )
