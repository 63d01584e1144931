"""The import run: read the file in chunks, check each row, match, and write set-based.

Each chunk is checked with ``clean_enterprise`` (in worker processes for a large file,
see ``checking``), matched against the registry by Udyam number and GSTIN in a few
queries, and written in one transaction as plain rows (COPY on PostgreSQL, see
``core.db.insert_rows``) together with its audit event, its row problems and the batch's
counters and cursor. A dry run does the same without writing enterprises. A run that
stops half-way (crash, ``kill -9``) resumes from the cursor: committed chunks are
skipped, so nothing is duplicated.

New enterprises are audited once per chunk (``registry.import.rows_committed`` on the
batch, ADR 0003) and point at their batch; changes to known enterprises are audited per
enterprise with the fields that changed.
"""

from __future__ import annotations

import json
import os
from collections import namedtuple
from collections.abc import Callable, Iterator
from copy import copy
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from niryat.audit.services import record, record_many
from niryat.core.db import bulk_writes, column_in, db_now, insert_rows, reserve_ids, tables_refresh
from niryat.core.i18n import Translations, in_every_language
from niryat.registry.enrolments import enrol_imported, programme_for_steward
from niryat.registry.importing.checking import CheckedRow, checked_chunks
from niryat.registry.importing.reading import FileRefused, open_rows
from niryat.registry.importing.rows import GIVEN, ROW_FIELDS, SOURCES, NewRow, contact_values
from niryat.registry.importing.writer import ChunkWriter
from niryat.registry.models import Contact, Enterprise, ImportBatch, ImportProblem
from niryat.registry.services import (
    ENTERPRISE_FIELDS,
    SEARCH_COLUMNS,
    RegistryError,
    merged_search,
    search_columns,
)
from niryat.registry.validation import ReferenceIndex

CHUNK_ROWS = 2000
Progress = Callable[[int], None]
ENTERPRISE_COLUMNS = ["id", "steward_id", "import_batch_id", *ROW_FIELDS, "created_at", "updated_at"]
CONTACT_COLUMNS = ["enterprise_id", "name", "mobile", "email", "is_primary", "created_at", "updated_at"]
PROBLEM_COLUMNS = ["batch_id", "dry_run", "row_number", "field", "level", "message", "translations"]


def import_limit() -> int:
    return int(getattr(settings, "NIRYAT_IMPORT_MAX_BYTES", 200 * 1024 * 1024))


def import_workers(file_size: int) -> int:
    """Worker processes for checking a file of ``file_size`` bytes (1: check in this process)."""
    if file_size < int(getattr(settings, "NIRYAT_IMPORT_PARALLEL_BYTES", 8 * 1024 * 1024)):
        return 1
    configured = int(getattr(settings, "NIRYAT_IMPORT_WORKERS", 0))
    return configured or max(1, min(2, (os.cpu_count() or 1)))


def batch_programme_id(batch: ImportBatch) -> int | None:
    """The programme the batch's enterprises are enrolled in (checked when the batch was made)."""
    if not batch.programme_slug:
        return None
    return programme_for_steward(batch.programme_slug, batch.steward_id).pk


def batch_path(batch: ImportBatch) -> Path:
    return Path(settings.MEDIA_ROOT) / batch.file_path


@dataclass
class ChunkResult:
    """What one chunk came to; the writer turns it into rows and counters."""

    new: list[NewRow] = field(default_factory=list)
    # (key of the known enterprise, clean values, {field: [before, after]})
    changed: list[tuple[int, dict[str, Any], dict[str, list[Any]]]] = field(default_factory=list)
    unchanged: int = 0
    unchanged_ids: list[int] = field(default_factory=list)  # to enrol them in the batch's programme
    # row, field, level, message (default language), the message in the other languages
    problems: list[tuple[int, str, str, str, Translations]] = field(default_factory=list)
    rejected: int = 0
    first_row: int = 0
    last_row: int = 0


@dataclass
class FileKeys:
    """Identifiers seen earlier in the file, to reject a second row for the same enterprise.

    The keys are the checked identifiers read as base-36 numbers: exact (a GSTIN and the
    letters and digits of a Udyam number have a fixed layout), and a third smaller than the
    strings, which matters at a million rows (see docs/benchmarks.md).
    """

    udyam: dict[int, int] = field(default_factory=dict)
    gstin: dict[int, int] = field(default_factory=dict)

    def claim(self, values: dict[str, Any], row: int) -> tuple[str, int] | None:
        """The (field, earlier row) holding one of the row's identifiers; else remember them."""
        udyam, gstin = values.get("udyam_number"), values.get("gstin")
        # UDYAM-XX-00-0000000: the prefix and the hyphens are the same in every valid number.
        keys = [(name, key, seen) for name, key, seen in (
            ("udyam_number", int(udyam[6:].replace("-", ""), 36) if udyam else None, self.udyam),
            ("gstin", int(gstin, 36) if gstin else None, self.gstin)) if key is not None]
        for name, key, seen in keys:
            if seen.get(key, row) != row:
                return name, seen[key]
        for _name, key, seen in keys:
            seen[key] = row
        return None


def _repeated_in_file(name: str, earlier: int) -> tuple[str, Translations]:
    return in_every_language(lambda: _("The same %(label)s is in row %(row)d of this file.") % {
        "label": _("Udyam number") if name == "udyam_number" else _("GSTIN"), "row": earlier})


def classify(batch: ImportBatch, rows: list[CheckedRow], keys: FileKeys) -> ChunkResult:
    """Match one checked chunk against the file so far and the registry; no writes."""
    result = ChunkResult(first_row=rows[0][0], last_row=rows[-1][0]) if rows else ChunkResult()
    problems = result.problems
    checked: list[tuple[int, dict[str, Any], NewRow]] = []
    for row, values, found, prepared in rows:
        clash = keys.claim(values, row) if values is not None else None
        if clash:
            name, earlier = clash
            found.append((name, "error", *_repeated_in_file(name, earlier)))
        for name, level, message, translations in found:
            problems.append((row, name, level, message, translations))
        if values is None or prepared is None or clash:
            result.rejected += 1
            continue
        checked.append((row, values, prepared))

    udyams = [v["udyam_number"] for _, v, _p in checked if v["udyam_number"]]
    matched = _known(column_in("udyam_number", udyams)) if udyams else []
    # A GSTIN that an enterprise found by Udyam number holds is that enterprise's (GSTINs are
    # unique): only the others are looked up. A file that comes again is read once, not twice.
    held = {e.gstin for e in matched if e.gstin}
    gstins = [v["gstin"] for _, v, _p in checked if v["gstin"] and v["gstin"] not in held]
    if gstins:
        seen = {e.pk for e in matched}
        matched += [e for e in _known(column_in("gstin", gstins)) if e.pk not in seen]
    if not matched:  # the usual case for a new file: skip the per-row matching below
        result.new = [prepared for _, _v, prepared in checked]
        return result
    _match(batch, checked, matched, result)
    return result


# What matching needs of a known enterprise, read as plain tuples (no model instances).
Known = namedtuple(  # type: ignore[misc]
    "Known", ["pk", "steward_id", "merged_into_id", *ENTERPRISE_FIELDS, "other_licences"])
FIELDS_AT = slice(3, 3 + len(ENTERPRISE_FIELDS))  # where ENTERPRISE_FIELDS sit in a Known


# JSON columns are read as text and decoded through a small cache: a re-imported file's
# known enterprises mostly hold the same few values ("[]", "{}"), and decoding each row's
# was an eighth of a re-import's matching on SQLite (docs/benchmarks.md).
JSON_FIELDS = ("export_markets", "other_licences")
_KNOWN_FIELDS: list[str] = list(Known._fields)
_JSON_AT = [_KNOWN_FIELDS.index(name) for name in JSON_FIELDS]
_KNOWN_COLUMNS = [f"{name}_text" if name in JSON_FIELDS else name for name in _KNOWN_FIELDS]


@lru_cache(maxsize=4096)
def _decoded(text: str) -> Any:
    return json.loads(text)


def _json_value(text: str | None) -> Any:
    """The decoded value; a copy, so that no two rows share one list or dict."""
    return None if text is None else copy(_decoded(text))


def _known(condition: Any) -> list[Any]:
    rows = (Enterprise.objects.filter(condition)
            .annotate(**{f"{name}_text": Cast(name, TextField()) for name in JSON_FIELDS})
            .values_list(*_KNOWN_COLUMNS))
    known = []
    for row in rows:
        values = list(row)
        for at in _JSON_AT:
            values[at] = _json_value(values[at])
        known.append(Known._make(values))
    return known


def _match(batch: ImportBatch, checked: list[tuple[int, dict[str, Any], NewRow]], matched: list[Any],
           result: ChunkResult) -> None:
    by_udyam: dict[str, Any] = {}
    by_gstin: dict[str, Any] = {}
    # A merged duplicate keeps its identifiers as aliases: rows matching it go to the kept one.
    merged_into = [e.merged_into_id for e in matched if e.merged_into_id]
    kept = {e.pk: e for e in _known(column_in("id", merged_into))} if merged_into else {}

    def final(enterprise: Any) -> Any:
        if enterprise is not None and enterprise.merged_into_id:
            return kept.get(enterprise.merged_into_id, enterprise)
        return enterprise
    for enterprise in matched:
        if enterprise.udyam_number:
            by_udyam[enterprise.udyam_number] = enterprise
        if enterprise.gstin:
            by_gstin[enterprise.gstin] = enterprise
    contacts: dict[int, tuple[str, str, str]] = {
        enterprise_id: (name, mobile, email)
        for enterprise_id, name, mobile, email in Contact.objects.filter(
            column_in("enterprise_id", [e.pk for e in matched] + list(kept)), is_primary=True)
        .order_by("id").values_list("enterprise_id", "name", "mobile", "email")
    }
    blank_contact = ("", "", "")

    for row, values, prepared in checked:
        a = final(by_udyam.get(values["udyam_number"] or ""))
        b = final(by_gstin.get(values["gstin"] or ""))
        if a and b and a.pk != b.pk:
            result.rejected += 1
            result.problems.append((row, "gstin", "error", *in_every_language(lambda: _(
                "The Udyam number and the GSTIN belong to two different enterprises in the registry."))))
            continue
        match = a or b
        if match is None:
            result.new.append(prepared)
            continue
        if match.steward_id != batch.steward_id:
            result.rejected += 1
            result.problems.append((row, "udyam_number", "error", *in_every_language(lambda: _(
                "This enterprise is already in the registry under another organisation."))))
            continue
        _keep_what_the_row_leaves_blank(values, match)
        old_contact = contacts.get(match.pk, blank_contact)
        contact = contact_values(values)
        same_contact = all(not new or new == old for new, old in zip(contact.values(), old_contact, strict=True))
        if (same_contact and tuple(values[name] for name in ENTERPRISE_FIELDS) == match[FIELDS_AT]
                and values["other_licences"] == match.other_licences):
            result.unchanged += 1  # the usual case when a file comes again: nothing to compare further
            result.unchanged_ids.append(match.pk)
            continue
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
        if values["other_licences"] != match.other_licences:
            changes["other_licences"] = [match.other_licences, values["other_licences"]]
        for (key, value), old in zip(contact.items(), old_contact, strict=True):
            if value and old != value:
                changes[f"contact.{key}"] = [old, value]
        if changes:
            result.changed.append((match.pk, values, changes))
        else:
            result.unchanged += 1
            result.unchanged_ids.append(match.pk)


def _keep_what_the_row_leaves_blank(values: dict[str, Any], match: Any) -> None:
    """Fill the row's values with the known enterprise's where the row's cells are blank."""
    given = values[GIVEN]
    for name, sources in SOURCES.items():
        if not given.issuperset(sources):
            values[name] = getattr(match, name)
    if not values["size_as_of_given"] and (values["investment_paise"], values["turnover_paise"]) == (
            match.investment_paise, match.turnover_paise):
        values["size_as_of"] = match.size_as_of  # the same figures again: not a change of date
        values["size_class"] = match.size_class
    # Licence columns add or replace a kind's number; kinds the row leaves blank stay.
    values["other_licences"] = {**(match.other_licences or {}), **values.get("other_licences", {})}


def _write_new(batch: ImportBatch, new: list[NewRow], now: Any) -> list[int]:
    """Insert the chunk's new enterprises and their contacts as plain rows; returns their keys."""
    ids = reserve_ids(Enterprise, len(new))
    head = (batch.steward_id, batch.pk)
    insert_rows(Enterprise, ENTERPRISE_COLUMNS, (
        (pk, *head, *row, now, now) for pk, (row, _contact) in zip(ids, new, strict=True)))
    insert_rows(Contact, CONTACT_COLUMNS, (
        (pk, *contact, True, now, now) for pk, (_row, contact) in zip(ids, new, strict=True) if contact))
    return ids


def _write_changed(result: ChunkResult) -> list[Enterprise]:
    """Apply the changes to known enterprises (rare in a large file: model instances are fine)."""
    instances = Enterprise.objects.in_bulk([pk for pk, _values, _changes in result.changed])
    merged = merged_search(list(instances))
    updated: list[Enterprise] = []
    contact_updates: list[tuple[int, dict[str, str]]] = []
    for pk, values, changes in result.changed:
        enterprise = instances[pk]
        for name, (_old, new_value) in changes.items():
            if not name.startswith("contact."):
                setattr(enterprise, name, new_value)
        for column, text in search_columns(values, merged.get(pk)).items():
            setattr(enterprise, column, text)
        updated.append(enterprise)
        if any(name.startswith("contact.") for name in changes):
            contact_updates.append((pk, contact_values(values)))
    Enterprise.objects.bulk_update(updated, [*ENTERPRISE_FIELDS, "other_licences", *SEARCH_COLUMNS, "updated_at"],
                                   batch_size=1000)
    existing_contacts = {c.enterprise_id: c for c in Contact.objects.filter(
        enterprise__in=[pk for pk, _ in contact_updates], is_primary=True)}
    new_contacts, changed_contacts = [], []
    for pk, contact in contact_updates:
        current = existing_contacts.get(pk)
        if current is None:
            new_contacts.append(Contact(enterprise_id=pk, **contact))
        else:
            for key, value in contact.items():
                if value:
                    setattr(current, key, value)
            changed_contacts.append(current)
    Contact.objects.bulk_create(new_contacts)
    if changed_contacts:
        Contact.objects.bulk_update(changed_contacts, ["name", "mobile", "email"])
    return updated


def _write_problems(batch: ImportBatch, problems: list[tuple[int, str, str, str, Translations]],
                    dry_run: bool) -> None:
    if not problems:
        return
    insert_rows(ImportProblem, PROBLEM_COLUMNS, (
        (batch.pk, dry_run, row, name, level, message, json.dumps(translations, ensure_ascii=False))
        for row, name, level, message, translations in problems))


def write_chunk(batch: ImportBatch, result: ChunkResult, rows_in_chunk: int, actor: Any,
                programme_id: int | None = None) -> None:
    """Write one checked chunk, its audit events, problems, counters and cursor, atomically.

    With ``programme_id`` every enterprise of the chunk (new, updated or unchanged) is
    enrolled in that programme as well.
    """
    with transaction.atomic():
        now = db_now()
        ids = _write_new(batch, result.new, now) if result.new else []
        updated = _write_changed(result) if result.changed else []
        enrolled = enrol_imported(programme_id, [*ids, *(pk for pk, _v, _c in result.changed),
                                                 *result.unchanged_ids], batch.pk, now) if programme_id else 0
        source = {"import": batch.pk, "file": batch.original_name}
        record_many(actor, action="registry.enterprise.import_updated", organisation=batch.steward_id,
                    targets=[(e, {**source, **changes})
                             for e, (_pk, _values, changes) in zip(updated, result.changed, strict=True)])
        record(actor, action="registry.import.rows_committed", target=batch, organisation=batch.steward_id,
               changes={"rows": [result.first_row, result.last_row], "created": len(ids),
                        "enterprise_ids": [min(ids), max(ids)] if ids else [],
                        "updated": len(result.changed), "unchanged": result.unchanged,
                        "rejected": result.rejected, **({"enrolled": enrolled} if programme_id else {})})
        _write_problems(batch, result.problems, dry_run=False)
        ImportBatch.objects.filter(pk=batch.pk).update(
            cursor=F("cursor") + rows_in_chunk,
            rows_read=F("rows_read") + rows_in_chunk,
            new=F("new") + len(ids),
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
    # A RegistryError: the steward no longer takes part in the batch's programme.
    except (FileRefused, RegistryError) as error:
        refused = error if isinstance(error, FileRefused) else FileRefused(str(error))
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.FAILED, message=refused.default,
            message_translations=refused.translations)
        if isinstance(error, FileRefused):
            raise
        raise refused from error


def _run(batch: ImportBatch, *, dry_run: bool, actor: Any, progress: Progress | None) -> ImportBatch:
    table, rows = open_rows(batch_path(batch), import_limit())
    ref = ReferenceIndex.load()
    keys = FileKeys()
    today = date.today()
    workers = import_workers(batch.size)

    def checked(numbered: Iterator[tuple[int, list[str]]]) -> Iterator[list[CheckedRow]]:
        return checked_chunks(numbered, table.mapping, ref, today=today, size=CHUNK_ROWS, workers=workers)

    if dry_run:
        ImportProblem.objects.filter(batch=batch, dry_run=True).delete()
        ImportBatch.objects.filter(pk=batch.pk).update(
            rows_read=0, new=0, updated=0, unchanged=0, rejected=0, columns=table.columns,
            unknown_columns=table.unknown)
        return _dry_run(batch, checked(rows), keys, progress)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.IMPORTING)
    if batch.cursor == 0:
        ImportBatch.objects.filter(pk=batch.pk).update(
            rows_read=0, new=0, updated=0, unchanged=0, rejected=0,
            columns=table.columns, unknown_columns=table.unknown)
    skip = batch.cursor
    # Resume: the committed rows' identifiers are learnt again (nothing is written for them).
    for chunk in checked(islice(rows, skip)):
        for row, values, _problems, _prepared in chunk:
            if values is not None:
                keys.claim(values, row)
    done = skip
    programme_id = batch_programme_id(batch)

    def write(result: ChunkResult, rows_in_chunk: int) -> None:
        nonlocal done
        write_chunk(batch, result, rows_in_chunk, actor, programme_id)
        done += rows_in_chunk
        if progress:
            progress(done)

    # Not inside a caller's transaction: the thread's writes would escape it (and on SQLite
    # wait for its lock).
    if workers > 1 and settings.NIRYAT_IMPORT_WRITER_THREAD and not transaction.get_connection().in_atomic_block:
        writer = ChunkWriter(write)
        try:
            for chunk in checked(rows):
                writer.settle()
                writer.put(classify(batch, chunk, keys), len(chunk))
        except BaseException:
            writer.abandon()
            raise
        writer.close()
    else:
        with bulk_writes():
            for chunk in checked(rows):
                write(classify(batch, chunk, keys), len(chunk))
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.DONE)
    batch.refresh_from_db()
    if batch.new or batch.updated:
        tables_refresh([Enterprise, Contact])
    return batch


def _dry_run(batch: ImportBatch, checked: Iterator[list[CheckedRow]], keys: FileKeys,
             progress: Progress | None) -> ImportBatch:
    totals = {"rows_read": 0, "new": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    for chunk in checked:
        result = classify(batch, chunk, keys)
        with transaction.atomic():
            _write_problems(batch, result.problems, dry_run=True)
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
