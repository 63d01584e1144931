"""Checking the rows of a file, in this process or in worker processes.

Checking (``clean_enterprise``) is pure work on strings: no database, no shared state
but the reference index. Above a size (``NIRYAT_IMPORT_PARALLEL_MB``) the chunks of a
file are checked by ``NIRYAT_IMPORT_WORKERS`` worker processes while this process
matches and writes the chunks already checked; the results come back in file order,
so everything after the check is the same whichever way it ran.

Workers are started with ``spawn`` (not ``fork``): the web server and the task worker
may have threads, and a forked child of a threaded process can hang on a lock it copied.
This module imports no models at import time, because a spawned worker imports it
before Django is set up.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from niryat.registry.importing.rows import NewRow
    from niryat.registry.validation import ReferenceIndex

Numbered = tuple[int, list[str]]  # row number in the file, its cells
# field, level ("error" | "warning"), message (default language), the message in the others
ProblemRow = tuple[str, str, str, dict[str, str]]
# Row number, the clean values (None when the row has an error), the problems found, and
# the rows to insert if the enterprise is new (see ``rows.new_rows``).
CheckedRow = tuple[int, "dict[str, Any] | None", list[ProblemRow], "NewRow | None"]
AHEAD_PER_WORKER = 3  # chunks waiting per worker: enough to keep it busy, few to hold in memory

_worker_state: dict[str, Any] = {}


def chunks(items: Iterator[Numbered], size: int) -> Iterator[list[Numbered]]:
    while chunk := list(islice(items, size)):
        yield chunk


def check_chunk(rows: list[Numbered], mapping: dict[int, str], ref: ReferenceIndex,
                today: date) -> list[CheckedRow]:
    """Check rows of cells (columns named by ``mapping``); plain tuples travel cheaply.

    Messages are in the default language, whatever language this process has; a row with
    problems is checked again in each other language for their translations.
    """
    from django.conf import settings
    from django.utils import translation

    from niryat.registry.importing.problems import translate_each
    from niryat.registry.importing.reading import LICENCE_COLUMNS, record
    from niryat.registry.importing.rows import GIVEN, new_rows
    from niryat.registry.licences import clean_other_licences
    from niryat.registry.validation import Cleaned, clean_enterprise

    licence_columns = [(column, kind) for column, kind in LICENCE_COLUMNS.items() if column in mapping.values()]

    def clean(raw: dict[str, str]) -> Cleaned:
        cleaned = clean_enterprise(raw, ref, today)
        if licence_columns:
            clean_other_licences({kind: raw.get(column) for column, kind in licence_columns}, cleaned)
        return cleaned

    def messages(raw: dict[str, str]) -> list[str]:
        return [p.message for p in clean(raw).problems]

    checked: list[CheckedRow] = []
    with translation.override(settings.LANGUAGE_CODE):
        for number, cells in rows:
            raw = record(mapping, cells)
            cleaned = clean(raw)
            problems: list[ProblemRow] = [(p.field, p.level, p.message, {}) for p in cleaned.problems]
            if problems:
                translate_each([p[3] for p in problems], partial(messages, raw))
            if cleaned.ok:
                # Which columns this row fills: a blank cell does not erase what the registry knows.
                cleaned.values[GIVEN] = frozenset(name for name, cell in raw.items() if cell and not cell.isspace())
                checked.append((number, cleaned.values, problems, new_rows(cleaned.values)))
            else:
                checked.append((number, None, problems, None))
    return checked


def _exit_with_parent(parent: int) -> None:
    """A worker whose importing process was killed (``kill -9``) ends too, instead of lingering."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _worker_start(settings_module: str, ref_pickle: bytes, today: date, language: str,
                  mapping: dict[int, str]) -> None:
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django
    from django.utils import translation

    django.setup()
    translation.activate(language)
    # Unpickled only now: the index's classes live in modules that need Django set up.
    _worker_state.update(ref=pickle.loads(ref_pickle), today=today, mapping=mapping)


def _worker_check(rows: list[Numbered]) -> list[CheckedRow]:
    return check_chunk(rows, _worker_state["mapping"], _worker_state["ref"], _worker_state["today"])


def checked_chunks(
    rows: Iterator[Numbered], mapping: dict[int, str], ref: ReferenceIndex, *, today: date, size: int,
    workers: int,
) -> Iterator[list[CheckedRow]]:
    """The file's rows, checked, in chunks of ``size`` rows, in file order."""
    if workers <= 1:
        for chunk in chunks(rows, size):
            yield check_chunk(chunk, mapping, ref, today)
        return
    from django.conf import settings
    from django.utils import translation

    settings_module = settings.SETTINGS_MODULE or os.environ["DJANGO_SETTINGS_MODULE"]
    language = translation.get_language() or "en"
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_start,
        initargs=(settings_module, pickle.dumps(ref), today, language, mapping),
    ) as pool:
        pending: deque[Future[list[CheckedRow]]] = deque()
        for chunk in chunks(rows, size):
            pending.append(pool.submit(_worker_check, chunk))
            if len(pending) >= workers * AHEAD_PER_WORKER:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
