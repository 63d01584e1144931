from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from niryat.core.htmx import render_page_or_partial
from niryat.core.pagination import paginate
from niryat.core.selectors import job_get, job_list


@login_required
def job_list_view(request: HttpRequest) -> HttpResponse:
    page = paginate(request, job_list(actor=request.user))
    return render(request, "core/job_list.html", {"page": page})


@login_required
def job_detail_view(request: HttpRequest, job_id: str) -> HttpResponse:
    """A job's progress; htmx polls the ``progress`` partial until the job finishes."""
    job = job_get(actor=request.user, job_id=job_id)
    return render_page_or_partial(request, "core/job_detail.html", "progress", {"job": job})


@login_required
def job_download_view(request: HttpRequest, job_id: str) -> FileResponse:
    job = job_get(actor=request.user, job_id=job_id)
    if not job.result_file:
        raise Http404
    path = (Path(settings.MEDIA_ROOT) / job.result_file).resolve()
    if not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve()) or not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.result_name)
