"""Starting imports: store the file, record the batch, and run the check or the import."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from niryat.accounts.models import Organisation
from niryat.audit.services import record
from niryat.core.jobs import job_create
from niryat.core.models import Job
from niryat.registry.enrolments import programme_for_steward
from niryat.registry.importing.pipeline import import_limit
from niryat.registry.importing.reading import FileRefused, open_rows
from niryat.registry.models import ImportBatch


class Readable(Protocol):
    """Anything with ``read(size)`` giving bytes: an open file, a Django upload."""

    def read(self, size: int = ..., /) -> bytes: ...


def too_large_message(limit: int) -> str:
    """What a person is told about a file over the import limit of ``limit`` bytes."""
    return _("The file is larger than the limit of %(limit)s; split it into smaller files.") % {
        "limit": filesizeformat(limit).strip()  # "200.0 MB"; strip: Hindi's unit ends in a space
    }


def store_upload(source: Readable, original_name: str) -> tuple[str, int]:
    """Copy an upload under MEDIA_ROOT/imports/, refusing it as soon as it passes the limit."""
    folder = Path(settings.MEDIA_ROOT) / "imports" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (get_valid_filename(Path(original_name).name) or "upload")
    limit = import_limit()
    written = 0
    with target.open("wb") as out:
        while block := source.read(1024 * 1024):
            written += len(block)
            if written > limit:
                out.close()
                shutil.rmtree(folder, ignore_errors=True)
                raise FileRefused(too_large_message(limit))
            out.write(block)
    try:
        # Refuse a wrong, empty or hostile file now, not later in the background run.
        _table, rows = open_rows(target, limit)
        if next(rows, None) is None:
            raise FileRefused(_("The file has a header row but no data rows."))
    except FileRefused:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return str(target.relative_to(settings.MEDIA_ROOT)), written


@transaction.atomic
def import_batch_create(
    *, actor: Any, steward: Organisation, source: Readable, original_name: str,
    programme_slug: str = "",
) -> ImportBatch:
    """Keep an uploaded file as a new import batch (nothing is imported yet).

    With ``programme_slug`` (a programme the steward runs or takes part in, else a
    RegistryError) the import enrols every enterprise of the file in that programme.
    """
    if programme_slug:
        programme_for_steward(programme_slug, steward.pk)
    path, size = store_upload(source, original_name)
    batch = ImportBatch.objects.create(
        steward=steward, created_by=actor if getattr(actor, "is_authenticated", False) else None,
        programme_slug=programme_slug, original_name=original_name[:255], file_path=path, size=size,
    )
    record(actor, action="registry.import.uploaded", target=batch, organisation=steward,
           changes={"file": [None, original_name], "size": [None, size]})
    return batch


@transaction.atomic
def import_batch_start(*, actor: Any, batch: ImportBatch, dry_run: bool) -> Job:
    """Run the dry run or the import of ``batch`` in the background; returns the job to watch."""
    from niryat.registry.tasks import import_run

    running = Job.objects.filter(
        kind="registry.import", parameters__batch_id=batch.pk,
        status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
    ).first()
    if running is not None:
        return running  # a second click waits for the same run instead of starting another
    job = job_create(
        actor=actor, kind="registry.import", task=import_run,
        label=lambda: (_("Check %(file)s") if dry_run else _("Import %(file)s")) % {"file": batch.original_name},
        parameters={"batch_id": batch.pk, "dry_run": dry_run},
    )
    record(actor, action="registry.import.checked" if dry_run else "registry.import.started",
           target=batch, organisation=batch.steward_id)
    return job
