from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from niryat.core.models import Job


def job_list(*, actor: Any) -> QuerySet[Job]:
    """The jobs a person started; nobody sees anyone else's."""
    return Job.objects.filter(owner=actor)


def job_get(*, actor: Any, job_id: Any) -> Job:
    """One of the actor's jobs, or 404."""
    return get_object_or_404(job_list(actor=actor), pk=job_id)
