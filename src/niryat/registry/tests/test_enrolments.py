"""Enrolment in programmes: one at a time (service, page, API) and for every row of an import."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from niryat.accounts.models import Organisation, OrganisationKind
from niryat.accounts.tests.factories import OrganisationFactory, member
from niryat.api.tests.helpers import API, assert_error, token_client
from niryat.audit.models import AuditEvent
from niryat.programmes.models import Participant, Programme
from niryat.programmes.tests.factories import ProgrammeFactory, take_part
from niryat.registry.enrolments import enrolment_add, enrolment_remove
from niryat.registry.importing.cli import import_file
from niryat.registry.importing.pipeline import run_import
from niryat.registry.importing.reading import FileRefused
from niryat.registry.importing.services import import_batch_create
from niryat.registry.models import Enrolment, Enterprise, ImportBatch
from niryat.registry.selectors import EnterpriseFilter, enterprise_list
from niryat.registry.services import RegistryError
from niryat.registry.tests.helpers import VARANASI, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def odop(steward: Organisation) -> Programme:
    """A programme the steward takes part in."""
    programme = ProgrammeFactory(slug="up-odop")
    take_part(programme, steward)
    return programme


@pytest.fixture
def elsewhere() -> Programme:
    """A programme the steward has nothing to do with."""
    return ProgrammeFactory(slug="elsewhere")


def enrolled(programme: Programme) -> set[str]:
    return set(Enrolment.objects.filter(programme=programme).values_list("enterprise__name", flat=True))


# --- the service ------------------------------------------------------------------------------


def test_enrol_is_audited_once_and_enrolling_again_changes_nothing(
        actor: Any, steward: Organisation, odop: Programme) -> None:
    silk = register(actor, steward, name="Kashi Silk")
    enrolment_add(actor=actor, enterprise=silk, programme_slug="up-odop")
    enrolment_add(actor=actor, enterprise=silk, programme_slug="up-odop")
    assert enrolled(odop) == {"Kashi Silk"}
    (event,) = AuditEvent.objects.filter(action="registry.enterprise.enrolled")
    assert event.target_id == str(silk.pk) and event.changes == {"programme": [None, "up-odop"]}


def test_a_programme_the_steward_does_not_take_part_in_is_refused(
        actor: Any, steward: Organisation, elsewhere: Programme) -> None:
    silk = register(actor, steward, name="Kashi Silk")
    for slug in ("elsewhere", "no-such-programme"):
        with pytest.raises(RegistryError, match="is not a programme this organisation runs or takes part in"):
            enrolment_add(actor=actor, enterprise=silk, programme_slug=slug)
    assert not Enrolment.objects.exists()


def test_the_office_running_a_programme_may_enrol_its_own_enterprises() -> None:
    office = OrganisationFactory(kind=OrganisationKind.PROGRAMME_OFFICE)
    ProgrammeFactory(office=office, slug="gujarat-amazon")
    user = member(office)
    brass = register(user, office, name="Amdavad Brass")
    enrolment_add(actor=user, enterprise=brass, programme_slug="gujarat-amazon")
    assert Enrolment.objects.filter(enterprise=brass).count() == 1


def test_take_out_is_audited_and_ends_the_filter_match(actor: Any, steward: Organisation, odop: Programme) -> None:
    silk = register(actor, steward, name="Kashi Silk")
    enrolment_add(actor=actor, enterprise=silk, programme_slug="up-odop")
    assert [e.name for e in enterprise_list(actor=actor, filters=EnterpriseFilter(programme="up-odop"))] == [
        "Kashi Silk"]
    assert enrolment_remove(actor=actor, enterprise=silk, programme_slug="up-odop") is True
    assert enrolment_remove(actor=actor, enterprise=silk, programme_slug="up-odop") is False
    assert not enterprise_list(actor=actor, filters=EnterpriseFilter(programme="up-odop")).exists()
    assert AuditEvent.objects.filter(action="registry.enterprise.unenrolled").count() == 1


# --- imports for a programme ------------------------------------------------------------------

HEADER = "udyam_number,name,district_lgd_code\n"


def rows(*numbers: int) -> bytes:
    return (HEADER + "".join(f"UDYAM-UP-65-{n:07d},Kashi Silk {n},{VARANASI}\n" for n in numbers)).encode()


def test_an_import_for_a_programme_enrols_new_known_and_unchanged_enterprises(
        actor: Any, steward: Organisation, odop: Programme) -> None:
    register(actor, steward, name="Kashi Silk 1", udyam_number="UDYAM-UP-65-0000001",
             district_lgd_code=str(VARANASI))  # known, unchanged by the file
    register(actor, steward, name="Old Name", udyam_number="UDYAM-UP-65-0000002")  # known, updated
    batch = import_batch_create(actor=actor, steward=steward, source=io.BytesIO(rows(1, 2, 3)),
                                original_name="odop.csv", programme_slug="up-odop")
    batch = run_import(batch.pk, dry_run=False, actor=actor)
    assert (batch.new, batch.updated, batch.unchanged) == (1, 1, 1)
    assert enrolled(odop) == {"Kashi Silk 1", "Kashi Silk 2", "Kashi Silk 3"}
    (chunk,) = AuditEvent.objects.filter(action="registry.import.rows_committed")
    assert chunk.changes["enrolled"] == 3
    # the same file again: nothing new to enrol
    again = import_batch_create(actor=actor, steward=steward, source=io.BytesIO(rows(1, 2, 3)),
                                original_name="odop.csv", programme_slug="up-odop")
    run_import(again.pk, dry_run=False, actor=actor)
    assert Enrolment.objects.count() == 3
    last = AuditEvent.objects.filter(action="registry.import.rows_committed").order_by("pk").last()
    assert last is not None and last.changes["enrolled"] == 0


def test_a_dry_run_enrols_nobody(actor: Any, steward: Organisation, odop: Programme) -> None:
    batch = import_batch_create(actor=actor, steward=steward, source=io.BytesIO(rows(1)),
                                original_name="odop.csv", programme_slug="up-odop")
    run_import(batch.pk, dry_run=True, actor=actor)
    assert not Enrolment.objects.exists()


def test_an_import_for_a_programme_of_others_is_refused_before_the_file_is_kept(
        actor: Any, steward: Organisation, elsewhere: Programme, media: Path) -> None:
    with pytest.raises(RegistryError):
        import_batch_create(actor=actor, steward=steward, source=io.BytesIO(rows(1)),
                            original_name="odop.csv", programme_slug="elsewhere")
    assert not media.exists() or not any(media.rglob("*.csv"))


def test_an_import_whose_programme_the_steward_has_left_fails_and_writes_nothing(
        actor: Any, steward: Organisation, odop: Programme) -> None:
    batch = import_batch_create(actor=actor, steward=steward, source=io.BytesIO(rows(1)),
                                original_name="odop.csv", programme_slug="up-odop")
    Participant.objects.filter(programme=odop, organisation=steward).delete()  # left before the import ran
    with pytest.raises(FileRefused, match="is not a programme this organisation runs or takes part in"):
        run_import(batch.pk, dry_run=False, actor=actor)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and "up-odop" in batch.message
    assert not Enterprise.objects.exists() and not Enrolment.objects.exists()


def test_the_command_line_import_with_a_programme(steward: Organisation, odop: Programme, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "odop.csv"
    path.write_bytes(rows(1, 2))
    assert import_file(path, dry_run=False, programme="up-odop", steward=steward.slug, errors=None) == 0
    assert enrolled(odop) == {"Kashi Silk 1", "Kashi Silk 2"}
    other = ProgrammeFactory(slug="other")
    assert import_file(path, dry_run=False, programme=other.slug, steward=steward.slug, errors=None) == 1
    assert "is not a programme this organisation runs or takes part in" in capsys.readouterr().err


# --- page and API -----------------------------------------------------------------------------


def page_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_detail_page_enrols_and_takes_out(actor: Any, steward: Organisation, odop: Programme,
                                              elsewhere: Programme) -> None:
    silk = register(actor, steward, name="Kashi Silk")
    client = page_client(actor)
    detail = reverse("registry:enterprise-detail", args=[silk.pk])
    page = client.get(detail)
    assert page.context["enrol_choices"] == [("up-odop", odop.label)]  # not "elsewhere"
    assert "Not enrolled in a programme yet." in page.content.decode()
    url = reverse("registry:enterprise-enrolment", args=[silk.pk])
    response = client.post(url, {"action": "enrol", "programme": "up-odop"}, follow=True)
    assert "The enterprise is enrolled in the programme." in response.content.decode()
    assert [p.slug for p in response.context["programmes"]] == ["up-odop"]
    refused = client.post(url, {"action": "enrol", "programme": "elsewhere"}, follow=True)
    assert "is not a programme this organisation runs or takes part in" in refused.content.decode()
    client.post(url, {"action": "remove", "programme": "up-odop"})
    assert not Enrolment.objects.exists()
    assert client.get(url).status_code == 405


def test_another_facilitator_cannot_enrol_the_enterprise(actor: Any, steward: Organisation, odop: Programme) -> None:
    silk = register(actor, steward, name="Kashi Silk")
    stranger = member(kind=OrganisationKind.FACILITATOR)
    url = reverse("registry:enterprise-enrolment", args=[silk.pk])
    assert page_client(stranger).post(url, {"action": "enrol", "programme": "up-odop"}).status_code == 404
    assert not Enrolment.objects.exists()


def test_the_upload_page_offers_the_stewards_programmes(actor: Any, steward: Organisation, odop: Programme,
                                                        elsewhere: Programme,
                                                        django_capture_on_commit_callbacks: Any) -> None:
    client = page_client(actor)
    upload = reverse("registry:import-upload")
    form = client.get(upload).context["form"]
    assert form.fields["programme"].choices == [("", "—"), ("up-odop", odop.label)]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(upload, {"file": SimpleUploadedFile("odop.csv", rows(1)), "programme": "up-odop"})
    batch = ImportBatch.objects.get()
    assert batch.programme_slug == "up-odop"
    page = client.get(reverse("registry:import-detail", args=[batch.pk])).content.decode()
    assert "Every enterprise of this file is enrolled in the programme up-odop." in page


def test_the_api_enrols_lists_and_takes_out(actor: Any, steward: Organisation, odop: Programme,
                                            elsewhere: Programme) -> None:
    silk = register(actor, steward, name="Kashi Silk")
    api = token_client(actor)
    url = f"{API}/enterprises/{silk.pk}/programmes"
    response = api.post(url, {"programme": "up-odop"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["programmes"] == ["up-odop"]
    assert api.get(f"{API}/enterprises/{silk.pk}").json()["programmes"] == ["up-odop"]
    error = assert_error(api.post(url, {"programme": "elsewhere"}, content_type="application/json"), 422, "invalid")
    assert error["fields"][0]["field"] == "programme"
    assert api.delete(f"{url}/up-odop").status_code == 204
    assert api.delete(f"{url}/up-odop").status_code == 404
    assert not Enrolment.objects.exists()


def test_the_api_import_for_a_programme(actor: Any, steward: Organisation, odop: Programme,
                                        elsewhere: Programme) -> None:
    api = token_client(actor)
    refused = api.post(f"{API}/enterprises/imports",
                       {"file": SimpleUploadedFile("odop.csv", rows(1)), "programme": "elsewhere"})
    assert assert_error(refused, 422, "invalid")["fields"][0]["field"] == "programme"
    accepted = api.post(f"{API}/enterprises/imports",
                        {"file": SimpleUploadedFile("odop.csv", rows(1)), "programme": "up-odop"})
    assert accepted.status_code == 202
