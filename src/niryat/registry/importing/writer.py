"""Writing an import's chunks in a thread of their own, so the database works while Python does.

A chunk's write (COPY or ``executemany``, index upkeep, commit) is the database's work, during
which the importing process would otherwise only wait. With ``ChunkWriter`` the importing
process matches the next chunk meanwhile. The thread has its own database connection and
writes the chunks in file order, each in its own transaction with the batch's cursor, exactly
as before: a killed run leaves a prefix of whole chunks, and running it again resumes.

A chunk is matched against the registry before the chunks ahead of it are written. That is
safe for new enterprises (a second row with the same Udyam number or GSTIN is caught in memory
by ``FileKeys``), but a row could meet a known enterprise that a waiting chunk changes through
its other identifier. So while a waiting chunk changes known enterprises, the next chunk is
matched only after it is written (``settle``).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from django.db import connection

from niryat.core.db import bulk_writes

Write = Callable[[Any, int], None]  # (a chunk's ChunkResult, the rows it read)
_STOP = None


class ChunkWriter:
    """Runs ``write`` for each chunk given to ``put``, in order, in one thread."""

    def __init__(self, write: Write, ahead: int = 2,
                 settings_for_writes: Callable[[], AbstractContextManager[None]] = bulk_writes) -> None:
        self._write = write
        self._settings_for_writes = settings_for_writes
        self._queue: queue.Queue[tuple[Any, int] | None] = queue.Queue(maxsize=ahead)
        self._error: BaseException | None = None
        self._changing = 0  # waiting chunks that change known enterprises
        self._lock = threading.Lock()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="import-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with self._settings_for_writes():
                self._serve()
        except BaseException as error:  # setting up or restoring the settings failed
            self._error = self._error or error
            if not self._stopped:
                self._serve()  # take the rest off, so that ``put`` never waits for ever
        finally:
            connection.close()  # this thread's own connection

    def _serve(self) -> None:
        while (item := self._queue.get()) is not _STOP:
            try:
                if self._error is None:  # after a failure the rest is only taken off
                    self._write(*item)
            except BaseException as error:  # handed to the importing thread
                self._error = error
            finally:
                if item[0].changed:
                    with self._lock:
                        self._changing -= 1
                self._queue.task_done()
        self._stopped = True
        self._queue.task_done()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def put(self, result: Any, rows: int) -> None:
        """Hand a matched chunk over (waits while ``ahead`` chunks wait); a failed write raises here."""
        self._raise()
        if result.changed:
            with self._lock:
                self._changing += 1
        self._queue.put((result, rows))

    def settle(self) -> None:
        """Before matching: wait for the waiting chunks if one of them changes known enterprises."""
        with self._lock:
            changing = self._changing
        if changing:
            self._queue.join()
        self._raise()

    def close(self) -> None:
        """Write what waits, end the thread, and raise the first failure, if any."""
        self._queue.put(_STOP)
        self._thread.join()
        self._raise()

    def abandon(self) -> None:
        """The importing thread failed: write nothing more, end the thread."""
        self._error = self._error or RuntimeError("import abandoned")
        self._queue.put(_STOP)
        self._thread.join()
