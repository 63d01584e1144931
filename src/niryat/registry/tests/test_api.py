"""The registry API: enterprises (list, detail, create, update, history), identifier checks,
imports and duplicates — with the same scope (404 outside) and the error envelope."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from niryat.accounts.models import Organisation, OrganisationKind
from niryat.accounts.tests.factories import member
from niryat.api.tests.helpers import API, assert_error, assert_page, session_client, token_client
from niryat.audit.models import AuditEvent
from niryat.core.models import Job
from niryat.registry.duplicates import duplicates_find
from niryat.registry.importing.pipeline import run_import
from niryat.registry.importing.services import import_batch_create
from niryat.registry.models import DuplicateCandidate, Enterprise, ImportBatch
from niryat.registry.tests.helpers import AHMEDABAD, VARANASI, gstin, pan, register

pytestmark = pytest.mark.django_db
K = OrganisationKind
ENTERPRISES = f"{API}/enterprises"
IMPORTS = f"{API}/enterprises/imports"
DUPLICATES = f"{API}/enterprises/duplicates"
PAN = "ABCPE1234F"
BODY = {
    "name": "Banarasi Silk Udyog", "name_hi": "बनारसी सिल्क उद्योग", "udyam_number": "UDYAM-UP-65-0012345",
    "gstin": gstin(PAN, "09"), "district_lgd_code": str(VARANASI), "sector": "textiles-apparel",
    "pincode": "221001", "contact_name": "Sunita", "mobile": "98765 43210", "email": "sunita@example.in",
    "investment": "25,00,000", "turnover": "1,00,00,000", "year_started": "1998",
    "export_experience": "indirect", "export_markets": "US, ae",
}


@pytest.fixture
def api(actor: Any) -> Client:
    return token_client(actor)


def fields_of(error: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in error["fields"]:
        out.setdefault(item["field"], []).append(item["message"])
    return out


# --- list, detail -----------------------------------------------------------------------------


@pytest.fixture
def registry(actor: Any, steward: Organisation) -> list[Enterprise]:
    made = [register(actor, steward, name=f"Kashi Silk Weavers {n}", district_lgd_code=str(VARANASI),
                     sector="textiles-apparel", pan=pan(n)) for n in range(1, 28)]
    made.append(register(actor, steward, name="Amdavad Brass Works", district_lgd_code=str(AHMEDABAD),
                         sector="handicrafts", udyam_number="UDYAM-GJ-01-0000001"))
    return made


def test_the_list_is_a_page_with_filters(api: Client, registry: list[Enterprise]) -> None:
    body = api.get(ENTERPRISES).json()
    items = assert_page(body, count=28)
    assert len(items) == 25 and items[0]["name"] == "Amdavad Brass Works"
    second = assert_page(api.get(ENTERPRISES, {"page": 2}).json(), count=28, page=2)
    assert len(second) == 3
    by_district = assert_page(api.get(ENTERPRISES, {"district": AHMEDABAD}).json(), count=1)
    assert by_district[0]["district_lgd_code"] == AHMEDABAD and by_district[0]["sector"] == "handicrafts"
    assert assert_page(api.get(ENTERPRISES, {"sector": "textiles-apparel", "page_size": 5}).json(),
                       count=27, page_size=5)
    assert assert_page(api.get(ENTERPRISES, {"q": "UDYAM-GJ-01-0000001"}).json(), count=1)
    assert assert_page(api.get(ENTERPRISES, {"q": pan(3)}).json(), count=1)[0]["pan"] == pan(3)
    assert assert_page(api.get(ENTERPRISES, {"q": "weavers 1"}).json(), count=11)  # 1, 10-19
    assert_error(api.get(ENTERPRISES, {"page": 0}), 422, "invalid")


def test_the_list_shows_only_the_callers_enterprises(registry: list[Enterprise]) -> None:
    other = token_client(member(kind=K.FACILITATOR))
    assert_page(other.get(ENTERPRISES).json(), count=0)


def test_detail(api: Client, registry: list[Enterprise], steward: Organisation) -> None:
    enterprise = registry[-1]
    body = api.get(f"{ENTERPRISES}/{enterprise.pk}").json()
    assert body["id"] == enterprise.pk and body["udyam_number"] == "UDYAM-GJ-01-0000001"
    assert body["steward"] == steward.slug and body["merged_into"] is None
    assert body["export_experience"] == "none" and body["export_markets"] == []


def test_detail_outside_scope_is_404(registry: list[Enterprise]) -> None:
    other = token_client(member(kind=K.FACILITATOR))
    error = assert_error(other.get(f"{ENTERPRISES}/{registry[0].pk}"), 404, "not_found")
    assert error["fields"] == []
    assert_error(other.get(f"{ENTERPRISES}/{registry[0].pk}/history"), 404, "not_found")
    assert_error(other.put(f"{ENTERPRISES}/{registry[0].pk}", BODY, content_type="application/json"),
                 404, "not_found")
    assert_error(other.get(f"{ENTERPRISES}/999999"), 404, "not_found")


@pytest.mark.parametrize("kind", [K.TRAINER, K.MSME])
def test_organisations_without_the_registry_get_404(kind: str, registry: list[Enterprise]) -> None:
    client = token_client(member(kind=kind))
    assert_error(client.get(ENTERPRISES), 404, "not_found")
    assert_error(client.get(f"{ENTERPRISES}/{registry[0].pk}"), 404, "not_found")
    assert_error(client.post(ENTERPRISES, BODY, content_type="application/json"), 404, "not_found")
    assert Enterprise.objects.count() == len(registry)


def test_without_a_token_is_401() -> None:
    assert_error(Client().get(ENTERPRISES), 401, "unauthorized")


# --- create, update, history --------------------------------------------------------------------


def test_create_answers_201_with_the_enterprise(api: Client, actor: Any, steward: Organisation) -> None:
    response = api.post(ENTERPRISES, BODY, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["warnings"] == []
    created = body["enterprise"]
    enterprise = Enterprise.objects.get()
    assert created["id"] == enterprise.pk and enterprise.steward == steward
    assert (created["pan"], created["gstin"], created["size_class"]) == (PAN, gstin(PAN, "09"), "micro")
    assert created["investment_paise"] == 250_000_000 and created["export_markets"] == ["AE", "US"]
    assert created["district_lgd_code"] == VARANASI and created["odop_product_id"] is not None
    assert enterprise.contacts.get().mobile == "+919876543210"
    event = AuditEvent.objects.get(action="registry.enterprise.registered")
    assert event.actor == actor and event.channel == "api"


def test_create_with_the_date_of_the_figures(api: Client) -> None:
    body = {**BODY, "investment": "2,00,00,000", "turnover": "8,00,00,000", "size_as_of": "31/03/2025"}
    created = api.post(ENTERPRISES, body, content_type="application/json").json()["enterprise"]
    assert (created["size_class"], created["size_as_of"]) == ("small", "2025-03-31")
    error = assert_error(api.post(ENTERPRISES, {**BODY, "size_as_of": "soon"}, content_type="application/json"),
                         422, "invalid")
    assert list(fields_of(error)) == ["size_as_of"]


def test_create_with_warnings(api: Client) -> None:
    response = api.post(ENTERPRISES, {**BODY, "district_lgd_code": str(AHMEDABAD)},
                        content_type="application/json")
    assert response.status_code == 201
    warnings = {w["field"]: w["message"] for w in response.json()["warnings"]}
    assert set(warnings) == {"gstin", "udyam_number"}
    assert "GST state 09" in warnings["gstin"] and "another state" in warnings["udyam_number"]
    assert Enterprise.objects.count() == 1


def test_create_with_errors_is_422_per_field(api: Client) -> None:
    bad = {**BODY, "gstin": gstin(PAN, "09")[:-1] + "0" if not gstin(PAN, "09").endswith("0") else "1",
           "pincode": "012345", "email": "sunita@", "udyam_number": "UDYAM-XX-01-0012345"}
    error = assert_error(api.post(ENTERPRISES, bad, content_type="application/json"), 422, "invalid")
    fields = fields_of(error)
    assert set(fields) == {"gstin", "pincode", "email", "udyam_number"}
    assert "A PIN code has six digits" in fields["pincode"][0]
    assert "is not a valid email address" in fields["email"][0]
    assert not Enterprise.objects.exists()


def test_create_without_a_name_is_422(api: Client) -> None:
    error = assert_error(api.post(ENTERPRISES, {"name_hi": "x"}, content_type="application/json"), 422, "invalid")
    assert list(fields_of(error)) == ["name"]  # the schema check names the field as ours do
    blank = assert_error(api.post(ENTERPRISES, {"name": ""}, content_type="application/json"), 422, "invalid")
    assert fields_of(blank) == {"name": ["The legal name of the enterprise is required."]}
    too_long = assert_error(api.post(ENTERPRISES, {"name": "x" * 201}, content_type="application/json"),
                            422, "invalid")
    assert list(fields_of(too_long)) == ["name"]  # the schema's max_length
    ours = assert_error(api.post(ENTERPRISES, {"name": "Udyog", "pincode": "012345"},
                                 content_type="application/json"), 422, "invalid")
    assert list(fields_of(ours)) == ["pincode"]
    assert not Enterprise.objects.exists()


def test_create_a_duplicate_identifier_is_422_on_that_field(api: Client) -> None:
    assert api.post(ENTERPRISES, BODY, content_type="application/json").status_code == 201
    error = assert_error(api.post(ENTERPRISES, {**BODY, "gstin": ""}, content_type="application/json"),
                         422, "invalid")
    assert list(fields_of(error)) == ["udyam_number"]
    assert Enterprise.objects.count() == 1


LEGACY = {"contact_name": "", "mobile": "", "email": ""}
CONTACTS = [{"name": "Sunita", "mobile": "98765 43210"},
            {"name": "Ramesh", "email": "ramesh@example.in", "is_primary": True}]


def test_create_with_several_contacts_and_other_licences(api: Client) -> None:
    response = api.post(ENTERPRISES, {**BODY, **LEGACY, "contacts": CONTACTS,
                                      "other_licences": {"bis": "cm/l 1234567", "huid": ""}},
                        content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()["enterprise"]
    assert [(c["name"], c["mobile"], c["is_primary"]) for c in created["contacts"]] == [
        ("Ramesh", "", True), ("Sunita", "+919876543210", False)]
    assert created["other_licences"] == {"bis": "CM/L 1234567"}
    detail = api.get(f"{ENTERPRISES}/{created['id']}").json()
    assert detail["contacts"] == created["contacts"] and detail["other_licences"] == {"bis": "CM/L 1234567"}
    (listed,) = api.get(ENTERPRISES).json()["items"]
    assert listed["other_licences"] == {"bis": "CM/L 1234567"} and "contacts" not in listed


def test_update_replaces_the_contacts_given_and_keeps_what_is_left_out(api: Client) -> None:
    created = api.post(ENTERPRISES, {**BODY, **LEGACY, "contacts": CONTACTS, "other_licences": {"bis": "CM/L 1"}},
                       content_type="application/json").json()["enterprise"]
    url = f"{ENTERPRISES}/{created['id']}"
    ramesh, sunita = created["contacts"]
    kept = api.put(url, {**BODY, "name": "Renamed", "contact_name": "Ramesh Kumar", "mobile": "", "email": ""},
                   content_type="application/json").json()["enterprise"]
    assert [c["name"] for c in kept["contacts"]] == ["Ramesh Kumar", "Sunita"]  # only the main contact
    assert kept["other_licences"] == {"bis": "CM/L 1"}
    response = api.put(url, {**BODY, **LEGACY, "contacts": [{**sunita, "is_primary": True}],
                             "other_licences": {}}, content_type="application/json")
    assert response.status_code == 200, response.content
    changed = response.json()["enterprise"]
    assert [(c["id"], c["is_primary"]) for c in changed["contacts"]] == [(sunita["id"], True)]
    assert changed["other_licences"] == {}
    assert ramesh["id"] not in Enterprise.objects.get().contacts.values_list("id", flat=True)


@pytest.mark.parametrize("change, field", [
    ({"contacts": [{"name": "Sunita"}, {"mobile": "12345"}]}, "contacts.1.mobile"),  # our check
    ({"contacts": [{"name": "Sunita"}, {"is_primary": "perhaps"}]}, "contacts.1.is_primary"),  # schema
    ({"contacts": [{"name": "A", "is_primary": True}, {"name": "B", "is_primary": True}]},
     "contacts.1.is_primary"),
    ({"other_licences": {"fire_noc": "1"}}, "other_licences.fire_noc"),
    ({"contacts": [{"id": 999999, "name": "Nobody"}]}, "contacts"),
])
def test_contact_and_licence_errors_are_422_on_their_field(api: Client, change: dict[str, Any],
                                                           field: str) -> None:
    error = assert_error(api.post(ENTERPRISES, {**BODY, **LEGACY, **change}, content_type="application/json"),
                         422, "invalid")
    assert list(fields_of(error)) == [field]
    assert not Enterprise.objects.exists()


def test_contacts_in_both_ways_is_422(api: Client) -> None:
    error = assert_error(api.post(ENTERPRISES, {**BODY, "contacts": CONTACTS}, content_type="application/json"),
                         422, "invalid")
    assert set(fields_of(error)) == {"contact_name", "mobile", "email"}
    assert "either in contacts or in contact_name" in fields_of(error)["mobile"][0]


def test_update_and_history(api: Client, actor: Any) -> None:
    created = api.post(ENTERPRISES, BODY, content_type="application/json").json()["enterprise"]
    url = f"{ENTERPRISES}/{created['id']}"
    response = api.put(url, {**BODY, "name": "Banarasi Silk Udyog Pvt Ltd", "pincode": "221002"},
                       content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["enterprise"]["name"] == "Banarasi Silk Udyog Pvt Ltd" and body["enterprise"]["pincode"] == "221002"
    assert body["warnings"] == []
    history = assert_page(api.get(f"{url}/history").json(), count=2)
    assert [h["action"] for h in history] == ["registry.enterprise.registered", "registry.enterprise.updated"]
    assert history[1]["changes"]["name"] == ["Banarasi Silk Udyog", "Banarasi Silk Udyog Pvt Ltd"]
    assert history[1]["actor"] == actor.email
    error = assert_error(api.put(url, {**BODY, "mobile": "12345"}, content_type="application/json"), 422, "invalid")
    assert list(fields_of(error)) == ["mobile"]
    assert Enterprise.objects.get().contacts.get().mobile == "+919876543210"


# --- identifiers --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, value, valid", [
    ("gstin", gstin(PAN, "09"), True),
    ("gstin", gstin(PAN, "38"), True),
    ("pan", "abcpe1234f", True),
    ("pan", "ABCXE1234F", False),
    ("udyam", "UDYAM-UP-65-0012345", True),
    ("udyam", "UDYAM-XX-65-0012345", False),
    ("fssai", "30012345678901", False),
    ("xyz", "1", False),
])
def test_identifier_check(api: Client, kind: str, value: str, valid: bool) -> None:
    response = api.post(f"{API}/identifiers/check", {"kind": kind, "value": value}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"kind", "value", "valid", "errors", "warnings", "info"}
    assert body["valid"] is valid and (body["errors"] == []) is valid
    if kind == "pan" and valid:
        assert body["value"] == "ABCPE1234F"


def test_identifier_check_needs_its_fields(api: Client) -> None:
    error = assert_error(api.post(f"{API}/identifiers/check", {"kind": "pan"}, content_type="application/json"),
                         422, "invalid")
    assert any(f["field"].endswith("value") for f in error["fields"])


# --- imports ------------------------------------------------------------------------------------

ROUTING_BUG = (
    "BUG: GET/PUT /enterprises/{enterprise_id} is declared before /enterprises/imports and "
    "/enterprises/duplicates and ninja's {enterprise_id} matches any segment, so POST "
    "/enterprises/imports answers 405 and GET /enterprises/duplicates answers 422 ('enterprise_id "
    "should be a valid integer'); declare the literal paths first or write {int:enterprise_id}")


def import_file() -> SimpleUploadedFile:
    lines = ["udyam_number,name,district_lgd_code,mobile,Remarks"]
    lines += [f"UDYAM-UP-65-{n:07d},Kashi Silk Weavers {n},187,98765{n:05d}," for n in range(1, 4)]
    lines.append("UDYAM-UP-65-0000009,Bad Mobile,187,12345,")
    return SimpleUploadedFile("list.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")


@pytest.fixture
def uploaded(actor: Any, steward: Organisation) -> ImportBatch:
    """A batch stored through the service, as the upload endpoint would (see ROUTING_BUG)."""
    file = import_file()
    return import_batch_create(actor=actor, steward=steward, source=file, original_name=file.name or "")


def test_import_detail_and_commit(api: Client, actor: Any, steward: Organisation, uploaded: ImportBatch,
                                  django_capture_on_commit_callbacks: Any) -> None:
    url = f"{IMPORTS}/{uploaded.pk}"
    body = api.get(url).json()
    assert (body["status"], body["original_name"], body["rows_read"]) == ("uploaded", "list.csv", 0)
    run_import(uploaded.pk, dry_run=True, actor=actor)
    detail = api.get(url).json()
    assert (detail["status"], detail["rows_read"], detail["new"], detail["rejected"]) == ("checked", 4, 3, 1)
    assert detail["unknown_columns"] == ["Remarks"] and detail["job_id"] is None
    assert not Enterprise.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        committed = api.post(f"{url}/commit")
    assert committed.status_code == 202, committed.content
    job = Job.objects.get(pk=committed.json()["job_id"])
    assert job.owner == actor and job.is_finished and job.parameters["dry_run"] is False
    detail = api.get(url).json()
    assert (detail["status"], detail["new"], detail["rejected"]) == ("done", 3, 1)
    assert Enterprise.objects.filter(steward=steward).count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        again = api.post(f"{url}/commit")
    assert again.status_code == 202 and again.json()["job_id"] is None
    assert Enterprise.objects.count() == 3


def test_imports_of_others_are_404(uploaded: ImportBatch, django_capture_on_commit_callbacks: Any) -> None:
    for kind in (K.FACILITATOR, K.TRAINER):
        other = token_client(member(kind=kind))
        assert_error(other.get(f"{IMPORTS}/{uploaded.pk}"), 404, "not_found")
        with django_capture_on_commit_callbacks(execute=True):
            assert_error(other.post(f"{IMPORTS}/{uploaded.pk}/commit"), 404, "not_found")
    assert not Enterprise.objects.exists() and not Job.objects.exists()


def test_import_upload_answers_202_and_runs_the_dry_run(api: Client, actor: Any,
                                                        django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(IMPORTS, {"file": import_file()})
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["original_name"] == "list.csv" and body["job_id"]
    assert Job.objects.get(pk=body["job_id"]).owner == actor
    detail = api.get(f"{IMPORTS}/{body['id']}").json()
    assert (detail["status"], detail["new"], detail["rejected"]) == ("checked", 3, 1)


@pytest.mark.parametrize("data, message", [
    (b"name,mobile\n", "no data rows"),
    (b"PK\x03\x04" + bytes(100), "damaged"),
    (bytes(range(256)) * 8, "not a CSV text file"),
])
def test_a_refused_import_is_422_on_the_file(api: Client, media: Path, data: bytes, message: str) -> None:
    error = assert_error(api.post(IMPORTS, {"file": SimpleUploadedFile("list.csv", data)}), 422, "invalid")
    ((field, messages),) = fields_of(error).items()
    assert field == "file" and message in messages[0]
    assert not ImportBatch.objects.exists() and not Job.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("by", ["token", "session"])  # the session's CSRF check reads the body first
def test_an_import_over_the_limit_is_stopped_while_it_arrives(
    actor: Any, media: Path, settings: Any, monkeypatch: pytest.MonkeyPatch, by: str
) -> None:
    settings.NIRYAT_IMPORT_MAX_BYTES = 100

    def never(**kwargs: Any) -> None:
        raise AssertionError("the file reached the endpoint")

    monkeypatch.setattr("niryat.registry.api.import_batch_create", never)
    client, headers = token_client(actor), {}
    if by == "session":
        client, token = session_client(actor, enforce_csrf=True), "t" * 32
        client.cookies[settings.CSRF_COOKIE_NAME] = token
        headers = {"X-CSRFToken": token}
        assert client.post(IMPORTS, {"file": import_file()}).status_code == 403  # still checked
    error = assert_error(client.post(IMPORTS, {"file": import_file()}, headers=headers), 422, "invalid")
    assert fields_of(error) == {
        "file": ["The file is larger than the limit of 100\xa0bytes; split it into smaller files."]}
    assert not ImportBatch.objects.exists() and not Job.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_an_import_without_a_file_is_422(api: Client) -> None:
    error = assert_error(api.post(IMPORTS, {}), 422, "invalid")
    assert any(f["field"].endswith("file") for f in error["fields"])


def test_a_trainer_gets_404_on_import_upload() -> None:
    client = token_client(member(kind=K.TRAINER))
    assert_error(client.post(IMPORTS, {"file": import_file()}), 404, "not_found")


# --- duplicates ---------------------------------------------------------------------------------


@pytest.fixture
def candidate(actor: Any, steward: Organisation) -> DuplicateCandidate:
    register(actor, steward, name="M/s Shree Ganesh Handicrafts Pvt Ltd", district_lgd_code=str(VARANASI),
             mobile="9876543210")
    register(actor, steward, name="Shri Ganesh Handicrafts Private Limited", name_hi="श्री गणेश हैंडीक्राफ्ट्स",
             district_lgd_code=str(VARANASI), mobile="9876543210", udyam_number="UDYAM-UP-65-0000042")
    duplicates_find()
    return DuplicateCandidate.objects.get()


def test_duplicates_list(api: Client, candidate: DuplicateCandidate) -> None:
    (item,) = assert_page(api.get(DUPLICATES).json(), count=1)
    assert item == {"id": candidate.pk, "first": candidate.first_id, "second": candidate.second_id,
                    "score": candidate.score, "reasons": candidate.reasons, "status": "open"}
    assert_page(token_client(member(kind=K.FACILITATOR)).get(DUPLICATES).json(), count=0)
    assert_error(token_client(member(kind=K.TRAINER)).get(DUPLICATES), 404, "not_found")


def test_decide_keep_second(api: Client, candidate: DuplicateCandidate) -> None:
    url = f"{DUPLICATES}/{candidate.pk}/decide"
    response = api.post(url, {"decision": "keep_second"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "merged"
    first = Enterprise.objects.get(pk=candidate.first_id)
    assert first.merged_into_id == candidate.second_id
    body = api.get(f"{ENTERPRISES}/{candidate.first_id}").json()
    assert body["merged_into"] == candidate.second_id
    history = assert_page(api.get(f"{ENTERPRISES}/{candidate.second_id}/history").json(), count=4)
    assert {h["action"] for h in history} >= {"registry.enterprise.merged", "registry.enterprise.merged_into"}
    assert_page(api.get(ENTERPRISES).json(), count=1)


def test_decide_apart(api: Client, candidate: DuplicateCandidate) -> None:
    url = f"{DUPLICATES}/{candidate.pk}/decide"
    response = api.post(url, {"decision": "apart"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "apart"
    duplicates_find()
    assert DuplicateCandidate.objects.get().status == "apart"
    assert_error(api.post(url, {"decision": "apart"}, content_type="application/json"), 404, "not_found")


def test_decide_needs_a_known_decision(api: Client, candidate: DuplicateCandidate) -> None:
    url = f"{DUPLICATES}/{candidate.pk}/decide"
    error = assert_error(api.post(url, {"decision": "both"}, content_type="application/json"), 422, "invalid")
    assert list(fields_of(error)) == ["decision"]
    assert_error(api.post(url, {}, content_type="application/json"), 422, "invalid")
    candidate.refresh_from_db()
    assert candidate.status == "open"


def test_decide_outside_scope_is_404(candidate: DuplicateCandidate) -> None:
    other = token_client(member(kind=K.FACILITATOR))
    assert_error(other.post(f"{DUPLICATES}/{candidate.pk}/decide", {"decision": "keep_first"},
                            content_type="application/json"), 404, "not_found")
    candidate.refresh_from_db()
    assert candidate.status == "open" and not Enterprise.objects.filter(merged_into__isnull=False).exists()
