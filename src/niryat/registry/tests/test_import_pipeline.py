"""The import run: dry-run counts, commit, idempotence, matching, rejections, error report, resume.

Files are built in the test; batches are made with ``import_batch_create`` and run with
``run_import`` directly (the pages and the API start the same run as a task).
"""

from __future__ import annotations

import csv
import io
import os
import re
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from niryat.accounts.models import Organisation, OrganisationKind
from niryat.accounts.tests.factories import member
from niryat.audit.models import AuditEvent
from niryat.india.names import name_key
from niryat.registry.importing import pipeline, report
from niryat.registry.importing.pipeline import run_import
from niryat.registry.importing.reading import FileRefused
from niryat.registry.importing.services import import_batch_create
from niryat.registry.models import Contact, Enterprise, ImportBatch, ImportProblem
from niryat.registry.selectors import enterprise_history
from niryat.registry.tests.helpers import VARANASI, gstin, pan, register

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[4]
COLUMNS = ["udyam_number", "name", "name_hi", "gstin", "pan", "district_lgd_code", "sector", "mobile",
           "email", "pincode"]


def row(n: int, **changes: str) -> dict[str, str]:
    """The ``n``-th valid row (Varanasi, UP: Udyam UP, GST 09)."""
    p = pan(n)
    values = {
        "udyam_number": f"UDYAM-UP-65-{n:07d}", "name": f"Kashi Silk Weavers {n}", "name_hi": "",
        "gstin": gstin(p, "09"), "pan": p, "district_lgd_code": str(VARANASI),
        "sector": "textiles-apparel", "mobile": f"98765{n:05d}", "email": f"unit{n}@example.in",
        "pincode": "221001",
    }
    values.update(changes)
    return values


def csv_bytes(rows: list[dict[str, str]], columns: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or list(rows[0]), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def batch_of(actor: Any, steward: Organisation, data: bytes, name: str = "list.csv") -> ImportBatch:
    return import_batch_create(actor=actor, steward=steward, source=io.BytesIO(data), original_name=name)


def counts(batch: ImportBatch) -> tuple[int, int, int, int, int]:
    return batch.rows_read, batch.new, batch.updated, batch.unchanged, batch.rejected


def enterprise_events() -> int:
    return AuditEvent.objects.filter(target_type="registry.enterprise").count()


def problems(batch: ImportBatch, dry_run: bool) -> list[tuple[int, str, str]]:
    return list(ImportProblem.objects.filter(batch=batch, dry_run=dry_run, level="error")
                .values_list("row_number", "field", "message"))


# --- dry run, commit ----------------------------------------------------------------------------


@pytest.fixture
def mixed(actor: Any, steward: Organisation) -> ImportBatch:
    """Five rows: two new, one known and changed, one known and unchanged, one invalid."""
    register(actor, steward, **row(3))
    register(actor, steward, **row(4))
    Enterprise.objects.update(size_as_of=None)
    rows = [row(1), row(2), row(3, name="Kashi Silk Weavers Three"), row(4),
            row(5, gstin=row(5)["gstin"][:-1] + ("0" if row(5)["gstin"][-1] != "0" else "1"))]
    return batch_of(actor, steward, csv_bytes(rows))


def test_dry_run_counts_and_writes_no_enterprise(actor: Any, mixed: ImportBatch) -> None:
    before, events = Enterprise.objects.count(), enterprise_events()
    batch = run_import(mixed.pk, dry_run=True, actor=actor)
    assert counts(batch) == (5, 2, 1, 1, 1)
    assert batch.status == ImportBatch.Status.CHECKED and batch.dry_run_done
    assert batch.cursor == 0
    assert Enterprise.objects.count() == before and enterprise_events() == events
    assert Enterprise.objects.get(udyam_number=row(3)["udyam_number"]).name == "Kashi Silk Weavers 3"
    ((number, field, message),) = problems(batch, dry_run=True)
    assert (number, field) == (6, "gstin") and "last character" in message
    # checking again replaces the first check's problems, it does not add to them
    batch = run_import(mixed.pk, dry_run=True, actor=actor)
    assert counts(batch) == (5, 2, 1, 1, 1) and len(problems(batch, dry_run=True)) == 1


def test_commit_writes_and_audits(actor: Any, steward: Organisation, mixed: ImportBatch) -> None:
    run_import(mixed.pk, dry_run=True, actor=actor)
    batch = run_import(mixed.pk, dry_run=False, actor=actor)
    assert counts(batch) == (5, 2, 1, 1, 1)
    assert batch.status == ImportBatch.Status.DONE and batch.cursor == 5
    assert Enterprise.objects.count() == 4
    first = Enterprise.objects.get(udyam_number=row(1)["udyam_number"])
    assert first.steward == steward and first.gstin == row(1)["gstin"] and first.district_id == VARANASI
    assert first.name_key and "kashi" in first.search_text and "kasi" in first.search_words.split()
    contact = Contact.objects.get(enterprise=first)
    assert (contact.mobile, contact.email, contact.is_primary) == ("+919876500001", "unit1@example.in", True)
    (committed,) = AuditEvent.objects.filter(action="registry.import.rows_committed")
    assert committed.actor == actor and committed.target_id == str(batch.pk)
    assert committed.changes["created"] == 2 and committed.changes["rows"] == [2, 6]
    assert set(Enterprise.objects.filter(import_batch=batch).values_list("pk", flat=True)) <= set(
        range(committed.changes["enterprise_ids"][0], committed.changes["enterprise_ids"][1] + 1))
    assert first.import_batch_id == batch.pk
    history = [e.action for e in enterprise_history(enterprise=first)]
    assert history[0] == "registry.import.uploaded"  # the enterprise's history names its import
    (update,) = AuditEvent.objects.filter(action="registry.enterprise.import_updated")
    assert update.changes["name"] == ["Kashi Silk Weavers 3", "Kashi Silk Weavers Three"]
    assert problems(batch, dry_run=False) == problems(batch, dry_run=True)
    assert not Enterprise.objects.filter(udyam_number=row(5)["udyam_number"]).exists()


def test_a_finished_batch_is_not_run_again(actor: Any, mixed: ImportBatch) -> None:
    run_import(mixed.pk, dry_run=False, actor=actor)
    events = enterprise_events()
    batch = run_import(mixed.pk, dry_run=False, actor=actor)
    assert counts(batch) == (5, 2, 1, 1, 1) and enterprise_events() == events


def test_the_same_file_twice_changes_nothing(actor: Any, steward: Organisation) -> None:
    data = csv_bytes([row(n, name_hi="काशी सिल्क") for n in range(1, 8)]
                     + [row(8, pincode="012345")])
    first = run_import(batch_of(actor, steward, data).pk, dry_run=False, actor=actor)
    assert counts(first) == (8, 7, 0, 0, 1)
    snapshot = list(Enterprise.objects.order_by("pk").values())
    contacts = list(Contact.objects.order_by("pk").values())
    events = enterprise_events()
    again = batch_of(actor, steward, data)
    assert counts(run_import(again.pk, dry_run=True, actor=actor)) == (8, 0, 0, 7, 1)
    second = run_import(again.pk, dry_run=False, actor=actor)
    assert counts(second) == (8, 0, 0, 7, 1)
    assert list(Enterprise.objects.order_by("pk").values()) == snapshot
    assert list(Contact.objects.order_by("pk").values()) == contacts
    assert enterprise_events() == events


def test_a_file_that_comes_again_is_matched_by_udyam_number_alone(actor: Any, steward: Organisation) -> None:
    """Rows whose Udyam number finds an enterprise holding their GSTIN need no GSTIN lookup."""
    rows = [row(n) for n in range(1, 6)]
    run_import(batch_of(actor, steward, csv_bytes(rows)).pk, dry_run=False, actor=actor)
    other = register(actor, steward, **row(9, udyam_number=""))
    rows.append(row(6, gstin=other.gstin, pan=other.pan))  # a new Udyam number, a known GSTIN
    again = batch_of(actor, steward, csv_bytes(rows))
    with CaptureQueriesContext(connection) as queries:
        batch = run_import(again.pk, dry_run=True, actor=actor)
    assert counts(batch) == (6, 0, 1, 5, 0)  # the sixth row found its enterprise by GSTIN
    gstin_lookups = [q["sql"] for q in queries.captured_queries if re.search(r'"gstin" (= ANY|IN) ?\(', q["sql"])]
    assert len(gstin_lookups) == 1 and other.gstin in gstin_lookups[0]
    assert all(row(n)["gstin"] not in gstin_lookups[0] for n in range(1, 6))


def test_the_same_file_on_another_day_changes_nothing(actor: Any, steward: Organisation) -> None:
    data = csv_bytes([row(n, investment="2500000", turnover="10000000") for n in range(1, 4)],
                     columns=[*COLUMNS, "investment", "turnover"])
    run_import(batch_of(actor, steward, data).pk, dry_run=False, actor=actor)
    assert set(Enterprise.objects.values_list("size_class", flat=True)) == {"micro"}
    for enterprise in Enterprise.objects.all():  # as if that import ran yesterday
        Enterprise.objects.filter(pk=enterprise.pk).update(size_as_of=enterprise.size_as_of - timedelta(days=1))
    events = enterprise_events()
    second = run_import(batch_of(actor, steward, data).pk, dry_run=False, actor=actor)
    assert (second.updated, second.unchanged) == (0, 3)
    assert enterprise_events() == events


# --- matching ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["udyam_number", "gstin"])
def test_a_known_identifier_updates_that_enterprise(actor: Any, steward: Organisation, key: str) -> None:
    known = register(actor, steward, **{**row(1), "udyam_number": row(1)["udyam_number"] if key == "udyam_number"
                                        else "", "gstin": row(1)["gstin"] if key == "gstin" else ""})
    columns = ["name", "district_lgd_code", "pincode", key]
    data = csv_bytes([row(1, name="Kashi Silk Weavers Pvt Ltd", pincode="221002")], columns=columns)
    batch = run_import(batch_of(actor, steward, data).pk, dry_run=False, actor=actor)
    assert counts(batch) == (1, 0, 1, 0, 0)
    assert Enterprise.objects.count() == 1
    known.refresh_from_db()
    assert (known.name, known.pincode) == ("Kashi Silk Weavers Pvt Ltd", "221002")
    assert known.name_key == name_key("Kashi Silk Weavers") and "pvt ltd" in known.search_text
    assert known.search_words.split() == ["kasi", "silk", "veavers"]
    (event,) = AuditEvent.objects.filter(action="registry.enterprise.import_updated", target_id=str(known.pk))
    assert event.changes["name"] == ["Kashi Silk Weavers 1", "Kashi Silk Weavers Pvt Ltd"]
    assert event.changes["import"] == batch.pk
    # a file without the other identifier's column does not erase it
    other = "gstin" if key == "udyam_number" else "udyam_number"
    assert getattr(known, other) in (None, "")


def test_a_file_without_the_identifier_columns_does_not_erase_them(actor: Any, steward: Organisation) -> None:
    known = register(actor, steward, **row(1))
    data = csv_bytes([row(1, name="Kashi Silk Weavers Pvt Ltd")], columns=["udyam_number", "name"])
    run_import(batch_of(actor, steward, data).pk, dry_run=False, actor=actor)
    known.refresh_from_db()
    assert known.gstin == row(1)["gstin"] and known.name == "Kashi Silk Weavers Pvt Ltd"


def test_blank_cells_and_missing_columns_leave_what_the_registry_knows(actor: Any, steward: Organisation) -> None:
    known = register(actor, steward, **row(1), trade_name="Kashi Looms", address="12 Lahurabir",
                     investment="2500000", turnover="10000000", year_started="1998",
                     export_experience="direct", export_markets="US, AE")
    before = Enterprise.objects.filter(pk=known.pk).values().get()
    # a district list: the ten columns, the Hindi name and the e-mail left blank
    data = csv_bytes([row(1, email="")], columns=COLUMNS)
    batch = run_import(batch_of(actor, steward, data).pk, dry_run=False, actor=actor)
    assert counts(batch) == (1, 0, 0, 1, 0)
    assert Enterprise.objects.filter(pk=known.pk).values().get() == before
    assert known.contacts.get().email == row(1)["email"]
    # a cell with a value still updates its field, and only that field
    data = csv_bytes([row(1, pincode="221002", address="")], columns=[*COLUMNS, "address"])
    batch = run_import(batch_of(actor, steward, data).pk, dry_run=False, actor=actor)
    assert counts(batch) == (1, 0, 1, 0, 0)
    (event,) = AuditEvent.objects.filter(action="registry.enterprise.import_updated")
    assert set(event.changes) - {"import", "file"} == {"pincode"}
    known.refresh_from_db()
    assert (known.pincode, known.address, known.export_experience) == ("221002", "12 Lahurabir", "direct")


def test_the_figures_date_of_a_row_decides_the_size(actor: Any, steward: Organisation) -> None:
    # ₹2 crore investment, ₹8 crore turnover: small under the 2020 limits, micro from 1 April 2025
    figures = {"investment": "20000000", "turnover": "80000000"}
    data = csv_bytes([row(1, **figures, size_as_of="31/03/2025"), row(2, **figures, size_as_of="2025-04-01"),
                      row(3, **figures, size_as_of="2999-01-01"), row(4, **figures, size_as_of="March")],
                     columns=[*COLUMNS, "investment", "turnover", "size_as_of"])
    batch = run_import(batch_of(actor, steward, data).pk, dry_run=False, actor=actor)
    assert counts(batch) == (4, 2, 0, 0, 2)
    assert [(n, f) for n, f, _m in problems(batch, dry_run=False)] == [(4, "size_as_of"), (5, "size_as_of")]
    sizes = dict(Enterprise.objects.values_list("udyam_number", "size_class"))
    assert sizes == {row(1)["udyam_number"]: "small", row(2)["udyam_number"]: "micro"}
    # the same file again changes nothing; another date for the same figures does
    again = run_import(batch_of(actor, steward, data).pk, dry_run=False, actor=actor)
    assert counts(again) == (4, 0, 0, 2, 2)
    later = csv_bytes([row(1, **figures, size_as_of="2025-05-01")],
                      columns=[*COLUMNS, "investment", "turnover", "size_as_of"])
    assert counts(run_import(batch_of(actor, steward, later).pk, dry_run=False, actor=actor)) == (1, 0, 1, 0, 0)
    assert Enterprise.objects.get(udyam_number=row(1)["udyam_number"]).size_class == "micro"


def test_licence_columns_add_licences_and_keep_the_others(actor: Any, steward: Organisation) -> None:
    columns = [*COLUMNS, "licence_bis", "licence_apeda_rcmc"]
    data = csv_bytes([row(1, licence_bis="cm/l 1234567", licence_apeda_rcmc=""),
                      row(2, licence_bis="X" * 51)], columns=columns)
    batch = run_import(batch_of(actor, steward, data).pk, dry_run=False, actor=actor)
    assert counts(batch) == (2, 1, 0, 0, 1)
    assert [(n, f) for n, f, _m in problems(batch, dry_run=False)] == [(3, "other_licences.bis")]
    known = Enterprise.objects.get()
    assert known.other_licences == {"bis": "CM/L 1234567"}
    assert counts(run_import(batch_of(actor, steward, data).pk, dry_run=False, actor=actor)) == (2, 0, 0, 1, 1)
    more = csv_bytes([row(1, licence_bis="", licence_apeda_rcmc="RCMC/APEDA/01234")], columns=columns)
    assert counts(run_import(batch_of(actor, steward, more).pk, dry_run=False, actor=actor)) == (1, 0, 1, 0, 0)
    known.refresh_from_db()
    assert known.other_licences == {"apeda_rcmc": "RCMC/APEDA/01234", "bis": "CM/L 1234567"}
    (event,) = AuditEvent.objects.filter(action="registry.enterprise.import_updated")
    assert event.changes["other_licences"] == [{"bis": "CM/L 1234567"},
                                               {"apeda_rcmc": "RCMC/APEDA/01234", "bis": "CM/L 1234567"}]


def test_a_changed_mobile_updates_the_contact(actor: Any, steward: Organisation) -> None:
    known = register(actor, steward, **row(1))
    data = csv_bytes([row(1, mobile="9123456789")])
    batch = run_import(batch_of(actor, steward, data).pk, dry_run=False, actor=actor)
    assert (batch.updated, Contact.objects.count()) == (1, 1)
    assert known.contacts.get().mobile == "+919123456789"
    (event,) = AuditEvent.objects.filter(action="registry.enterprise.import_updated")
    assert event.changes["contact.mobile"] == ["+919876500001", "+919123456789"]


def test_udyam_and_gstin_of_two_different_enterprises_are_rejected(actor: Any, steward: Organisation) -> None:
    register(actor, steward, **row(1))
    register(actor, steward, **row(2))
    data = csv_bytes([row(1, gstin=row(2)["gstin"], pan=row(2)["pan"])])
    batch = run_import(batch_of(actor, steward, data).pk, dry_run=False, actor=actor)
    assert counts(batch) == (1, 0, 0, 0, 1)
    ((_number, field, message),) = problems(batch, dry_run=False)
    assert field == "gstin" and "two different enterprises" in message


def test_a_duplicate_udyam_in_the_file_rejects_the_second_row_naming_the_first(
        actor: Any, steward: Organisation) -> None:
    rows = [row(1), row(2), row(3, udyam_number=row(1)["udyam_number"]),
            row(4, gstin=row(2)["gstin"], pan=row(2)["pan"])]
    batch = run_import(batch_of(actor, steward, csv_bytes(rows)).pk, dry_run=True, actor=actor)
    assert counts(batch) == (4, 2, 0, 0, 2)
    assert problems(batch, dry_run=True) == [
        (4, "udyam_number", "The same Udyam number is in row 2 of this file."),
        (5, "gstin", "The same GSTIN is in row 3 of this file."),
    ]
    batch = run_import(batch.pk, dry_run=False, actor=actor)
    assert counts(batch) == (4, 2, 0, 0, 2) and Enterprise.objects.count() == 2


def test_an_enterprise_of_another_steward_is_rejected(actor: Any, steward: Organisation) -> None:
    stranger = member(kind=OrganisationKind.FACILITATOR)
    theirs = register(stranger, Organisation.objects.get(memberships__user=stranger), **row(1))
    register(stranger, theirs.steward, **{**row(2), "udyam_number": ""})
    rows = [row(1, name="Taken Over"), row(2, udyam_number="", name="Taken Over Too"), row(3)]
    batch = run_import(batch_of(actor, steward, csv_bytes(rows)).pk, dry_run=False, actor=actor)
    assert counts(batch) == (3, 1, 0, 0, 2)
    assert [(n, m) for n, _f, m in problems(batch, dry_run=False)] == [
        (2, "This enterprise is already in the registry under another organisation."),
        (3, "This enterprise is already in the registry under another organisation."),
    ]
    assert set(Enterprise.objects.filter(steward=theirs.steward).values_list("name", flat=True)) == {
        "Kashi Silk Weavers 1", "Kashi Silk Weavers 2"}


def test_warnings_are_kept_but_do_not_reject(actor: Any, steward: Organisation) -> None:
    data = csv_bytes([row(1, district_lgd_code="438")])  # Ahmedabad, Gujarat: UP numbers warn
    batch = run_import(batch_of(actor, steward, data).pk, dry_run=True, actor=actor)
    assert counts(batch) == (1, 1, 0, 0, 0)
    levels = set(ImportProblem.objects.filter(batch=batch).values_list("field", "level"))
    assert levels == {("gstin", "warning"), ("udyam_number", "warning")}


def test_an_odd_digit_rejects_the_row_instead_of_crashing(actor: Any, steward: Organisation) -> None:
    data = csv_bytes([row(1, district_lgd_code="18²"), row(2)])
    batch = run_import(batch_of(actor, steward, data).pk, dry_run=True, actor=actor)
    assert counts(batch) == (2, 1, 0, 0, 1)


BAD_LATE = b"Bad \x81\x8d row,,,,,187,,,,\n"  # neither UTF-8 nor Windows-1252, after 64 KB


def test_a_file_that_goes_bad_half_way_fails_the_dry_run(actor: Any, steward: Organisation) -> None:
    good = csv_bytes([row(n) for n in range(1, 1200)])
    assert len(good) > 64 * 1024
    batch = batch_of(actor, steward, good + BAD_LATE)
    with pytest.raises(FileRefused, match="is not in the file's text encoding"):
        run_import(batch.pk, dry_run=True, actor=actor)
    assert not Enterprise.objects.exists()


def test_a_file_that_goes_bad_half_way_marks_the_batch_failed(actor: Any, steward: Organisation) -> None:
    batch = batch_of(actor, steward, csv_bytes([row(n) for n in range(1, 1200)]) + BAD_LATE)
    with pytest.raises(FileRefused):
        run_import(batch.pk, dry_run=True, actor=actor)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and "text encoding" in batch.message


def test_why_a_file_went_bad_half_way_is_kept_in_english_and_hindi(actor: Any, steward: Organisation) -> None:
    """Found by a background run (no reader's language), read by a Hindi reader later."""
    batch = batch_of(actor, steward, csv_bytes([row(n) for n in range(1, 1200)]) + BAD_LATE)
    with translation.override("hi"), pytest.raises(FileRefused):
        run_import(batch.pk, dry_run=True, actor=actor)
    batch.refresh_from_db()
    assert batch.message.startswith("Line 1196 is not in the file's text encoding")
    with translation.override("hi"):
        assert batch.shown_message().startswith("पंक्ति 1196 फ़ाइल की टेक्स्ट एन्कोडिंग")
        page = Client(headers={"accept-language": "hi"})
        page.force_login(actor)
        html = page.get(reverse("registry:import-detail", args=[batch.pk])).content.decode()
    assert "पंक्ति 1196 फ़ाइल की टेक्स्ट एन्कोडिंग" in html
    assert batch.shown_message() == batch.message  # English for an English reader


def test_a_file_that_goes_bad_half_way_writes_nothing_on_commit(
        actor: Any, steward: Organisation, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 100)
    batch = batch_of(actor, steward, csv_bytes([row(n) for n in range(1, 1200)]) + BAD_LATE)
    with pytest.raises(FileRefused):
        run_import(batch.pk, dry_run=True, actor=actor)
    with pytest.raises(FileRefused):
        run_import(batch.pk, dry_run=False, actor=actor)
    assert not Enterprise.objects.exists()


def test_row_numbers_count_blank_lines_as_a_spreadsheet_does(actor: Any, steward: Organisation) -> None:
    data = csv_bytes([row(1)]) + b"\r\n" + csv_bytes([row(2, pincode="012345")]).split(b"\r\n", 1)[1]
    batch = run_import(batch_of(actor, steward, data).pk, dry_run=True, actor=actor)
    assert [n for n, _f, _m in problems(batch, dry_run=True)] == [4]  # header 1, row 2, blank 3


# --- the error report -------------------------------------------------------------------------


FORMULAS = {"name": "=HYPERLINK(\"http://x.example\",\"click\")", "gstin": "+91ABC", "pan": "@SUM(A1)",
            "email": "-2+3", "pincode": "=1+1"}


@pytest.fixture
def rejected(actor: Any, steward: Organisation) -> ImportBatch:
    rows = [row(1), row(2, **FORMULAS), row(3, mobile="12345", Remarks="ring after 5"),
            row(4, Remarks="=cmd|' /C calc'!A0")]
    data = csv_bytes(rows, columns=[*COLUMNS, "Remarks"])
    return run_import(batch_of(actor, steward, data).pk, dry_run=True, actor=actor)


def test_the_error_report_has_the_original_columns_and_only_rejected_rows(
        rejected: ImportBatch, tmp_path: Path) -> None:
    assert counts(rejected) == (4, 2, 0, 0, 2) and rejected.unknown_columns == ["Remarks"]
    path = tmp_path / "errors.csv"
    assert report.write_csv(rejected, path, dry_run=True) == 2
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 with a BOM as UTF-8
    header, *lines = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert header == [*COLUMNS, "Remarks", "errors"]
    assert len(lines) == 2
    assert lines[0][COLUMNS.index("udyam_number")] == row(2)["udyam_number"]
    assert lines[1][COLUMNS.index("udyam_number")] == row(3)["udyam_number"]
    assert lines[1][header.index("Remarks")] == "ring after 5"  # unknown columns kept as they were
    assert "mobile: 12345 is not a valid phone number." in lines[1][-1]
    assert "gstin:" in lines[0][-1] and "pan:" in lines[0][-1] and " | " in lines[0][-1]


def test_formulas_are_escaped_in_the_csv_report(rejected: ImportBatch, tmp_path: Path) -> None:
    path = tmp_path / "errors.csv"
    report.write_csv(rejected, path, dry_run=True)
    header, first, _second = list(csv.reader(path.open(encoding="utf-8-sig")))
    cells = dict(zip(header, first, strict=True))
    for column, value in FORMULAS.items():
        assert cells[column] == "'" + value, column
    assert not any(cell.startswith(("=", "+", "-", "@")) for line in (header, first, _second) for cell in line)


def test_formulas_are_escaped_in_the_xlsx_report(rejected: ImportBatch, tmp_path: Path) -> None:
    path = tmp_path / "errors.xlsx"
    assert report.write_xlsx(rejected, path, dry_run=True) == 2
    sheet = load_workbook(path).active
    assert sheet is not None
    header, first, second = [[c.value for c in line] for line in sheet.iter_rows()]
    assert header == [*COLUMNS, "Remarks", "errors"]
    cells = dict(zip(header, first, strict=True))
    for column, value in FORMULAS.items():
        assert cells[column] == "'" + value, column
    assert all(c.data_type != "f" for line in sheet.iter_rows() for c in line)  # no formula cells
    assert second[COLUMNS.index("udyam_number")] == row(3)["udyam_number"]


def test_the_error_report_of_the_commit_is_its_own(actor: Any, rejected: ImportBatch, tmp_path: Path) -> None:
    batch = run_import(rejected.pk, dry_run=False, actor=actor)
    assert report.write_csv(batch, tmp_path / "after.csv", dry_run=False) == 2
    assert Enterprise.objects.count() == 2  # row 4's formula-looking remark is in an unknown column


# --- crash and resume -------------------------------------------------------------------------


def resume_file() -> bytes:
    """23 rows: invalid ones and in-file duplicates on both sides of the crash (chunks of 5)."""
    rows = [row(n) for n in range(1, 24)]
    rows[4]["pincode"] = "0123"  # row 6, chunk 1: rejected
    rows[14] = row(15, udyam_number=row(2)["udyam_number"])  # row 16, chunk 3: same Udyam as row 3
    rows[19] = row(20, gstin=row(12)["gstin"], pan=row(12)["pan"])  # row 21, chunk 4: same GSTIN as row 13
    return csv_bytes(rows)


def test_a_crash_after_two_chunks_resumes_without_losing_or_duplicating(
        actor: Any, steward: Organisation, monkeypatch: pytest.MonkeyPatch) -> None:
    register(actor, steward, **row(7, name="Old Name"))  # row 8: updated
    Enterprise.objects.update(size_as_of=None)
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 5)
    batch = batch_of(actor, steward, resume_file())
    expected = counts(run_import(batch.pk, dry_run=True, actor=actor))
    assert expected == (23, 19, 1, 0, 3)

    real_write = pipeline.write_chunk
    calls: list[int] = []

    def crash_on_third(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("power cut")
        real_write(*args, **kwargs)

    monkeypatch.setattr(pipeline, "write_chunk", crash_on_third)
    with pytest.raises(RuntimeError, match="power cut"):
        run_import(batch.pk, dry_run=False, actor=actor)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTING and batch.cursor == 10
    assert Enterprise.objects.count() == 1 + 8  # the known one, and chunks 1-2 minus row 6

    monkeypatch.setattr(pipeline, "write_chunk", real_write)
    batch = run_import(batch.pk, dry_run=False, actor=actor)
    assert counts(batch) == expected
    assert batch.status == ImportBatch.Status.DONE and batch.cursor == 23
    assert Enterprise.objects.count() == 20
    assert not Enterprise.objects.values("udyam_number").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert not Enterprise.objects.values("gstin").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert [n for n, _f, _m in problems(batch, dry_run=False)] == [6, 16, 21]
    committed = AuditEvent.objects.filter(action="registry.import.rows_committed")
    assert sum(e.changes["created"] for e in committed) == 19
    assert AuditEvent.objects.filter(action="registry.enterprise.import_updated").count() == 1


def test_a_crash_inside_a_chunk_writes_none_of_it(actor: Any, steward: Organisation,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 5)
    batch = batch_of(actor, steward, resume_file())
    real_record = pipeline.record
    calls: list[int] = []

    def crash_in_second_chunk(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:  # chunk 2's audit event, after its enterprises are inserted
            raise RuntimeError("disk full")
        return real_record(*args, **kwargs)

    monkeypatch.setattr(pipeline, "record", crash_in_second_chunk)
    with pytest.raises(RuntimeError, match="disk full"):
        run_import(batch.pk, dry_run=False, actor=actor)
    batch.refresh_from_db()
    assert batch.cursor == 5 and batch.new == 4 and Enterprise.objects.count() == 4
    monkeypatch.setattr(pipeline, "record", real_record)
    batch = run_import(batch.pk, dry_run=False, actor=actor)
    assert counts(batch) == (23, 20, 0, 0, 3) and Enterprise.objects.count() == 20


# --- kill -9 in a real process ----------------------------------------------------------------


KILL_ROWS = 6000  # three chunks of 2,000; 1 row in 10 invalid
Query = Callable[[str], list[tuple[Any, ...]]]


def child_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NIRYAT_") and k != "DATABASE_URL"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(NIRYAT_DATA_DIR=str(data_dir), NIRYAT_DEMO="1", NIRYAT_TASK_BACKEND="immediate")
    return env


@contextmanager
def child_database(data_dir: Path) -> Iterator[tuple[dict[str, str], Query]]:
    """The child's environment and a read-only query on its database.

    SQLite: a file in the child's data folder. PostgreSQL (DATABASE_URL set, as under
    tools/with_postgres.py): a database of its own, created here and dropped afterwards.
    """
    env = child_env(data_dir)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        db = data_dir / "niryat.sqlite3"

        def sqlite_query(sql: str) -> list[tuple[Any, ...]]:
            connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
            try:
                return connection.execute(sql).fetchall()
            finally:
                connection.close()

        yield env, sqlite_query
        return
    import psycopg

    name = f"niryat_kill_{secrets.token_hex(4)}"
    env["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path="/" + name))
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def postgres_query(sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as connection:
            return [tuple(r) for r in connection.execute(sql).fetchall()]

    try:
        yield env, postgres_query
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# The demo imports its own registry first: look only at the test's steward.
UP_EPB = " WHERE steward_id = (SELECT id FROM accounts_organisation WHERE slug = 'up-epb')"


def cursor_now(query: Query) -> int:
    try:
        found = query("SELECT cursor FROM registry_importbatch" + UP_EPB)
    except Exception:  # locked for a moment, or the table not there yet
        return 0
    return int(found[0][0]) if found else 0


def vacuum_count(query: Query) -> int | None:
    """How often PostgreSQL vacuumed the enterprises by request (None on SQLite)."""
    try:
        found = query("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'registry_enterprise'")
    except Exception:  # SQLite has no such view
        return None
    return int(found[0][0])


def children_of(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` (Linux /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


@pytest.mark.parametrize("workers", [0, 2], ids=["checked-in-process", "checked-by-workers"])
def test_kill_9_in_the_middle_then_run_again_finishes_the_job(tmp_path: Path, workers: int) -> None:
    data_dir = tmp_path / "var"
    start = time.monotonic()
    with child_database(data_dir) as (env, query):
        if workers:
            env = {**env, "NIRYAT_IMPORT_PARALLEL_MB": "0", "NIRYAT_IMPORT_WORKERS": str(workers)}
        demo = subprocess.run([sys.executable, "-m", "niryat", "demo"], env=env, capture_output=True,
                              text=True, timeout=60, cwd=tmp_path)
        assert demo.returncode == 0, demo.stderr
        source = tmp_path / "enterprises.csv"
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(source), str(KILL_ROWS)],
                       check=True, timeout=30)
        command = [sys.executable, "-m", "niryat", "import", "enterprises", str(source), "--steward", "up-epb"]
        child = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        cursor = 0
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and child.poll() is None:
                cursor = cursor_now(query)
                if cursor > 0:
                    helpers = children_of(child.pid)
                    os.kill(child.pid, signal.SIGKILL)
                    break
                time.sleep(0.02)
        finally:
            if child.poll() is None and not cursor:
                child.kill()
            child.communicate(timeout=30)
        if not cursor or child.returncode != -signal.SIGKILL:
            pytest.skip("the import finished before it could be killed (machine too fast)")
        assert 0 < cursor < KILL_ROWS
        assert len(helpers) >= workers  # the checking workers (and multiprocessing's resource tracker)
        deadline = time.monotonic() + 10  # the checking workers end with the killed import
        while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in helpers):
            time.sleep(0.1)
        assert not any(Path(f"/proc/{pid}").exists() for pid in helpers)
        ((status, after_kill),) = query("SELECT status, cursor FROM registry_importbatch" + UP_EPB)
        assert status == "importing" and after_kill >= cursor
        assert query("SELECT COUNT(*) FROM registry_enterprise" + UP_EPB)[0][0] < KILL_ROWS * 9 // 10

        vacuums_before = vacuum_count(query)
        again = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert again.returncode == 0, again.stderr
        assert re.search(r"resuming import #\d+ after row", again.stdout)
        if vacuums_before is not None:  # PostgreSQL: the finished import refreshed the table
            assert vacuum_count(query) == vacuums_before + 1
        new, rejected = KILL_ROWS - KILL_ROWS // 10, KILL_ROWS // 10
        assert f"{KILL_ROWS} rows: {new} new, 0 updated, 0 unchanged, {rejected} rejected" in again.stdout
        assert query("SELECT COUNT(*) FROM registry_importbatch" + UP_EPB) == [(1,)]
        assert query("SELECT status, cursor FROM registry_importbatch" + UP_EPB) == [("done", KILL_ROWS)]
        assert query("SELECT COUNT(*), COUNT(DISTINCT udyam_number), COUNT(DISTINCT gstin) "
                     "FROM registry_enterprise" + UP_EPB) == [(new, new, new)]
        assert query("SELECT COUNT(*) FROM registry_enterprise WHERE import_batch_id = "
                     "(SELECT id FROM registry_importbatch" + UP_EPB + ")") == [(new,)]
    assert time.monotonic() - start < 60


# --- checking in worker processes --------------------------------------------------------------


def test_worker_processes_give_the_same_result(actor: Any, steward: Organisation, settings: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A large file is checked by spawned workers; results, order and problems are the same."""
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 5)
    data = resume_file()
    inline = run_import(batch_of(actor, steward, data).pk, dry_run=True, actor=actor)
    settings.NIRYAT_IMPORT_PARALLEL_BYTES = 0
    settings.NIRYAT_IMPORT_WORKERS = 2
    # The writer thread's own connection would not see this test's transaction (see test_writer).
    settings.NIRYAT_IMPORT_WRITER_THREAD = False
    assert pipeline.import_workers(len(data)) == 2
    parallel_batch = batch_of(actor, steward, data)
    checked = run_import(parallel_batch.pk, dry_run=True, actor=actor)
    assert counts(checked) == counts(inline) == (23, 20, 0, 0, 3)
    assert problems(checked, dry_run=True) == problems(inline, dry_run=True)
    imported = run_import(parallel_batch.pk, dry_run=False, actor=actor)
    assert counts(imported) == (23, 20, 0, 0, 3) and Enterprise.objects.count() == 20
    assert problems(imported, dry_run=False) == problems(inline, dry_run=True)


# --- problems in every language ---------------------------------------------------------------


@pytest.mark.parametrize("workers", [1, 2])
def test_problems_are_kept_in_english_and_hindi_whatever_language_the_run_had(
        actor: Any, steward: Organisation, settings: Any, workers: int) -> None:
    """A background worker has no reader's language: each message is stored in both."""
    settings.NIRYAT_IMPORT_WORKERS = workers
    settings.NIRYAT_IMPORT_PARALLEL_BYTES = 0  # the checking worker processes even for a small file
    rows = [row(1), row(2, pincode="021001"), row(3, udyam_number=row(1)["udyam_number"])]
    with translation.override("hi"):  # the run's language must not decide the stored one
        batch = run_import(batch_of(actor, steward, csv_bytes(rows)).pk, dry_run=True, actor=actor)
    stored = {p.row_number: p for p in ImportProblem.objects.filter(batch=batch)}
    assert stored[3].message == "A PIN code has six digits and does not start with 0."
    assert stored[4].message == "The same Udyam number is in row 2 of this file."
    with translation.override("hi"):
        hindi = {n: p.shown_message() for n, p in stored.items()}
        assert hindi[3] == translation.gettext("A PIN code has six digits and does not start with 0.")
        assert hindi[4] == translation.gettext("The same %(label)s is in row %(row)d of this file.") % {
            "label": translation.gettext("Udyam number"), "row": 2}
        assert all(re.search("[\u0900-\u097f]", text) for text in hindi.values())
        # the error report a Hindi reader downloads
        report_rows = list(report.rejected_rows(batch, dry_run=True))
    assert report_rows[1][-1] == f"pincode: {hindi[3]}"
    assert stored[3].shown_message() == stored[3].message  # English for an English reader
