"""`niryat import enterprises FILE`: the same import as the web page, from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

from niryat.accounts.models import Organisation
from niryat.core.context import Origin, reset_origin, set_origin
from niryat.programmes.models import Programme
from niryat.registry.importing import report
from niryat.registry.importing.pipeline import run_import
from niryat.registry.importing.reading import FileRefused, estimate_rows
from niryat.registry.importing.services import import_batch_create
from niryat.registry.models import ImportBatch
from niryat.registry.services import RegistryError


def find_batch(path: Path, steward: Organisation) -> ImportBatch | None:
    """An unfinished import of the same file for the same steward: running again resumes it."""
    return (
        ImportBatch.objects.filter(steward=steward, original_name=str(path.resolve())[:255])
        .exclude(status__in=[ImportBatch.Status.DONE, ImportBatch.Status.FAILED])
        .filter(cursor__gt=0)
        .order_by("-created_at")
        .first()
    )


def import_file(path: Path, *, dry_run: bool, programme: str, steward: str, errors: Path | None) -> int:
    token = set_origin(Origin(channel="cli"))
    try:
        return _import_file(path, dry_run=dry_run, programme=programme, steward=steward, errors=errors)
    finally:
        reset_origin(token)


def _import_file(path: Path, *, dry_run: bool, programme: str, steward: str, errors: Path | None) -> int:
    if not path.is_file():
        print(f"niryat import: {path}: no such file", file=sys.stderr)
        return 2
    organisation: Organisation | None = None
    if steward:
        organisation = Organisation.objects.filter(slug=steward).first()
    elif programme:
        found = Programme.objects.select_related("office").filter(slug=programme).first()
        organisation = found.office if found else None
    if organisation is None:
        print("niryat import: name the owner with --steward ORG_SLUG or --programme SLUG "
              "(an existing one)", file=sys.stderr)
        return 2
    total = estimate_rows(path)
    batch = None if dry_run else find_batch(path, organisation)
    if batch is not None:
        print(f"resuming import #{batch.pk} after row {batch.cursor + 1}")
    else:
        try:
            with path.open("rb") as source:
                batch = import_batch_create(actor=None, steward=organisation, source=source,
                                            original_name=str(path.resolve()), programme_slug=programme)
        except (FileRefused, RegistryError) as error:
            print(f"niryat import: {error}", file=sys.stderr)
            return 1

    def progress(done: int) -> None:
        print(f"\r{done:,} / ~{total:,} rows", end="", file=sys.stderr, flush=True)

    try:
        batch = run_import(batch.pk, dry_run=dry_run, progress=progress)
    except FileRefused as error:
        print(f"\nniryat import: {error}", file=sys.stderr)
        return 1
    print(file=sys.stderr)
    print(f"{'dry run: ' if dry_run else ''}{batch.rows_read} rows: {batch.new} new, "
          f"{batch.updated} updated, {batch.unchanged} unchanged, {batch.rejected} rejected")
    if batch.unknown_columns:
        print("columns not imported (unknown): " + ", ".join(batch.unknown_columns))
    if errors is not None and batch.rejected:
        writer = report.write_xlsx if errors.suffix.lower() == ".xlsx" else report.write_csv
        count = writer(batch, errors, dry_run)
        print(f"{count} rejected rows with their errors written to {errors}")
    return 0
