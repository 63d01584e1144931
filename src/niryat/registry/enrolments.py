"""Enrolling enterprises in programmes: one at a time (page, API) or a chunk of an import.

An enterprise can be enrolled only in a programme its steward runs or takes part in: the
programme's people then find it under the registry's programme filter.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from niryat.audit.services import record
from niryat.core.db import column_in, insert_rows
from niryat.programmes.models import Programme
from niryat.programmes.scoping import programme_visibility
from niryat.registry.models import Enrolment, Enterprise
from niryat.registry.services import RegistryError


def programmes_of_steward(steward_id: int) -> QuerySet[Programme]:
    """The programmes an organisation runs or takes part in: those it may enrol its enterprises in."""
    return Programme.objects.filter(programme_visibility({steward_id})).distinct().order_by("name")


def enterprise_programmes(enterprise: Enterprise) -> QuerySet[Programme]:
    """The programmes the enterprise is enrolled in, by name."""
    return Programme.objects.filter(
        pk__in=Enrolment.objects.filter(enterprise=enterprise).values("programme_id")).order_by("name")


def programme_for_steward(slug: str, steward_id: int) -> Programme:
    """The programme ``slug`` if the steward may enrol in it; a RegistryError that says why if not."""
    programme = programmes_of_steward(steward_id).filter(slug=slug).first()
    if programme is None:
        raise RegistryError(_("%(programme)s is not a programme this organisation runs or takes part in.")
                            % {"programme": slug}, field="programme")
    return programme


@transaction.atomic
def enrolment_add(*, actor: Any, enterprise: Enterprise, programme_slug: str) -> Enrolment:
    """Enrol the enterprise in a programme of its steward; enrolling it again changes nothing."""
    programme = programme_for_steward(programme_slug, enterprise.steward_id)
    enrolment, created = Enrolment.objects.get_or_create(
        programme=programme, enterprise=enterprise, defaults={"created_at": timezone.now()})
    if created:
        record(actor, action="registry.enterprise.enrolled", target=enterprise,
               organisation=enterprise.steward_id, changes={"programme": [None, programme.slug]})
    return enrolment


@transaction.atomic
def enrolment_remove(*, actor: Any, enterprise: Enterprise, programme_slug: str) -> bool:
    """Take the enterprise out of a programme; False if it was not enrolled."""
    deleted, _rows = Enrolment.objects.filter(enterprise=enterprise, programme__slug=programme_slug).delete()
    if deleted:
        record(actor, action="registry.enterprise.unenrolled", target=enterprise,
               organisation=enterprise.steward_id, changes={"programme": [programme_slug, None]})
    return bool(deleted)


def enrol_imported(programme_id: int, enterprise_ids: list[int], batch_id: int, now: Any) -> int:
    """Enrol a chunk of imported enterprises (set-based, inside the chunk's transaction).

    Those already enrolled are left as they are, so running an import again adds nothing.
    Returns how many were enrolled now; the chunk's audit event counts them.
    """
    if not enterprise_ids:
        return 0
    known = set(Enrolment.objects.filter(column_in("enterprise_id", enterprise_ids), programme_id=programme_id)
                .values_list("enterprise_id", flat=True))
    new = [pk for pk in dict.fromkeys(enterprise_ids) if pk not in known]
    insert_rows(Enrolment, ["programme_id", "enterprise_id", "import_batch_id", "created_at"],
                ((programme_id, pk, batch_id, now) for pk in new))
    return len(new)
