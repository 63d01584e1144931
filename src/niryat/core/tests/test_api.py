"""The jobs API: the caller's own jobs with progress; anyone else's answer 404.

Core imports no other app (import-linter), so users come from ``get_user_model()``
and jobs are made directly; the full export → job → download path is tested in
``audit/tests/test_api.py``.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from niryat.core.jobs import job_output_path, job_progress, job_succeeded
from niryat.core.models import Job

pytestmark = pytest.mark.django_db

API = "/api/v1"


def person(email: str) -> Any:
    return get_user_model().objects.create_user(email, None, full_name=email.split("@")[0])


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def job_of(owner: Any, **fields: Any) -> Job:
    return Job.objects.create(owner=owner, kind="test.job", label="Test job", **fields)


def test_list_shows_only_the_callers_jobs_newest_first() -> None:
    me, other = person("me@example.in"), person("other@example.in")
    first, second = job_of(me), job_of(me)
    job_of(other)
    body = signed_in(me).get(f"{API}/jobs").json()
    assert body["count"] == 2 and body["pages"] == 1
    assert [j["id"] for j in body["items"]] == [str(second.id), str(first.id)]


def test_detail_reports_progress() -> None:
    me = person("me@example.in")
    job = job_of(me, status=Job.Status.RUNNING)
    job_progress(job.id, 25, 200)
    body = signed_in(me).get(f"{API}/jobs/{job.id}").json()
    assert (body["status"], body["done"], body["total"], body["percent"]) == ("running", 25, 200, 12)
    assert body["download_url"] is None and body["message"] == ""


def test_a_finished_job_offers_its_file(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    me = person("me@example.in")
    job = job_of(me)
    path = job_output_path(job, "result.csv")
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    job_succeeded(job.id, message="2 rows", result=path)
    client = signed_in(me)
    body = client.get(f"{API}/jobs/{job.id}").json()
    assert body["status"] == "succeeded" and body["percent"] == 100 and body["message"] == "2 rows"
    assert body["download_url"] == f"{API}/jobs/{job.id}/download"
    response = client.get(body["download_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"a,b\n1,2\n"
    assert 'filename="result.csv"' in response["Content-Disposition"]


@pytest.mark.parametrize("suffix", ["", "/download"])
def test_someone_elses_missing_or_malformed_job_is_404(suffix: str) -> None:
    me, other = person("me@example.in"), person("other@example.in")
    theirs = job_of(other)
    client = signed_in(me)
    for job_id in (theirs.id, uuid.uuid4(), "not-a-uuid", "1"):
        response = client.get(f"{API}/jobs/{job_id}{suffix}")
        assert response.status_code == 404, job_id
        assert response.json()["error"]["code"] == "not_found"


def test_download_before_there_is_a_file_is_404() -> None:
    me = person("me@example.in")
    job = job_of(me)
    assert signed_in(me).get(f"{API}/jobs/{job.id}/download").status_code == 404


def test_anonymous_is_401() -> None:
    assert Client().get(f"{API}/jobs").json()["error"]["code"] == "unauthorized"


def test_job_list_query_budget(django_assert_max_num_queries: Any) -> None:
    me = person("me@example.in")
    for _ in range(40):
        job_of(me)
    client = signed_in(me)
    # Session: read, user, save (3 with its savepoint); the list: count and one page.
    with django_assert_max_num_queries(7):
        body = client.get(f"{API}/jobs?page_size=100").json()
    assert len(body["items"]) == 40
