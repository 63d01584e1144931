"""Starting background work and reporting its progress.

A domain service creates the Job in its own transaction (and audits that), then
the task is enqueued when that transaction commits. Tasks take the job's id, call
``job_started``/``job_progress``/``job_succeeded``/``job_failed``, and are
idempotent: a job that already finished is not run twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from niryat.core.i18n import Translations, in_every_language
from niryat.core.models import Job


def job_create(*, actor: Any, kind: str, label: Callable[[], str], task: Any, parameters: dict[str, Any]) -> Job:
    """Record a job for ``actor`` and enqueue ``task(job_id=…)`` once the transaction commits.

    ``label()`` words the job's name with ``gettext``; it is kept in every language, so the
    jobs page names it in each reader's own.
    """
    default, translations = in_every_language(label)
    job = Job.objects.create(owner=actor, kind=kind, label=default[:200],
                             label_translations=_cut(translations, 200), parameters=parameters)

    def enqueue() -> None:
        result = task.enqueue(job_id=str(job.id))
        Job.objects.filter(pk=job.pk, task_result_id="").update(task_result_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


def job_started(job_id: str, total: int = 0) -> Job | None:
    """Claim a job for this run; returns None when it finished or another worker runs it.

    The claim is one conditional UPDATE, so two workers given the same job cannot both
    start it.
    """
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), total=total, done=0
    )
    if not claimed:
        return None
    return Job.objects.get(pk=job_id)


def job_progress(job_id: str | uuid.UUID, done: int, total: int | None = None) -> None:
    values: dict[str, Any] = {"done": done}
    if total is not None:
        values["total"] = total
    Job.objects.filter(pk=job_id).update(**values)


def job_output_path(job: Job, filename: str) -> Path:
    """Where a job writes its result file (under MEDIA_ROOT, never served directly)."""
    folder = Path(settings.MEDIA_ROOT) / "jobs" / str(job.id)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / filename


Message = str | Callable[[], str]


def _cut(translations: Translations | None, length: int) -> Translations:
    return {language: text[:length] for language, text in (translations or {}).items()}


def _worded(message: Message, translations: Translations | None = None) -> dict[str, Any]:
    """A job's message: a function that words it with ``gettext`` is kept in every language;
    a text is kept with the ``translations`` given."""
    if callable(message):
        message, translations = in_every_language(message)
    return {"message": message[:2000], "message_translations": _cut(translations, 2000)}


def job_succeeded(job_id: str | uuid.UUID, message: Message = "", result: Path | None = None) -> None:
    values: dict[str, Any] = {
        "status": Job.Status.SUCCEEDED,
        "finished_at": timezone.now(),
        **_worded(message),
    }
    if result is not None:
        values["result_file"] = str(result.relative_to(settings.MEDIA_ROOT))
        values["result_name"] = result.name
    Job.objects.filter(pk=job_id).update(**values)


def job_failed(job_id: str | uuid.UUID, message: Message, translations: Translations | None = None) -> None:
    """Mark the job failed. ``message`` is worded as in ``job_succeeded``, or given with its
    ``translations`` already made (a refusal worded where it was found)."""
    Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, finished_at=timezone.now(),
                                         **_worded(message, translations))
