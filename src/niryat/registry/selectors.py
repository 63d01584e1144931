"""Reads of the registry, scoped by the actor: a facilitator sees only its own enterprises."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Subquery
from django.http import Http404

from niryat.accounts.models import Organisation
from niryat.accounts.permissions import MANAGE_REGISTRY, capability_organisation_ids
from niryat.accounts.scoping import get_in_scope, own_organisation_ids
from niryat.audit.models import AuditEvent
from niryat.india import identifiers
from niryat.india.names import name_key, query_words
from niryat.programmes.scoping import participants_of_programmes_run_by
from niryat.registry.models import DuplicateCandidate, Enterprise, ImportBatch


def steward_ids(actor: Any) -> set[int] | None:
    """Organisations whose enterprises ``actor`` sees (None: all, for platform administrators).

    Its own, and for a programme office the organisations taking part in the programmes it
    runs. Unlike the general scope, taking part in a programme does not open the office's
    own registry to a facilitator.
    """
    if actor.is_authenticated and actor.is_superuser:
        return None
    own = own_organisation_ids(actor)
    return own | participants_of_programmes_run_by(own)


def in_registry_scope(enterprises: QuerySet[Enterprise], actor: Any) -> QuerySet[Enterprise]:
    ids = steward_ids(actor)
    return enterprises if ids is None else enterprises.filter(steward_id__in=ids)


@dataclass(frozen=True)
class EnterpriseFilter:
    """What a list of enterprises is narrowed to; every field is optional."""

    q: str = ""
    district: int | None = None
    sector: str = ""
    size: str = ""
    steward: str = ""
    programme: str = ""


# A whole GSTIN (2 digits + 13 letters or digits) or Udyam number, as typed or compacted.
WHOLE_GSTIN_RE = re.compile(r"^[0-9]{2}[0-9A-Z]{13}$")
WHOLE_UDYAM_RE = re.compile(r"^UDYAM-[A-Z]{2}-[0-9]{2}-[0-9]{7}$")


def whole_identifier_condition(q: str) -> Q | None:
    """For a whole GSTIN or Udyam number: the same matches as the text search, through indexes.

    The text search (``search_text`` contains the term) reads every row in scope - about
    300 ms at a million enterprises when the other filters are broad (a sector). A whole
    GSTIN or Udyam number is in ``search_text`` as the enterprise's own number (unique
    indexes) or as the alias of a duplicate merged into it (only enterprises that kept a
    merge; a small set, through the partial index on ``merged_into``). Left out: a *name*
    that contains a complete GSTIN or Udyam number; any part of the number still finds it.
    """
    number = identifiers.compact(q, keep_dashes=True)
    if WHOLE_GSTIN_RE.match(number):
        own = Enterprise.objects.filter(gstin=number)
    elif WHOLE_UDYAM_RE.match(number):
        own = Enterprise.objects.filter(udyam_number=number)
    else:
        return None
    kept_merges = Enterprise.objects.filter(merged_into__isnull=False).values("merged_into_id")
    aliases = Enterprise.objects.filter(pk__in=kept_merges, search_text__contains=number.lower())
    # One set of ids (not an OR of conditions), so that each half is read through its index.
    return Q(pk__in=own.order_by().values("pk").union(aliases.order_by().values("pk")))


def search_condition(q: str) -> Q:
    """What a search term matches (ADR 0009).

    Words, with or without numbers ("ganesh handi", "unit 11"): each word of the term,
    normalised as names are (either script, spelling variants folded, "Pvt", "Shri" and the
    like left out), is the start of a word of one of the enterprise's names. Otherwise (letters
    and digits together as in an identifier, a mobile number, only numbers, only legal-form
    words): the term is a part of the search text, as typed, compacted like an identifier, or
    as a name key.
    """
    wanted = query_words(q)
    tokens = q.split()
    wordy = [token for token in tokens if not any(ch.isdigit() for ch in token)]
    numbers = [token for token in tokens if token.isdigit()]
    if wanted and wordy and len(wordy) + len(numbers) == len(tokens):
        return Q(search_words__word_prefixes=wanted)
    text = q.strip().lower()
    condition = Q(search_text__contains=text)
    compacted = identifiers.compact(q, keep_dashes=True).lower()
    if compacted != text:
        condition |= Q(search_text__contains=compacted)  # "24 AAPFU 0939F1Z1" as stored
    key = name_key(q)
    if key and key not in (text, compacted):
        condition |= Q(search_text__contains=key)  # the search text holds the name key
    return condition


def enterprise_list(*, actor: Any, filters: EnterpriseFilter | None = None) -> QuerySet[Enterprise]:
    """Enterprises the actor may see (merged duplicates left out), filtered and searched.

    Search matches names in either script (also transliterated) and any identifier.
    """
    f = filters or EnterpriseFilter()
    enterprises = in_registry_scope(Enterprise.objects.filter(merged_into__isnull=True), actor)
    whole_identifier = whole_identifier_condition(f.q) if f.q else None
    if whole_identifier is not None:
        enterprises = enterprises.filter(whole_identifier)
    elif f.q:
        enterprises = enterprises.filter(search_condition(f.q))
    if f.district:
        enterprises = enterprises.filter(district_id=f.district)
    if f.sector:
        enterprises = enterprises.filter(sector_id=f.sector)
    if f.size:
        enterprises = enterprises.filter(size_class=f.size)
    if f.steward:
        # The steward's id as a value (not a join), so that PostgreSQL can read the steward's
        # list in name order from enterprise_steward_list.
        steward = Organisation.objects.filter(slug=f.steward).values("pk")[:1]
        enterprises = enterprises.filter(steward_id=Subquery(steward))
    if f.programme:  # the enterprises enrolled in it (at most one enrolment each: no duplicates)
        enterprises = enterprises.filter(enrolments__programme__slug=f.programme)
    return enterprises.select_related("district", "sector", "steward").order_by("name", "id")


def enterprise_get(*, actor: Any, enterprise_id: int) -> Enterprise:
    """One enterprise the actor may see (a merged one too, to follow the merge), or 404."""
    enterprises = in_registry_scope(Enterprise.objects.all(), actor)
    return get_in_scope(
        enterprises.select_related("district__state", "sector", "steward", "odop_product",
                                   "merged_into"),
        pk=enterprise_id,
    )


def enterprise_merged_list(*, actor: Any, enterprise: Enterprise) -> QuerySet[Enterprise]:
    """The duplicates merged into ``enterprise`` that the actor may see, in the order merged."""
    return in_registry_scope(enterprise.merged.all(), actor).order_by("pk")


def enterprise_history(*, enterprise: Enterprise) -> QuerySet[AuditEvent]:
    """The audit events about an enterprise and the duplicates merged into it, oldest first.

    The caller has already scoped the enterprise.
    """
    ids = [str(enterprise.pk), *(str(pk) for pk in enterprise.merged.values_list("pk", flat=True))]
    about = Q(target_type="registry.enterprise", target_id__in=ids)
    if enterprise.import_batch_id:
        # Imported enterprises are audited per import (ADR 0003): who uploaded and started it.
        about |= Q(target_type="registry.importbatch", target_id=str(enterprise.import_batch_id),
                   action__in=["registry.import.uploaded", "registry.import.started"])
    return AuditEvent.objects.filter(about).order_by("at", "id")


def duplicate_list(*, actor: Any, status: str = "open") -> QuerySet[DuplicateCandidate]:
    """Candidate pairs whose two enterprises the actor may both see."""
    visible = in_registry_scope(Enterprise.objects.all(), actor).values("pk")
    return (
        DuplicateCandidate.objects.filter(status=status, first__in=visible, second__in=visible)
        .select_related("first__district", "second__district", "first__steward", "second__steward")
        .order_by("-score", "id")
    )


def duplicate_get(*, actor: Any, candidate_id: int) -> DuplicateCandidate:
    return get_in_scope(duplicate_list(actor=actor), pk=candidate_id)


def import_batch_list(*, actor: Any) -> QuerySet[ImportBatch]:
    """Imports of the organisations whose registry the actor sees, newest first."""
    ids = steward_ids(actor)
    batches = ImportBatch.objects.all()
    return (batches if ids is None else batches.filter(steward_id__in=ids)).order_by("-created_at")


def import_batch_get(*, actor: Any, batch_id: int) -> ImportBatch:
    return get_in_scope(import_batch_list(actor=actor), pk=batch_id)


def steward_for(actor: Any) -> Organisation:
    """The organisation a new enterprise is registered under: the actor's first that may."""
    ids = capability_organisation_ids(actor, MANAGE_REGISTRY)
    organisation = Organisation.objects.filter(pk__in=ids).order_by("pk").first()
    if organisation is None:
        raise Http404
    return organisation
