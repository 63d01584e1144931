"""Benchmark: the CPU time of checking one row, as an import's checking worker does it.

    .venv/bin/python bench/check_bench.py [--rows 40000]

Generates ROWS synthetic rows (``generate.py``: 1 in 10 with a wrong GSTIN check character),
migrates a fresh SQLite database for the reference data, and runs ``check_chunk`` (the
shared validators, name keys, and the new enterprise's row shaped for writing) over them in
chunks of 2,000 in this process. Prints the CPU microseconds per row, best of three.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=40_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="niryat-check-bench-"))
    try:
        data = work / "rows.csv"
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(data), str(args.rows)], check=True)
        os.environ.update(NIRYAT_DATA_DIR=str(work / "var"), DJANGO_SETTINGS_MODULE="niryat.config.settings")
        subprocess.run([sys.executable, "-m", "niryat", "manage", "migrate", "-v0"], check=True)
        import django

        django.setup()
        from niryat.registry.importing.checking import check_chunk
        from niryat.registry.validation import ReferenceIndex

        ref = ReferenceIndex.load()
        with data.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            mapping = dict(enumerate(next(reader)))
            rows = [(number, cells) for number, cells in enumerate(reader, start=2)]
        today = date.today()
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            for at in range(0, len(rows), 2000):
                check_chunk(rows[at:at + 2000], mapping, ref, today)
            best = min(best, time.process_time() - start)
        print(f"checking: {best / len(rows) * 1e6:.1f} µs of CPU per row ({len(rows):,} rows, best of 3)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
