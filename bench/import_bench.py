"""Benchmark: bulk import of enterprises, end to end (read, check, match, write, error rows).

    .venv/bin/python bench/import_bench.py --rows 1000000            # SQLite (fresh file)
    .venv/bin/python tools/with_postgres.py .venv/bin/python bench/import_bench.py --rows 1000000

Prints rows/s for the dry run, the first import and the re-import of the same file
(nothing changes), and the peak memory of each run (each runs in its own process); then
the write floor (``write_floor.py``: the database alone storing the imported rows again, the
least time any import of the file can take here), and the time and memory of a duplicate
search over the imported registry. On
PostgreSQL it also loads the same file into a bare table with COPY (what `psql \\copy`
does) in the same run and reports the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEWARD = "up-epb"


def run_child(env: dict[str, str], body: str) -> tuple[float, int, int, str]:
    """Run ``body`` (Python statements that set ``rc``, the exit status) in a child process.

    Returns seconds, the peak RSS (MB) of the child, the peak RSS of its largest own child
    (a checking worker; 0 if none ran), and the output.
    """
    code = (
        "import json, os, resource, sys, time\n"
        "if __name__ == '__main__':\n"
        "    t = time.perf_counter()\n"
        f"{textwrap.indent(textwrap.dedent(body), '    ')}\n"
        "    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "    print(json.dumps({'s': time.perf_counter() - t, 'rss': rss, 'workers': workers}), file=sys.stderr)\n"
        "    sys.exit(rc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{body} failed:\n{result.stdout}\n{result.stderr}")
    figures = json.loads(result.stderr.strip().splitlines()[-1])
    return figures["s"], int(figures["rss"]) // 1024, int(figures["workers"]) // 1024, result.stdout.strip()


def run_step(env: dict[str, str], *args: str) -> tuple[float, int, int, str]:
    """One `niryat` command in a child process (see ``run_child``)."""
    return run_child(env, f"from niryat.cli import main\nrc = main({list(args)!r})")


# The duplicate search over the imported registry, as the "look for duplicates" button runs it.
FIND_DUPLICATES = """
    import django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niryat.config.settings")
    django.setup()
    from niryat.registry.duplicates import duplicates_find
    print(duplicates_find(), "open candidates")
    rc = 0
"""

# The floor: the database storing the same enterprises again, with no Python per row.
WRITE_FLOOR = f"""
    import django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niryat.config.settings")
    django.setup()
    sys.path.insert(0, {str(ROOT / "bench")!r})
    from write_floor import measure
    print(json.dumps(measure()))
    rc = 0
"""


def checking_workers(file_size: int) -> int:
    """How many checking workers the import starts for this file (as ``pipeline.import_workers``)."""
    if file_size < int(os.environ.get("NIRYAT_IMPORT_PARALLEL_MB", "8")) * 1024 * 1024:
        return 0
    return int(os.environ.get("NIRYAT_IMPORT_WORKERS") or 0) or max(1, min(2, os.cpu_count() or 1))


def copy_baseline(path: Path) -> float | None:
    """Seconds to COPY the file into a bare table (PostgreSQL only)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        header = path.open(encoding="utf-8").readline().strip().split(",")
        conn.execute("DROP TABLE IF EXISTS bench_copy")
        conn.execute("CREATE UNLOGGED TABLE bench_copy (" + ", ".join(f'"{c}" text' for c in header) + ")")
        start = time.perf_counter()
        with conn.cursor() as cur, cur.copy("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, \
                path.open("rb") as handle:
            while block := handle.read(1 << 20):
                copy.write(block)
        seconds = time.perf_counter() - start
        conn.execute("DROP TABLE bench_copy")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="niryat-bench-"))
    data = work / f"enterprises-{args.rows}.csv"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(data), str(args.rows)], check=True)
    env = {**os.environ, "NIRYAT_DATA_DIR": str(work / "var"), "NIRYAT_DEMO": "1",
           "NIRYAT_TASK_BACKEND": "immediate"}
    subprocess.run([sys.executable, "-m", "niryat", "demo"], env=env, check=True, capture_output=True)
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"# {args.rows:,} rows ({data.stat().st_size / 1e6:.0f} MB, 1 in 10 invalid) on {database}")
    baseline = copy_baseline(data)
    if baseline is not None:
        print(f"COPY into a bare table: {baseline:.1f} s = {args.rows / baseline:,.0f} rows/s")
    for label, extra in (("dry run", ["--dry-run"]), ("import", []), ("re-import (no change)", [])):
        errors = work / f"errors-{len(extra)}.csv"  # the error report is part of "end to end"
        seconds, rss, workers, output = run_step(env, "import", "enterprises", str(data), "--steward", STEWARD,
                                                 "--errors", str(errors), *extra)
        count = checking_workers(data.stat().st_size) if workers else 0
        line = (f"{label}: {seconds:.1f} s = {args.rows / seconds:,.0f} rows/s, peak {rss} MB"
                f" + {count} checking workers × {workers} MB = {rss + count * workers} MB at most"
                f" — {output.splitlines()[0]}")
        if baseline:
            line += f" — {seconds / baseline:.0f}× the COPY time"
        print(line)
    _seconds, _rss, _workers, output = run_child(env, WRITE_FLOOR)
    seconds, stored = json.loads(output)
    print(f"write floor (the database alone storing the {stored:,} imported enterprises and their contacts"
          f" again, one INSERT … SELECT per table): {seconds:.1f} s = {args.rows / seconds:,.0f} file rows/s")
    seconds, rss, _workers, output = run_child(env, FIND_DUPLICATES)
    print(f"duplicate search over the registry: {seconds:.1f} s, peak {rss} MB — {output}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
