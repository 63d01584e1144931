"""Import pages: upload → dry-run counts → import now; error reports and the template; 404 outside."""

from __future__ import annotations

import csv
import html
import io
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from niryat.accounts.models import Organisation, OrganisationKind
from niryat.accounts.tests.factories import member
from niryat.core.models import Job
from niryat.registry.importing.reading import TEMPLATE_COLUMNS
from niryat.registry.models import Enterprise, ImportBatch
from niryat.registry.tests.helpers import VARANASI, gstin, pan

pytestmark = pytest.mark.django_db
K = OrganisationKind
UPLOAD = reverse("registry:import-upload")
TEMPLATE = reverse("registry:import-template")


def detail(batch: ImportBatch) -> str:
    return reverse("registry:import-detail", args=[batch.pk])


def commit(batch: ImportBatch) -> str:
    return reverse("registry:import-commit", args=[batch.pk])


def errors(batch: ImportBatch, fmt: str) -> str:
    return reverse("registry:import-errors", args=[batch.pk, fmt])


def row(n: int, **changes: str) -> dict[str, str]:
    p = pan(n)
    return {"udyam_number": f"UDYAM-UP-65-{n:07d}", "name": f"Kashi Silk Weavers {n}",
            "name_hi": "काशी सिल्क बुनकर", "gstin": gstin(p, "09"), "pan": p,
            "district_lgd_code": str(VARANASI), "mobile": f"98765{n:05d}", "Remarks": "", **changes}


def csv_file(rows: list[dict[str, str]], name: str = "district-list.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8-sig"), content_type="text/csv")


ROWS = [row(1), row(2), row(3, mobile="12345"), row(4, gstin="=1+1", Remarks="@risky")]


@pytest.fixture
def facilitator() -> Any:
    return member(kind=K.FACILITATOR)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, django_capture_on_commit_callbacks: Any, file: SimpleUploadedFile) -> Any:
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(UPLOAD, {"file": file})


@pytest.fixture
def checked(facilitator: Any, django_capture_on_commit_callbacks: Any) -> ImportBatch:
    response = upload(client_for(facilitator), django_capture_on_commit_callbacks, csv_file(ROWS))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(batch)
    return batch


def test_the_upload_page(facilitator: Any) -> None:
    response = client_for(facilitator).get(UPLOAD)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html and TEMPLATE in html


def test_upload_runs_the_dry_run_and_shows_its_counts(facilitator: Any, checked: ImportBatch) -> None:
    checked.refresh_from_db()
    assert checked.status == ImportBatch.Status.CHECKED
    assert (checked.rows_read, checked.new, checked.updated, checked.unchanged, checked.rejected) == (4, 2, 0, 0, 2)
    assert checked.steward == Organisation.objects.get(memberships__user=facilitator)
    assert not Enterprise.objects.exists()
    job = Job.objects.get(kind="registry.import")
    assert job.parameters == {"batch_id": checked.pk, "dry_run": True} and job.owner == facilitator
    assert job.is_finished and job.done == 4
    response = client_for(facilitator).get(detail(checked))
    assert response.status_code == 200
    html = response.content.decode()
    assert "would be new" in html and "Remarks" in html  # the unknown column is named
    assert "12345 is not a valid phone number." in html
    assert errors(checked, "csv") in html and errors(checked, "xlsx") in html
    assert commit(checked) in html and "Import now (2 rows)" in html
    assert [p.row_number for p in response.context["problems"]] == [4, 5]


def test_the_job_is_named_in_each_readers_language(facilitator: Any, checked: ImportBatch) -> None:
    """The job was made by an English request; a Hindi reader sees its name in Hindi."""
    job = Job.objects.get(kind="registry.import")
    assert job.label == "Check district-list.csv"
    hindi = Client(headers={"accept-language": "hi"})
    hindi.force_login(facilitator)
    assert "district-list.csv की जाँच" in hindi.get(reverse("core:job-list")).content.decode()
    api = hindi.get(f"/api/v1/jobs/{job.pk}").json()
    assert api["label"] == "district-list.csv की जाँच"
    assert client_for(facilitator).get(f"/api/v1/jobs/{job.pk}").json()["label"] == "Check district-list.csv"


def test_the_jobs_outcome_is_told_in_each_readers_language(facilitator: Any, checked: ImportBatch) -> None:
    job = Job.objects.get(kind="registry.import")
    assert job.message == "2 new, 0 updated, 0 unchanged, 2 rejected"
    hindi = Client(headers={"accept-language": "hi"})
    hindi.force_login(facilitator)
    assert hindi.get(f"/api/v1/jobs/{job.pk}").json()["message"] == "2 नए, 0 अद्यतन, 0 अपरिवर्तित, 2 अस्वीकृत"
    english = client_for(facilitator).get(f"/api/v1/jobs/{job.pk}").json()
    assert english["message"] == "2 new, 0 updated, 0 unchanged, 2 rejected"


def test_import_now_commits(facilitator: Any, checked: ImportBatch, django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(commit(checked))
    assert response.status_code == 302 and response["Location"] == detail(checked)
    checked.refresh_from_db()
    assert checked.status == ImportBatch.Status.DONE and (checked.new, checked.rejected) == (2, 2)
    assert set(Enterprise.objects.values_list("name", flat=True)) == {"Kashi Silk Weavers 1", "Kashi Silk Weavers 2"}
    html = client.get(detail(checked)).content.decode()
    assert "Imported" in html and "would be new" not in html and "Import now" not in html
    # importing again does not import again
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(commit(checked), follow=True)
    assert "This file has already been imported." in again.content.decode()
    assert Enterprise.objects.count() == 2
    assert Job.objects.filter(kind="registry.import").count() == 2


def test_commit_is_post_only(facilitator: Any, checked: ImportBatch) -> None:
    assert client_for(facilitator).get(commit(checked)).status_code == 405
    assert not Enterprise.objects.exists()


def test_the_error_report_as_csv(facilitator: Any, checked: ImportBatch) -> None:
    response = client_for(facilitator).get(errors(checked, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="district-list-errors.csv"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert text.startswith("\ufeff")
    header, *lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert header == [*ROWS[0], "errors"]
    assert [line[0] for line in lines] == [ROWS[2]["udyam_number"], ROWS[3]["udyam_number"]]
    assert lines[1][header.index("gstin")] == "'=1+1" and lines[1][header.index("Remarks")] == "'@risky"
    assert "mobile:" in lines[0][-1]


def test_the_error_report_as_xlsx(facilitator: Any, checked: ImportBatch) -> None:
    response = client_for(facilitator).get(errors(checked, "xlsx"))
    assert response.status_code == 200
    assert "district-list-errors.xlsx" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    header, *lines = [[c.value for c in line] for line in sheet.iter_rows()]
    assert header == [*ROWS[0], "errors"] and len(lines) == 2
    assert lines[1][header.index("gstin")] == "'=1+1"


def test_the_xlsx_error_report_leaves_no_temporary_file(facilitator: Any, checked: ImportBatch,
                                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    response = client_for(facilitator).get(errors(checked, "xlsx"))
    b"".join(response.streaming_content)  # type: ignore[attr-defined]
    response.close()
    assert list(scratch.iterdir()) == []


def test_the_template_download(facilitator: Any) -> None:
    response = client_for(facilitator).get(TEMPLATE)
    assert response.status_code == 200
    assert "niryat-enterprises-template.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    header, example = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert header == TEMPLATE_COLUMNS and len(example) == len(header)


def test_the_template_imports_cleanly(facilitator: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(facilitator)
    template = client.get(TEMPLATE).content
    upload(client, django_capture_on_commit_callbacks,
           SimpleUploadedFile("template.csv", template, content_type="text/csv"))
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.new, batch.rejected, batch.unknown_columns) == ("checked", 1, 0, [])


def test_an_xlsx_upload(facilitator: Any, django_capture_on_commit_callbacks: Any) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["name", "name_hi", "district_lgd_code", "mobile", "udyam_number"])
    sheet.append(["Kashi Silk Weavers 1", "काशी सिल्क बुनकर", VARANASI, 9876500001, "UDYAM-UP-65-0000001"])
    sheet.append(["श्री गणेश हैंडीक्राफ्ट्स", None, VARANASI, 9876500002, None])
    out = io.BytesIO()
    workbook.save(out)
    client = client_for(facilitator)
    upload(client, django_capture_on_commit_callbacks, SimpleUploadedFile("list.xlsx", out.getvalue()))
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.new, batch.rejected) == ("checked", 2, 0)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(commit(batch))
    assert set(Enterprise.objects.values_list("name", "name_hi")) == {
        ("Kashi Silk Weavers 1", "काशी सिल्क बुनकर"), ("श्री गणेश हैंडीक्राफ्ट्स", "")}


@pytest.mark.parametrize("data, message", [
    (b"", "The submitted file is empty."),  # Django's own check of an empty upload
    (b"name,mobile\n", "no data rows"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not a CSV text file nor an Excel workbook"),
    (b"udyam_number\nUDYAM-UP-65-0000001\n", "one of them must be &#x27;name&#x27;"),
])
def test_a_refused_file_is_shown_on_the_form(facilitator: Any, media: Path, data: bytes, message: str,
                                             django_capture_on_commit_callbacks: Any) -> None:
    response = upload(client_for(facilitator), django_capture_on_commit_callbacks,
                      SimpleUploadedFile("list.csv", data))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists() and not Job.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("language, message", [
    ("en", "The file is larger than the limit of 1000\xa0bytes; split it into smaller files."),
    ("hi", "फ़ाइल 1000\xa0बाइट की सीमा से बड़ी है; इसे छोटी फ़ाइलों में बाँटें।"),
])
def test_a_file_over_the_limit_is_stopped_while_it_arrives(
    facilitator: Any, settings: Any, media: Path, monkeypatch: pytest.MonkeyPatch, language: str,
    message: str, django_capture_on_commit_callbacks: Any,
) -> None:
    settings.NIRYAT_IMPORT_MAX_BYTES = 1000

    def never(**kwargs: Any) -> None:
        raise AssertionError("the file reached the view")

    monkeypatch.setattr("niryat.registry.import_views.import_batch_create", never)
    client = client_for(facilitator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = upload(client, django_capture_on_commit_callbacks, csv_file([row(n) for n in range(1, 30)]))
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [message]}
    assert html.escape(message) in response.content.decode()
    assert not ImportBatch.objects.exists() and not Job.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_a_file_at_the_limit_is_taken(facilitator: Any, settings: Any,
                                      django_capture_on_commit_callbacks: Any) -> None:
    file = csv_file(ROWS)
    settings.NIRYAT_IMPORT_MAX_BYTES = file.size
    response = upload(client_for(facilitator), django_capture_on_commit_callbacks, file)
    assert response.status_code == 302 and ImportBatch.objects.get().size == file.size


def test_the_upload_still_checks_the_csrf_token(facilitator: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(facilitator)
    assert client.post(UPLOAD, {"file": csv_file(ROWS)}).status_code == 403
    assert not ImportBatch.objects.exists()


def test_another_facilitator_gets_404(checked: ImportBatch, django_capture_on_commit_callbacks: Any) -> None:
    other = client_for(member(kind=K.FACILITATOR))
    assert other.get(detail(checked)).status_code == 404
    assert other.get(errors(checked, "csv")).status_code == 404
    assert other.get(errors(checked, "xlsx")).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert other.post(commit(checked)).status_code == 404
    assert not Enterprise.objects.exists()
    assert checked.original_name not in other.get(UPLOAD).content.decode()  # not in their list


def test_the_upload_list_shows_own_batches(facilitator: Any, checked: ImportBatch) -> None:
    html = client_for(facilitator).get(UPLOAD).content.decode()
    assert detail(checked) in html


@pytest.mark.parametrize("kind", [K.TRAINER, K.MSME, K.MARKETPLACE])
def test_organisations_without_the_registry_get_404(kind: str, checked: ImportBatch) -> None:
    client = client_for(member(kind=kind))
    assert client.get(UPLOAD).status_code == 404
    assert client.post(UPLOAD, {"file": csv_file(ROWS)}).status_code == 404
    assert client.get(detail(checked)).status_code == 404
    assert client.get(errors(checked, "csv")).status_code == 404
    assert ImportBatch.objects.count() == 1


def test_signed_out_is_sent_to_sign_in(checked: ImportBatch) -> None:
    for url in (UPLOAD, detail(checked), errors(checked, "csv")):
        response = Client().get(url)
        assert response.status_code == 302 and "login" in response["Location"].lower()
