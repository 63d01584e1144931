"""Reads of programmes, scoped by the actor."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from niryat.accounts.scoping import get_in_scope, own_organisation_ids
from niryat.core.i18n import pick
from niryat.programmes.models import Participant, Programme
from niryat.programmes.scoping import programme_visibility


def visible_programmes(actor: Any) -> QuerySet[Programme]:
    """Programmes the actor runs or takes part in (all, for platform administrators)."""
    programmes = Programme.objects.all()
    if not (actor.is_authenticated and actor.is_superuser):
        programmes = programmes.filter(programme_visibility(own_organisation_ids(actor)))
    return programmes


def programme_choices(*, actor: Any) -> list[tuple[str, str]]:
    """(slug, name) of the programmes the actor sees, by name: the choices of a filter."""
    rows = visible_programmes(actor).distinct().order_by("name").values_list("slug", "name", "name_hi")
    return [(slug, pick(name, name_hi)) for slug, name, name_hi in rows]


def programme_list(*, actor: Any, search: str = "") -> QuerySet[Programme]:
    """Programmes the actor runs or takes part in (all, for platform administrators)."""
    programmes = visible_programmes(actor)
    if search:
        programmes = programmes.filter(Q(name__icontains=search) | Q(name_hi__icontains=search))
    # Counted in a subquery: counting over the visibility join would count only the
    # participations that matched the filter (a facilitator would see "1").
    participants = (
        Participant.objects.filter(programme=OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        programmes.distinct()
        .select_related("office")
        .annotate(
            participant_count=Coalesce(
                Subquery(participants, output_field=IntegerField()), 0
            )
        )
        .order_by("name")
    )


def programme_get(*, actor: Any, slug: str) -> Programme:
    return get_in_scope(programme_list(actor=actor), slug=slug)


def participant_list(*, actor: Any, programme: Programme) -> QuerySet[Participant]:
    """Who takes part in a programme: all of them for its office, otherwise the actor's own."""
    participants = programme.participants.select_related("organisation")
    own = own_organisation_ids(actor)
    if actor.is_superuser or programme.office_id in own:
        return participants
    return participants.filter(organisation_id__in=own)
