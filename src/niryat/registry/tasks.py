"""Background work of the registry: import runs and the duplicate search."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_tasks import task

from niryat.core.jobs import job_failed, job_progress, job_started, job_succeeded
from niryat.core.models import Job
from niryat.registry.duplicates import duplicates_find
from niryat.registry.importing.pipeline import batch_path, run_import
from niryat.registry.importing.reading import FileRefused, estimate_rows
from niryat.registry.models import ImportBatch


@task()
def import_run(job_id: str) -> None:
    """Check or import a batch, reporting rows done; resumes an import that was interrupted."""
    params = Job.objects.filter(pk=job_id).values_list("parameters", flat=True).first() or {}
    batch = ImportBatch.objects.filter(pk=int(params.get("batch_id") or 0)).first()
    total = estimate_rows(batch_path(batch)) if batch else 0
    job = job_started(job_id, total=total)
    if job is None or batch is None:
        return
    try:
        batch = run_import(
            batch.pk, dry_run=bool(params["dry_run"]), actor=job.owner,
            progress=lambda done: job_progress(job_id, done, max(done, total)),
        )
    except FileRefused as error:
        job_failed(job_id, error.default, error.translations)
        return
    except Exception as error:
        job_failed(job_id, f"{type(error).__name__}: {error}")
        raise
    job_progress(job_id, batch.rows_read, batch.rows_read)
    counts = {"new": batch.new, "updated": batch.updated, "unchanged": batch.unchanged, "rejected": batch.rejected}
    job_succeeded(job_id, message=lambda: _("%(new)s new, %(updated)s updated, %(unchanged)s unchanged, "
                                            "%(rejected)s rejected") % counts)


@task()
def duplicates_search(job_id: str) -> None:
    """Look for duplicates over the registry (derived data: running it again is harmless)."""
    if job_started(job_id, total=1) is None:
        return
    try:
        found = duplicates_find()
    except Exception as error:
        job_failed(job_id, f"{type(error).__name__}: {error}")
        raise
    job_progress(job_id, 1, 1)
    job_succeeded(job_id, message=lambda: _("Possible duplicates found: %(found)s") % {"found": found})
