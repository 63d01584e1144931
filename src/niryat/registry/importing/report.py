"""The error report: the file's rejected rows as they were, with a column saying why."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from niryat.core.i18n import text_for_reader
from niryat.core.spreadsheet import spreadsheet_safe
from niryat.registry.importing.pipeline import batch_path, import_limit
from niryat.registry.importing.reading import open_rows
from niryat.registry.models import ImportBatch, ImportProblem

ERROR_COLUMN = "errors"


def rejected_rows(batch: ImportBatch, dry_run: bool) -> Iterator[list[str]]:
    """Header + each rejected row (original cells) + its error messages, in file order.

    The messages are in the active language (the reader's, for a download).
    """
    problems: dict[int, list[str]] = defaultdict(list)
    for row, field, message, translations in ImportProblem.objects.filter(
        batch=batch, dry_run=dry_run, level="error"
    ).values_list("row_number", "field", "message", "translations"):
        message = text_for_reader(message, translations)
        problems[row].append(f"{field}: {message}" if field else message)
    table, rows = open_rows(batch_path(batch), import_limit())
    yield [*table.columns, ERROR_COLUMN]
    for row_number, cells in rows:
        if row_number in problems:
            padded = cells + [""] * (len(table.columns) - len(cells))
            yield [*padded, " | ".join(problems[row_number])]


def write_csv(batch: ImportBatch, path: Path, dry_run: bool) -> int:
    count = -1  # the header is not a rejected row
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        for row in rejected_rows(batch, dry_run):
            writer.writerow([spreadsheet_safe(cell) for cell in row])
            count += 1
    return count


def write_xlsx(batch: ImportBatch, path: Path | IO[bytes], dry_run: bool) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("errors")
    count = -1  # the header is not a rejected row
    for row in rejected_rows(batch, dry_run):
        sheet.append([spreadsheet_safe(cell) for cell in row])
        count += 1
    workbook.save(path)
    return count
