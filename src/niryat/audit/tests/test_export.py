"""The audit export: a Job, a task run after commit, a CSV of exactly the filtered events."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from niryat.accounts.models import OrganisationKind, Role, User
from niryat.accounts.tests.factories import OrganisationFactory, member
from niryat.audit.models import AuditEvent
from niryat.audit.selectors import EventFilter, audit_event_list
from niryat.audit.services import audit_export_start, record
from niryat.audit.tasks import COLUMNS, audit_export
from niryat.core.models import Job

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
FORMULA = '=HYPERLINK("http://evil.example.com","click")'


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def office_admin() -> User:
    return member(kind=OrganisationKind.PROGRAMME_OFFICE, role=Role.ADMIN, email="admin@office.example.in")


def office_of(user: User) -> Any:
    return user.memberships.get().organisation


def seed(office: Any) -> None:
    other = OrganisationFactory()
    with transaction.atomic():
        record(None, action="test.export.formula", organisation=office, actor_label=FORMULA)
        record(None, action="test.export.plain", organisation=office, actor_label="meera@example.in",
               changes={"name": [None, "Setu, Exports"]})
        record(None, action="test.export.plain", organisation=other, actor_label="elsewhere@example.in")
        record(None, action="other.thing", organisation=office)


def read_csv(media: Path, job: Job) -> list[dict[str, str]]:
    path = media / job.result_file
    assert path.is_file()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def start(actor: User, filters: dict[str, Any], capture: Any) -> Job:
    office = office_of(actor)
    with capture(execute=True) as callbacks:
        job = audit_export_start(actor=actor, organisation_ids=[office.pk], filters=filters)
    assert len(callbacks) == 1
    job.refresh_from_db()
    return job


def test_export_start_creates_a_job_and_audits_it(office_admin: User, settings: Any) -> None:
    settings.TASKS = IMMEDIATE
    job = audit_export_start(actor=office_admin, organisation_ids=[1], filters={"action": "x"})
    assert job.owner == office_admin and job.kind == "audit.export"
    assert job.status == Job.Status.QUEUED  # the task waits for the commit
    assert job.parameters == {"organisation_ids": [1], "filters": {"action": "x"}}
    started = AuditEvent.objects.get(action="audit.export.started")
    assert started.actor == office_admin and started.target_id == str(job.pk)


def test_export_runs_after_commit_and_writes_the_filtered_events(
    office_admin: User, media: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = IMMEDIATE
    office = office_of(office_admin)
    seed(office)
    job = start(office_admin, {"action": "test.export", "actor": None}, django_capture_on_commit_callbacks)

    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.task_result_id
    assert job.started_at and job.finished_at and job.percent == 100
    assert job.result_name.endswith(".csv") and job.result_file.endswith(job.result_name)
    expected = list(audit_event_list(organisation_ids=[office.pk], filters=EventFilter(action="test.export")))
    assert len(expected) == 2
    assert (job.done, job.total, job.message) == (2, 2, "2")

    rows = read_csv(media, job)
    assert list(rows[0]) == COLUMNS
    assert [r["action"] for r in rows] == [e.action for e in expected]
    assert [r["target_id"] for r in rows] == [e.target_id for e in expected]
    labels = {r["action"]: r["actor_label"] for r in rows}
    assert labels["test.export.formula"] == "'" + FORMULA
    assert labels["test.export.plain"] == "meera@example.in"
    assert "elsewhere@example.in" not in (media / job.result_file).read_text(encoding="utf-8-sig")


def test_export_changes_column_is_machine_readable(
    office_admin: User, media: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = IMMEDIATE
    seed(office_of(office_admin))
    job = start(office_admin, {"action": "test.export.plain"}, django_capture_on_commit_callbacks)
    (row,) = read_csv(media, job)
    assert "Setu, Exports" in row["changes"]


def test_export_changes_column_is_json(
    office_admin: User, media: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = IMMEDIATE
    seed(office_of(office_admin))
    job = start(office_admin, {"action": "test.export.plain"}, django_capture_on_commit_callbacks)
    (row,) = read_csv(media, job)
    assert json.loads(row["changes"]) == {"name": [None, "Setu, Exports"]}


def test_running_the_task_again_for_a_finished_job_does_nothing(
    office_admin: User, media: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = IMMEDIATE
    seed(office_of(office_admin))
    job = start(office_admin, {"action": "test.export"}, django_capture_on_commit_callbacks)
    path = media / job.result_file
    content, mtime = path.read_bytes(), path.stat().st_mtime_ns
    with transaction.atomic():
        record(None, action="test.export.later", organisation=office_of(office_admin))

    audit_export.call(job_id=str(job.pk))

    again = Job.objects.get(pk=job.pk)
    assert (again.status, again.finished_at, again.done, again.result_file) == (
        job.status, job.finished_at, job.done, job.result_file)
    assert path.read_bytes() == content and path.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_a_failing_export_marks_the_job_failed_with_the_reason(
    office_admin: User, media: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = IMMEDIATE
    job = start(office_admin, {"since": "not-a-date"}, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED
    assert job.message.startswith("ValueError")
    assert job.finished_at is not None and not job.result_file


def test_export_through_the_database_queue_and_db_worker(
    office_admin: User, media: Path, settings: Any, django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE
    # The worker drops "stale" connections between tasks; inside the test's transaction
    # that would break the transaction (PostgreSQL), so it is a no-op here.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    seed(office_of(office_admin))
    job = start(office_admin, {"action": "test.export"}, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.QUEUED
    queued = DBTaskResult.objects.get(pk=job.task_result_id)
    assert queued.status == "READY"

    call_command("db_worker", batch=True, interval=0, startup_delay=False)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert len(read_csv(media, job)) == 2
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == "SUCCESSFUL"
    call_command("db_worker", batch=True, interval=0, startup_delay=False)  # nothing left to do
    assert Job.objects.get(pk=job.pk).finished_at == job.finished_at
