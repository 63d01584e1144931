"""How taking part in programmes widens what an organisation's members may see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from niryat.core.context import remembered
from niryat.programmes.models import Participant


def programme_links(own: set[int]) -> frozenset[tuple[int, int]]:
    """(office, participant) of every participation in a programme that these organisations
    run or take part in; read once per request (the general scope and the registry's ask)."""
    if not own:
        return frozenset()
    return remembered(("programmes.links", frozenset(own)), lambda: frozenset(
        Participant.objects.filter(Q(programme__office_id__in=own) | Q(organisation_id__in=own))
        .values_list("programme__office_id", "organisation_id")
    ))


def participants_of_programmes_run_by(own: set[int]) -> set[int]:
    """Organisations taking part in the programmes that these organisations run."""
    return {participant for office, participant in programme_links(own) if office in own}


def programme_organisation_ids(actor: Any, own: set[int]) -> Iterable[int]:
    """A programme office sees every organisation in its programmes; others see the offices.

    Facilitators, trainers and partners see the office running each programme they are
    in, not each other: a facilitator's MSMEs stay its own.
    """
    return {participant if office in own else office
            for office, participant in programme_links(own)}


def programme_visibility(own: set[int]) -> Q:
    """Programmes an actor with these organisations may see: those run by them or joined."""
    return Q(office_id__in=own) | Q(participants__organisation_id__in=own)
