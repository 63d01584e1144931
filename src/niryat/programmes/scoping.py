"""How taking part in programmes widens what an organisation's members may see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from niryat.programmes.models import Participant, Programme


def programme_organisation_ids(actor: Any, own: set[int]) -> Iterable[int]:
    """A programme office sees every organisation in its programmes; others see the offices.

    Facilitators, trainers and partners see the office running each programme they are
    in, not each other: a facilitator's MSMEs stay its own.
    """
    if not own:
        return []
    run = Programme.objects.filter(office_id__in=own)
    participants = Participant.objects.filter(programme__in=run).values_list(
        "organisation_id", flat=True
    )
    offices = Programme.objects.filter(participants__organisation_id__in=own).values_list(
        "office_id", flat=True
    )
    return set(participants) | set(offices)


def programme_visibility(own: set[int]) -> Q:
    """Programmes an actor with these organisations may see: those run by them or joined."""
    return Q(office_id__in=own) | Q(participants__organisation_id__in=own)
