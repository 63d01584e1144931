"""The import run: read the file in chunks, check each row, match, and write set-based.

Each chunk is checked with ``clean_enterprise``, matched against the registry by Udyam
number and GSTIN in two queries, and written in one transaction together with its
audit events, its row problems and the batch's counters and cursor. A dry run does
the same without writing enterprises. A run that stops half-way (crash, ``kill -9``)
resumes from the cursor: committed chunks are skipped, so nothing is duplicated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from niryat.audit.services import record_many
from niryat.registry.importing.reading import FileRefused, open_rows
from niryat.registry.models import Contact, Enterprise, ImportBatch, ImportProblem
from niryat.registry.services import ENTERPRISE_FIELDS, search_text
from niryat.registry.validation import Cleaned, ReferenceIndex, clean_enterprise

CHUNK_ROWS = 2000
Progress = Callable[[int], None]


def import_limit() -> int:
    return int(getattr(settings, "NIRYAT_IMPORT_MAX_BYTES", 200 * 1024 * 1024))


def batch_path(batch: ImportBatch) -> Path:
    return Path(settings.MEDIA_ROOT) / batch.file_path


@dataclass
class ChunkResult:
    """What one chunk came to; the writer turns it into rows and counters."""

    new: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    changed: list[tuple[Enterprise, dict[str, Any], dict[str, list[Any]]]] = field(default_factory=list)
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    rejected: int = 0


@dataclass
class FileKeys:
    """Identifiers seen earlier in the file, to reject a second row for the same enterprise."""

    udyam: dict[str, int] = field(default_factory=dict)
    gstin: dict[str, int] = field(default_factory=dict)

    def clash(self, values: dict[str, Any], row: int) -> tuple[str, int] | None:
        for key, seen in (("udyam_number", self.udyam), ("gstin", self.gstin)):
            value = values.get(key)
            if value and seen.get(value, row) != row:
                return key, seen[value]
        return None

    def remember(self, values: dict[str, Any], row: int) -> None:
        if values.get("udyam_number"):
            self.udyam.setdefault(values["udyam_number"], row)
        if values.get("gstin"):
            self.gstin.setdefault(values["gstin"], row)


def chunks(items: Iterator[tuple[int, dict[str, str]]], size: int) -> Iterator[list[tuple[int, dict[str, str]]]]:
    while chunk := list(islice(items, size)):
        yield chunk


def contact_values(values: dict[str, Any]) -> dict[str, str]:
    return {"name": values.get("contact_name") or "", "mobile": values.get("mobile") or "",
            "email": values.get("email") or ""}


def classify(
    batch: ImportBatch, rows: list[tuple[int, dict[str, str]]], ref: ReferenceIndex,
    keys: FileKeys, dry_run: bool,
) -> ChunkResult:
    """Check and match one chunk of rows; no writes."""
    result = ChunkResult()
    checked: list[tuple[int, Cleaned]] = []
    for row, raw in rows:
        cleaned = clean_enterprise(raw, ref)
        clash = keys.clash(cleaned.values, row) if cleaned.ok else None
        if clash:
            label = _("Udyam number") if clash[0] == "udyam_number" else _("GSTIN")
            cleaned.add(clash[0], "duplicate_in_file",
                        _("The same %(label)s is in row %(row)d of this file.") % {"label": label, "row": clash[1]})
        for problem in cleaned.problems:
            result.problems.append(ImportProblem(batch=batch, dry_run=dry_run, row_number=row,
                                                 field=problem.field, level=problem.level,
                                                 message=problem.message))
        if not cleaned.ok:
            result.rejected += 1
            continue
        keys.remember(cleaned.values, row)
        checked.append((row, cleaned))

    udyams = [c.values["udyam_number"] for _, c in checked if c.values.get("udyam_number")]
    gstins = [c.values["gstin"] for _, c in checked if c.values.get("gstin")]
    existing = Enterprise.objects.filter(udyam_number__in=udyams) | Enterprise.objects.filter(gstin__in=gstins)
    by_udyam: dict[str, Enterprise] = {}
    by_gstin: dict[str, Enterprise] = {}
    matched = list(existing)
    # A merged duplicate keeps its identifiers as aliases: rows matching it go to the kept one.
    kept = {e.pk: e for e in Enterprise.objects.filter(
        pk__in=[e.merged_into_id for e in matched if e.merged_into_id])}

    def final(enterprise: Enterprise | None) -> Enterprise | None:
        if enterprise is not None and enterprise.merged_into_id:
            return kept.get(enterprise.merged_into_id, enterprise)
        return enterprise
    for enterprise in matched:
        if enterprise.udyam_number:
            by_udyam[enterprise.udyam_number] = enterprise
        if enterprise.gstin:
            by_gstin[enterprise.gstin] = enterprise
    contacts: dict[int, dict[str, Any]] = {
        row["enterprise_id"]: dict(row)
        for row in Contact.objects.filter(enterprise__in=[e.pk for e in matched] + list(kept),
                                          is_primary=True)
        .order_by("id").values("enterprise_id", "name", "mobile", "email")
    }
    blank_contact: dict[str, Any] = {"name": "", "mobile": "", "email": ""}

    for row, cleaned in checked:
        values = cleaned.values
        a = final(by_udyam.get(values.get("udyam_number") or ""))
        b = final(by_gstin.get(values.get("gstin") or ""))
        if a and b and a.pk != b.pk:
            result.rejected += 1
            result.problems.append(ImportProblem(
                batch=batch, dry_run=dry_run, row_number=row, field="gstin", level="error",
                message=_("The Udyam number and the GSTIN belong to two different enterprises "
                          "in the registry.")))
            continue
        match = a or b
        if match is None:
            result.new.append((row, values))
            continue
        if match.steward_id != batch.steward_id:
            result.rejected += 1
            result.problems.append(ImportProblem(
                batch=batch, dry_run=dry_run, row_number=row, field="udyam_number", level="error",
                message=_("This enterprise is already in the registry under another organisation.")))
            continue
        if all(values.get(f) == getattr(match, f)
               for f in ("investment_paise", "turnover_paise", "size_class")):
            values["size_as_of"] = match.size_as_of  # same figures, same size: not a change
        changes = {}
        for name in ENTERPRISE_FIELDS:
            new_value = values.get(name)
            if name in {"udyam_number", "gstin"} and (
                not new_value  # a file without the column does not erase a known identifier
                or (new_value != getattr(match, name)
                    and (by_udyam if name == "udyam_number" else by_gstin).get(new_value))
            ):
                continue  # ...nor takes an identifier another (merged) record holds as an alias
            if getattr(match, name) != new_value:
                changes[name] = [getattr(match, name), new_value]
        old_contact = contacts.get(match.pk, blank_contact)
        for key, value in contact_values(values).items():
            if value and old_contact[key] != value:
                changes[f"contact.{key}"] = [old_contact[key], value]
        if changes:
            result.changed.append((match, values, changes))
        else:
            result.unchanged += 1
    return result


def write_chunk(batch: ImportBatch, result: ChunkResult, rows_in_chunk: int, actor: Any) -> None:
    """Write one checked chunk, its audit events, problems, counters and cursor, atomically."""
    with transaction.atomic():
        created = Enterprise.objects.bulk_create(
            [Enterprise(steward_id=batch.steward_id, search_text=search_text(values),
                        **{n: values.get(n) for n in ENTERPRISE_FIELDS}) for _, values in result.new],
            batch_size=1000,
        )
        Contact.objects.bulk_create(
            [Contact(enterprise=enterprise, **contact_values(values))
             for enterprise, (_, values) in zip(created, result.new, strict=True)
             if any(contact_values(values).values())],
            batch_size=1000,
        )
        updated: list[Enterprise] = []
        contact_updates: list[tuple[Enterprise, dict[str, str]]] = []
        for enterprise, values, changes in result.changed:
            for name, (_old, new_value) in changes.items():
                if not name.startswith("contact."):
                    setattr(enterprise, name, new_value)
            enterprise.search_text = search_text({**values})
            updated.append(enterprise)
            if any(name.startswith("contact.") for name in changes):
                contact_updates.append((enterprise, contact_values(values)))
        if updated:
            Enterprise.objects.bulk_update(updated, [*ENTERPRISE_FIELDS, "search_text", "updated_at"],
                                           batch_size=1000)
        existing_contacts = {c.enterprise_id: c for c in Contact.objects.filter(
            enterprise__in=[e for e, _ in contact_updates], is_primary=True)}
        new_contacts, changed_contacts = [], []
        for enterprise, contact in contact_updates:
            current = existing_contacts.get(enterprise.pk)
            if current is None:
                new_contacts.append(Contact(enterprise=enterprise, **contact))
            else:
                for key, value in contact.items():
                    if value:
                        setattr(current, key, value)
                changed_contacts.append(current)
        Contact.objects.bulk_create(new_contacts)
        if changed_contacts:
            Contact.objects.bulk_update(changed_contacts, ["name", "mobile", "email"])
        source = {"import": batch.pk, "file": batch.original_name}
        record_many(actor, action="registry.enterprise.imported", organisation=batch.steward_id,
                    targets=[(e, {**source, "created": True}) for e in created])
        record_many(actor, action="registry.enterprise.import_updated", organisation=batch.steward_id,
                    targets=[(e, {**source, **changes}) for e, _, changes in result.changed])
        ImportProblem.objects.bulk_create(result.problems, batch_size=2000)
        ImportBatch.objects.filter(pk=batch.pk).update(
            cursor=F("cursor") + rows_in_chunk,
            rows_read=F("rows_read") + rows_in_chunk,
            new=F("new") + len(created),
            updated=F("updated") + len(result.changed),
            unchanged=F("unchanged") + result.unchanged,
            rejected=F("rejected") + result.rejected,
        )


def run_import(batch_id: int, *, dry_run: bool, actor: Any = None, progress: Progress | None = None) -> ImportBatch:
    """Check (``dry_run``) or import a batch's file, resuming an interrupted import."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if not dry_run and batch.status == ImportBatch.Status.DONE:
        return batch  # idempotent: a finished import is not run again
    try:
        if not dry_run and batch.cursor == 0:
            # Read the whole file once before the first write, so a file that goes bad
            # half-way is refused with nothing written.
            for _row in open_rows(batch_path(batch), import_limit())[1]:
                pass
        return _run(batch, dry_run=dry_run, actor=actor, progress=progress)
    except FileRefused as error:
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.FAILED, message=str(error))
        raise


def _run(batch: ImportBatch, *, dry_run: bool, actor: Any, progress: Progress | None) -> ImportBatch:
    table, rows = open_rows(batch_path(batch), import_limit())
    ref = ReferenceIndex.load()
    keys = FileKeys()
    records = table.records(rows)
    if dry_run:
        ImportProblem.objects.filter(batch=batch, dry_run=True).delete()
        ImportBatch.objects.filter(pk=batch.pk).update(
            rows_read=0, new=0, updated=0, unchanged=0, rejected=0, columns=table.columns,
            unknown_columns=table.unknown)
        return _dry_run(batch, records, ref, keys, progress)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.IMPORTING)
    if batch.cursor == 0:
        ImportBatch.objects.filter(pk=batch.pk).update(
            rows_read=0, new=0, updated=0, unchanged=0, rejected=0,
            columns=table.columns, unknown_columns=table.unknown)
    skip = batch.cursor
    for row, raw in islice(records, skip):  # resume: rebuild the file's keys, write nothing
        cleaned = clean_enterprise(raw, ref)
        if cleaned.ok:
            keys.remember(cleaned.values, row)
    done = skip
    for chunk in chunks(records, CHUNK_ROWS):
        result = classify(batch, chunk, ref, keys, dry_run=False)
        write_chunk(batch, result, len(chunk), actor)
        done += len(chunk)
        if progress:
            progress(done)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.DONE)
    batch.refresh_from_db()
    return batch


def _dry_run(batch: ImportBatch, records: Iterator[tuple[int, dict[str, str]]], ref: ReferenceIndex,
             keys: FileKeys, progress: Progress | None) -> ImportBatch:
    totals = {"rows_read": 0, "new": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    for chunk in chunks(records, CHUNK_ROWS):
        result = classify(batch, chunk, ref, keys, dry_run=True)
        ImportProblem.objects.bulk_create(result.problems, batch_size=2000)
        totals["rows_read"] += len(chunk)
        totals["new"] += len(result.new)
        totals["updated"] += len(result.changed)
        totals["unchanged"] += result.unchanged
        totals["rejected"] += result.rejected
        if progress:
            progress(totals["rows_read"])
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.CHECKED, dry_run_done=True, **totals)
    batch.refresh_from_db()
    return batch
