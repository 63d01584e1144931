"""API of background jobs: the caller's jobs, their progress and result files.

Mounted by ``niryat.api.api`` at ``/api/v1/jobs``. Nobody sees anyone else's jobs
(404). Core imports no other app, so this module needs only ninja and core.
"""

import uuid
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from niryat.core.apitools import PageNumberPages, request_actor
from niryat.core.models import Job
from niryat.core.selectors import job_get, job_list

router = Router(tags=["jobs"])


def _job(request: HttpRequest, job_id: str) -> Job:
    """One of the caller's jobs; 404 for a malformed id as for someone else's."""
    try:
        key = uuid.UUID(job_id)
    except ValueError:
        raise Http404 from None
    return job_get(actor=request_actor(request), job_id=key)


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    label: str
    status: Job.Status
    done: int
    total: int
    percent: int = Field(description="0–100; 100 once finished.")
    message: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    download_url: str | None = Field(description="The result file, once there is one.")

    @staticmethod
    def resolve_label(obj: Job) -> str:
        return obj.shown_label  # in the caller's language (Accept-Language)

    @staticmethod
    def resolve_message(obj: Job) -> str:
        return obj.shown_message

    @staticmethod
    def resolve_download_url(obj: Job) -> str | None:
        if not obj.result_file:
            return None
        return reverse("api-v1:job-download", kwargs={"job_id": obj.id})


@router.get("", response=list[JobOut])
@paginate(PageNumberPages)
def job_list_endpoint(request: HttpRequest) -> QuerySet[Job]:
    """The jobs the caller started, newest first."""
    return job_list(actor=request_actor(request)).order_by("-created_at")


@router.get("/{job_id}", response=JobOut, url_name="job-detail")
def job_detail(request: HttpRequest, job_id: str) -> Job:
    """A job's progress; poll until ``status`` is ``succeeded`` or ``failed``."""
    return _job(request, job_id)


@router.get("/{job_id}/download", url_name="job-download", response={200: None})
def job_download(request: HttpRequest, job_id: str) -> FileResponse:
    """The job's result file (404 until there is one)."""
    job = _job(request, job_id)
    if not job.result_file:
        raise Http404
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / job.result_file).resolve()
    if not path.is_relative_to(root) or not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.result_name)
