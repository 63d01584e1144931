"""Chunks written by a thread of their own while the next are matched (``importing/writer.py``).

The writer thread has its own database connection, which sees only committed data: the
import through it runs in a child process on a database of its own. The killed and resumed
import with the writer thread is
``test_kill_9_in_the_middle_then_run_again_finishes_the_job[checked-by-workers]``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from niryat.registry.importing.writer import ChunkWriter
from niryat.registry.tests.test_import_pipeline import child_database, csv_bytes, row


def writer(write: Any, ahead: int = 2) -> ChunkWriter:
    return ChunkWriter(write, ahead, settings_for_writes=nullcontext)  # no database in these


@dataclass
class Chunk:
    name: str
    changed: list[Any] = field(default_factory=list)


def test_chunks_are_written_in_order() -> None:
    written: list[tuple[str, int]] = []
    chunks = writer(lambda chunk, rows: written.append((chunk.name, rows)), ahead=1)
    for n in range(6):
        chunks.put(Chunk(f"chunk {n}"), n)
    chunks.close()
    assert written == [(f"chunk {n}", n) for n in range(6)]


def test_a_failed_write_comes_back_and_nothing_after_it_is_written() -> None:
    written: list[str] = []

    def write(chunk: Chunk, rows: int) -> None:
        if chunk.name == "bad":
            raise ValueError("the disk is full")
        written.append(chunk.name)

    chunks = writer(write)
    chunks.put(Chunk("good"), 1)
    chunks.put(Chunk("bad"), 1)
    with pytest.raises(ValueError, match="the disk is full"):
        for _ in range(20):
            chunks.put(Chunk("later"), 1)
        chunks.close()
    chunks.abandon()
    assert written == ["good"]


def test_settle_waits_only_for_a_chunk_that_changes_known_enterprises() -> None:
    gate = threading.Event()
    written: list[str] = []

    def write(chunk: Chunk, rows: int) -> None:
        gate.wait(10)
        written.append(chunk.name)

    chunks = writer(write)
    chunks.put(Chunk("new enterprises only"), 1)
    chunks.settle()  # nothing waiting changes a known enterprise: matching goes on at once
    assert written == []
    chunks.put(Chunk("updates", changed=[("an enterprise",)]), 1)
    threading.Timer(0.2, gate.set).start()
    chunks.settle()
    assert written == ["new enterprises only", "updates"]
    chunks.close()


# Run in a child process on a database of its own: the writer thread's connection sees only
# committed data, and a test's transaction is never committed.
CHILD = """
import io, json, os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niryat.config.settings")
django.setup()
from niryat.accounts.models import Organisation, OrganisationKind
from niryat.accounts.tests.factories import member
from niryat.registry.importing import pipeline
from niryat.registry.importing.services import import_batch_create
from niryat.registry.models import Enterprise

actor = member(kind=OrganisationKind.FACILITATOR)
steward = Organisation.objects.get(memberships__user=actor)
first, second = json.loads(sys.argv[1])

def imported(data):
    batch = import_batch_create(actor=actor, steward=steward, source=io.BytesIO(data.encode()),
                                original_name="list.csv")
    return pipeline.run_import(batch.pk, dry_run=False, actor=actor)

imported(first)
pipeline.CHUNK_ROWS = 2
write_chunk = pipeline.write_chunk

def write_slowly(*args, **kwargs):
    time.sleep(0.3)  # the next chunk is matched long before this one is written
    write_chunk(*args, **kwargs)

pipeline.write_chunk = write_slowly
batch = imported(second)
print(json.dumps({"counts": [batch.rows_read, batch.new, batch.updated, batch.unchanged, batch.rejected],
                  "pincodes": sorted(Enterprise.objects.values_list("pincode", flat=True)),
                  "threads": [t.name for t in __import__("threading").enumerate()]}))
"""


def test_a_later_row_for_an_enterprise_a_waiting_chunk_changes_is_matched_after_that_write(
        tmp_path: Path) -> None:
    """Row 2 changes the PIN code by the Udyam number; row 4, in the next chunk, sets it back by
    the GSTIN. Matched before row 2 was written, row 4 would look unchanged and be lost."""
    columns = ["udyam_number", "gstin", "name", "district_lgd_code", "pincode"]
    first = csv_bytes([row(1)], columns=columns).decode()
    second = csv_bytes([row(2), row(1, gstin="", pincode="221002"),
                        row(3), row(1, udyam_number="", pincode="221001")], columns=columns).decode()
    with child_database(tmp_path / "var") as (env, _query):
        env = {**env, "NIRYAT_IMPORT_PARALLEL_MB": "0", "NIRYAT_IMPORT_WORKERS": "2"}
        migrate = subprocess.run([sys.executable, "-m", "niryat", "manage", "migrate", "-v0"], env=env,
                                 capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert migrate.returncode == 0, migrate.stderr
        child = subprocess.run([sys.executable, "-c", CHILD, json.dumps([first, second])], env=env,
                               capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert child.returncode == 0, child.stderr
    found = json.loads(child.stdout.strip().splitlines()[-1])
    assert found["counts"] == [4, 2, 2, 0, 0]
    assert found["pincodes"] == ["221001", "221001", "221001"]  # the last row for enterprise 1 wins
    assert "import-writer" not in found["threads"]  # the thread ended with the import
