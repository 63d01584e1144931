"""Import pages: upload a file, see the dry-run counts and errors, then import."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from niryat.accounts.permissions import MANAGE_REGISTRY, capability_organisation_ids
from niryat.core.htmx import render_page_or_partial
from niryat.core.models import Job
from niryat.core.spreadsheet import spreadsheet_safe
from niryat.core.uploads import stopped_upload, upload_limit
from niryat.registry import selectors
from niryat.registry.enrolments import programmes_of_steward
from niryat.registry.importing import report
from niryat.registry.importing.pipeline import import_limit
from niryat.registry.importing.reading import FileRefused, template_csv
from niryat.registry.importing.services import (
    import_batch_create,
    import_batch_start,
    too_large_message,
)
from niryat.registry.models import ImportBatch, ImportProblem
from niryat.registry.selectors import steward_for
from niryat.registry.services import RegistryError
from niryat.registry.views import require


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV or Excel (.xlsx) file"))
    programme = forms.ChoiceField(
        label=gettext_lazy("Enrol the enterprises in a programme"), required=False,
        help_text=gettext_lazy("Every enterprise of the file, new or already known, is enrolled."))

    def __init__(self, *args: Any, programmes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", "—"), *programmes]  # type: ignore[attr-defined]


def csv_line(cells: list[str]) -> str:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerow([spreadsheet_safe(c) for c in cells])
    return out.getvalue()


@upload_limit(import_limit, too_large_message)
@login_required
def import_upload_view(request: HttpRequest) -> HttpResponse:
    require(request.user, MANAGE_REGISTRY)
    steward = steward_for(request.user)
    programmes = [(p.slug, p.label) for p in programmes_of_steward(steward.pk)]
    form = UploadForm(request.POST or None, request.FILES or None, programmes=programmes)
    stopped = stopped_upload(request)
    if stopped is not None:  # over the limit: stopped while it streamed in, nothing kept
        form.full_clean()
        form.errors["file"] = form.error_class([stopped.message])  # not "This field is required."
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = import_batch_create(actor=request.user, steward=steward, source=upload,
                                        original_name=upload.name or "upload",
                                        programme_slug=form.cleaned_data["programme"])
        except FileRefused as error:
            form.add_error("file", str(error))
        except RegistryError as error:
            form.add_error("programme", str(error))
        else:
            import_batch_start(actor=request.user, batch=batch, dry_run=True)
            return redirect("registry:import-detail", batch_id=batch.pk)
    batches = selectors.import_batch_list(actor=request.user).filter(
        steward_id__in=capability_organisation_ids(request.user, MANAGE_REGISTRY))[:20]
    return render(request, "registry/import_upload.html", {"form": form, "batches": batches})


@login_required
def import_detail_view(request: HttpRequest, batch_id: int) -> HttpResponse:
    require(request.user, MANAGE_REGISTRY)
    batch = selectors.import_batch_get(actor=request.user, batch_id=batch_id)
    dry = batch.status != ImportBatch.Status.DONE and batch.status != ImportBatch.Status.IMPORTING
    job = Job.objects.filter(kind="registry.import", parameters__batch_id=batch.pk).order_by(
        "-created_at").first()
    context = {
        "batch": batch,
        "job": job,
        "dry": dry,
        "problems": ImportProblem.objects.filter(batch=batch, dry_run=dry)[:20],
        "running": job is not None and not job.is_finished,
    }
    return render_page_or_partial(request, "registry/import_detail.html", "status", context)


@login_required
@require_POST
def import_commit_view(request: HttpRequest, batch_id: int) -> HttpResponse:
    require(request.user, MANAGE_REGISTRY)
    batch = selectors.import_batch_get(actor=request.user, batch_id=batch_id)
    if batch.status == ImportBatch.Status.DONE:
        messages.info(request, _("This file has already been imported."))
    else:
        import_batch_start(actor=request.user, batch=batch, dry_run=False)
        messages.success(request, _("The import has started."))
    return redirect("registry:import-detail", batch_id=batch.pk)


@login_required
def import_errors_view(request: HttpRequest, batch_id: int, fmt: str) -> HttpResponseBase:
    """The rejected rows with an error column, as CSV (streamed) or XLSX."""
    require(request.user, MANAGE_REGISTRY)
    batch = selectors.import_batch_get(actor=request.user, batch_id=batch_id)
    dry = batch.status != ImportBatch.Status.DONE
    stem = Path(batch.original_name).stem[:60] or "import"
    if fmt == "xlsx":
        buffer = io.BytesIO()
        report.write_xlsx(batch, buffer, dry)
        buffer.seek(0)
        return FileResponse(buffer, as_attachment=True, filename=f"{stem}-errors.xlsx")
    response = StreamingHttpResponse(
        ("\ufeff" if i == 0 else "") + csv_line(row)
        for i, row in enumerate(report.rejected_rows(batch, dry))
    )
    response["Content-Type"] = "text/csv; charset=utf-8"
    response["Content-Disposition"] = f'attachment; filename="{stem}-errors.csv"'
    return response


@login_required
def import_template_view(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("\ufeff" + template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="niryat-enterprises-template.csv"'
    return response
