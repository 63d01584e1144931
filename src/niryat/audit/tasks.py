"""Background work on the audit trail."""

from __future__ import annotations

import csv
import json
from dataclasses import fields
from datetime import date

from django_tasks import task

from niryat.audit.selectors import EventFilter, audit_event_list
from niryat.core.jobs import job_failed, job_output_path, job_progress, job_started, job_succeeded
from niryat.core.spreadsheet import spreadsheet_safe

CHUNK = 2000
COLUMNS = ["at", "actor_label", "action", "target_type", "target_id", "target_label",
           "changes", "channel", "ip"]


CHANGES_COLUMN = COLUMNS.index("changes")


def csv_cells(row: tuple[object, ...]) -> list[object]:
    """One event as CSV cells: ``changes`` as JSON, so the file can be read back by programs."""
    cells = list(row)
    cells[CHANGES_COLUMN] = json.dumps(cells[CHANGES_COLUMN], ensure_ascii=False, sort_keys=True)
    return cells


def event_filter_from(parameters: dict[str, str | None]) -> EventFilter:
    values: dict[str, object] = {}
    for field in fields(EventFilter):
        raw = parameters.get(field.name)
        if raw:
            values[field.name] = date.fromisoformat(raw) if field.name in {"since", "until"} else raw
    return EventFilter(**values)  # type: ignore[arg-type]


@task()
def audit_export(job_id: str) -> None:
    """Write the filtered events to CSV, reporting progress; a finished job is not redone."""
    job = job_started(job_id)
    if job is None:
        return
    try:
        params = job.parameters
        events = audit_event_list(
            organisation_ids=params.get("organisation_ids"),
            filters=event_filter_from(params.get("filters", {})),
        )
        total = events.count()
        job_progress(job_id, 0, total)
        path = job_output_path(job, f"audit-events-{job.created_at:%Y%m%d-%H%M%S}.csv")
        with path.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            for done, row in enumerate(events.values_list(*COLUMNS).iterator(CHUNK), start=1):
                writer.writerow([spreadsheet_safe(cell) for cell in csv_cells(row)])
                if done % CHUNK == 0:
                    job_progress(job_id, done)
        job_progress(job_id, total)
        job_succeeded(job_id, message=str(total), result=path)
    except Exception as error:  # the person who started it sees why it failed
        job_failed(job_id, f"{type(error).__name__}: {error}")
        raise
