"""The audit API: events and exports only for holders of the audit capabilities (404 otherwise)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from niryat.accounts.models import Organisation, OrganisationKind, Role, User
from niryat.accounts.tests.factories import OrganisationFactory, UserFactory, member
from niryat.api.tests.helpers import API, token_client
from niryat.audit.models import AuditEvent
from niryat.audit.services import record
from niryat.core.models import Job

pytestmark = pytest.mark.django_db


def office_of(user: User) -> Organisation:
    return user.memberships.get().organisation


@pytest.fixture
def admin() -> User:
    return member(kind=OrganisationKind.PROGRAMME_OFFICE, role=Role.ADMIN)


def seed(office: Organisation) -> Organisation:
    """Events of ``office`` and of another organisation the admin may not read."""
    other = OrganisationFactory()
    with transaction.atomic():
        record(None, action="test.api.one", organisation=office, actor_label="meera@example.in")
        record(None, action="test.api.two", organisation=office, actor_label="rohan@example.in")
        record(None, action="test.api.one", organisation=other, actor_label="elsewhere@example.in")
    return other


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (OrganisationKind.PROGRAMME_OFFICE, Role.MEMBER),
        (OrganisationKind.FACILITATOR, Role.ADMIN),
        (OrganisationKind.MSME, Role.ADMIN),
        (OrganisationKind.MARKETPLACE, Role.ADMIN),
    ],
)
def test_events_and_exports_are_404_without_the_capability(kind: str, role: str) -> None:
    client = token_client(member(kind=kind, role=role))
    for response in (
        client.get(f"{API}/audit/events"),
        client.post(f"{API}/audit/exports", {}, content_type="application/json"),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert not Job.objects.exists()


def test_no_memberships_is_404() -> None:
    assert token_client(UserFactory()).get(f"{API}/audit/events").status_code == 404


def test_an_office_admin_reads_only_the_events_of_organisations_it_sees(admin: User) -> None:
    seed(office_of(admin))
    body = token_client(admin).get(f"{API}/audit/events?action=test.api").json()
    assert body["count"] == 2
    assert {e["action"] for e in body["items"]} == {"test.api.one", "test.api.two"}
    event = body["items"][0]
    assert set(event) == {"id", "at", "actor", "organisation", "action", "target_type", "target_id",
                          "target_label", "changes", "channel"}
    assert event["organisation"] == office_of(admin).slug


def test_a_superuser_reads_every_event(admin: User) -> None:
    seed(office_of(admin))
    body = token_client(UserFactory(is_superuser=True)).get(f"{API}/audit/events?action=test.api").json()
    assert body["count"] == 3


def test_filters(admin: User) -> None:
    seed(office_of(admin))
    client = token_client(admin)

    def count(query: str) -> int:
        response = client.get(f"{API}/audit/events?{query}")
        assert response.status_code == 200, response.content
        return int(response.json()["count"])

    assert count("action=test.api.two") == 1
    assert count("action=test.api&actor=MEERA") == 1
    membership = admin.memberships.get()
    assert count(f"target_type=accounts.membership&target_id={membership.pk}") == 1
    assert count(f"target_type=accounts.membership&target_id={membership.pk + 1000}") == 0
    today = timezone.localdate()
    assert count(f"action=test.api&since={today}&until={today}") == 2
    assert count(f"action=test.api&since={today + timedelta(days=1)}") == 0
    assert count(f"action=test.api&until={today - timedelta(days=1)}") == 0
    error = client.get(f"{API}/audit/events?since=yesterday").json()["error"]
    assert error["code"] == "invalid" and error["fields"][0]["field"] == "since"


def test_api_writes_are_audited_as_coming_from_the_api(admin: User) -> None:
    token_client(admin).post(f"{API}/tokens", {"name": "x"}, content_type="application/json")
    event = AuditEvent.objects.filter(action="accounts.api_token.created").latest("id")
    assert event.channel == "api" and event.actor == admin


def test_event_list_query_budget(admin: User, django_assert_max_num_queries: Any) -> None:
    office = office_of(admin)
    with transaction.atomic():
        for n in range(60):
            record(None, action=f"test.api.{n}", organisation=office)
    client = token_client(admin)
    with django_assert_max_num_queries(10):
        body = client.get(f"{API}/audit/events?page_size=100").json()
    assert len(body["items"]) == body["count"] == 62  # 60 seeded, the organisation and the membership


def test_export_starts_a_job_of_the_readable_events(
    admin: User, settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    office = office_of(admin)
    seed(office)
    client = token_client(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{API}/audit/exports", {"action": "test.api", "since": "2020-01-01"}, content_type="application/json"
        )
    assert response.status_code == 202, response.content
    started = response.json()
    job = Job.objects.get(pk=started["id"])
    assert job.owner == admin and job.kind == "audit.export"
    assert job.parameters["filters"]["action"] == "test.api"
    assert job.parameters["filters"]["since"] == "2020-01-01"
    assert office.pk in job.parameters["organisation_ids"]
    assert AuditEvent.objects.filter(action="audit.export.started", target_id=str(job.pk)).exists()

    progress = client.get(started["url"]).json()
    assert progress["status"] == "succeeded" and progress["percent"] == 100 and progress["total"] == 2
    download = client.get(progress["download_url"])
    assert download.status_code == 200
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    assert "meera@example.in" in content and "elsewhere@example.in" not in content
    # Someone else cannot follow or download it.
    stranger = token_client(member(kind=OrganisationKind.PROGRAMME_OFFICE))
    assert stranger.get(started["url"]).status_code == 404
    assert stranger.get(progress["download_url"]).status_code == 404
