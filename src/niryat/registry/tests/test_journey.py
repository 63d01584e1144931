"""The registry's journey through its pages, as the issue's "done when" tells it.

A facilitator imports a district list from Excel with Hindi and English names, sees the
dry-run counts, fixes the rejected rows from the error report, imports them again, looks for
duplicates, merges one, and finds the merged enterprise with the history of both.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from niryat.registry.models import DuplicateCandidate, Enterprise, ImportBatch
from niryat.registry.tests.helpers import LIST_COLUMNS, district_list_row, gstin, pan, xlsx_bytes

pytestmark = pytest.mark.django_db
COLUMNS = LIST_COLUMNS
line = district_list_row


def xlsx(rows: list[list[str]]) -> SimpleUploadedFile:
    return SimpleUploadedFile("varanasi-district-list.xlsx", xlsx_bytes(rows))


def upload(client: Client, file: SimpleUploadedFile, capture: Any) -> ImportBatch:
    with capture(execute=True):  # the dry run runs as a task once the upload is saved
        response = client.post(reverse("registry:import-upload"), {"file": file})
    assert response.status_code == 302, response.content.decode()
    return ImportBatch.objects.order_by("pk").last()  # type: ignore[return-value]


def counts(client: Client, batch: ImportBatch) -> tuple[int, int, int, int]:
    shown = client.get(reverse("registry:import-detail", args=[batch.pk])).context["batch"]
    return shown.new, shown.updated, shown.unchanged, shown.rejected


def test_import_fix_import_again_and_merge_the_duplicates(actor: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = Client(headers={"accept-language": "en"})
    client.force_login(actor)
    ganga_gstin = gstin(pan(4), "09")
    rows = [
        line(1, "Shree Ganesh Handicrafts Pvt Ltd", "श्री गणेश हस्तशिल्प", "9876500001"),
        line(2, "Kashi Silk Weavers", "काशी सिल्क बुनकर", "9876500002"),
        line(3, "Banaras Brass Works", "", "9876500003", pincode="021001"),  # a PIN code cannot start with 0
        line(4, "Ganga Zari Udyog", "गंगा ज़री उद्योग", "9876500004",  # a mistyped check character
             gstin=ganga_gstin[:-1] + ("0" if ganga_gstin[-1] != "0" else "1")),
        # the same business as row 2 of the sheet, spelt another way, same district and mobile
        line(6, "Shri Ganesh Handicrafts Private Limited", "", "98765 00001"),
    ]
    batch = upload(client, xlsx(rows), django_capture_on_commit_callbacks)
    assert counts(client, batch) == (3, 0, 0, 2)
    assert not Enterprise.objects.exists()  # a dry run writes nothing
    hindi = Client(headers={"accept-language": "hi"})
    hindi.force_login(actor)
    page = hindi.get(reverse("registry:import-detail", args=[batch.pk])).content.decode()
    assert "नए होंगे" in page and "अस्वीकृत" in page  # the same counts, in Hindi

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:import-commit", args=[batch.pk]))
    assert counts(client, batch) == (3, 0, 0, 2) and Enterprise.objects.count() == 3

    report = client.get(reverse("registry:import-errors", args=[batch.pk, "csv"]))
    rejected = list(csv.DictReader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig"))))  # type: ignore[attr-defined]
    assert [(r["name"], bool(r["errors"])) for r in rejected] == [("Banaras Brass Works", True),
                                                                   ("Ganga Zari Udyog", True)]
    assert "PIN code" in rejected[0]["errors"] and "last character of this GSTIN" in rejected[1]["errors"]
    fixes = {"Banaras Brass Works": {"pincode": "221001"}, "Ganga Zari Udyog": {"gstin": ganga_gstin}}
    fixed = [[{**r, **fixes[r["name"]]}[column] for column in COLUMNS] for r in rejected]
    again = upload(client, xlsx(fixed), django_capture_on_commit_callbacks)
    assert counts(client, again) == (2, 0, 0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:import-commit", args=[again.pk]))
    assert Enterprise.objects.count() == 5

    with django_capture_on_commit_callbacks(execute=True):  # look for duplicates (a background job)
        client.post(reverse("registry:duplicate-list"))
    listed = client.get(reverse("registry:duplicate-list")).context["page"].object_list
    (candidate,) = listed
    assert {candidate.first.name, candidate.second.name} == {
        "Shree Ganesh Handicrafts Pvt Ltd", "Shri Ganesh Handicrafts Private Limited"}
    keep = candidate.first if candidate.first.name_hi else candidate.second
    decision = "keep_first" if keep == candidate.first else "keep_second"
    response = client.post(reverse("registry:duplicate-decide", args=[candidate.pk]), {"decision": decision})
    assert response["Location"] == reverse("registry:enterprise-detail", args=[keep.pk])
    assert DuplicateCandidate.objects.get().status == "merged"

    found = client.get(reverse("registry:enterprise-list"), {"q": "UDYAM-UP-65-0000006"})
    assert [e.pk for e in found.context["page"].object_list] == [keep.pk]
    history = [e.action for e in client.get(response["Location"]).context["history"]]
    assert "registry.enterprise.merged" in history and "registry.import.uploaded" in history
