"""Everything that differs between SQLite and PostgreSQL lives in this module.

Business code never asks which database it runs on; it calls a function here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Model
from django.db.models.expressions import RawSQL
from django.utils import timezone

SQLITE_ENGINE = "django.db.backends.sqlite3"

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA foreign_keys=ON;"
    "PRAGMA temp_store=MEMORY;"
    "PRAGMA mmap_size=134217728;"
)


def connection_options(engine: str) -> dict[str, object]:
    """Connection settings for one engine: WAL and immediate transactions on SQLite.

    ``transaction_mode=IMMEDIATE`` takes the write lock when a transaction starts, so
    the web process and the task worker wait for each other (up to ``timeout``
    seconds) instead of failing with "database is locked" half-way through.
    """
    if engine == SQLITE_ENGINE:
        return {
            "OPTIONS": {
                "init_command": SQLITE_PRAGMAS,
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            }
        }
    return {}


def append_only_trigger_sql(vendor: str, table: str) -> tuple[list[str], list[str]]:
    """SQL that makes ``table`` refuse UPDATE and DELETE, and SQL that removes the guard.

    Used for the audit trail: the application never edits an event, and the
    database refuses it too, so a bug or a stray shell session cannot either.
    """
    if vendor == "sqlite":
        forward = [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;",
        ]
        backward = [f"DROP TRIGGER {table}_no_update;", f"DROP TRIGGER {table}_no_delete;"]
        return forward, backward
    if vendor == "postgresql":
        forward = [
            f"CREATE FUNCTION {table}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{table} is append-only'; END; $$;",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse();",
            # TRUNCATE is how the test runner empties tables between transactional tests.
        ]
        backward = [
            f"DROP TRIGGER {table}_append_only ON {table};",
            f"DROP FUNCTION {table}_refuse();",
        ]
        return forward, backward
    return [], []


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """``count`` new primary keys for ``model``, taken before its rows are written.

    Bulk writers send rows without RETURNING (COPY cannot return), so the keys that
    dependent rows (contacts of new enterprises) point to are reserved first. On
    PostgreSQL they come from the table's sequence; on SQLite, whose write lock the
    caller's transaction holds (``transaction_mode=IMMEDIATE``), they follow the
    highest key ever given out.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        known = cursor.fetchone()
        first = max(highest, known[0] if known else 0) + 1
        return list(range(first, first + count))


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (tuples of database-ready values in ``columns`` order) into ``model``'s table.

    The fast path for bulk work: no model instances, no per-field preparation. Values
    must already be what the column stores: ``str``/``int``/``None``, JSON as text,
    dates as ISO text and timestamps from :func:`db_now`. PostgreSQL gets the rows
    through COPY; SQLite through one prepared ``executemany``. Returns the row count.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor: Django's wrapper has no copy()
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        marks = ", ".join("%s" for _ in columns)
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 5000:
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)
            count += len(batch)
    return count


@contextmanager
def bulk_writes() -> Iterator[None]:
    """Settings for a long run of set-based writes on this connection (SQLite: a larger WAL).

    SQLite copies the write-ahead log into the database file every 1,000 pages (4 MB) by
    default. Bulk writes touch the same index pages chunk after chunk, so during them the
    log may grow to ``NIRYAT_SQLITE_BULK_WAL_PAGES`` pages first (docs/benchmarks.md).
    """
    if connection.vendor != "sqlite":
        yield
        return
    pages = int(getattr(settings, "NIRYAT_SQLITE_BULK_WAL_PAGES", 10_000))
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA wal_autocheckpoint={pages}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint=1000")


def tables_refresh(models: Sequence[type[Model]]) -> None:
    """After a bulk write: PostgreSQL vacuums and analyzes the tables at once (outside a transaction).

    A million new rows leave the planner's statistics out of date and the visibility map
    unset, so index-only scans (the enterprise list by sector, ADR 0007) read the table
    too until autovacuum comes round - a minute or more. Doing it here costs about 1 s per
    million rows. (Rows whose commit is not on disk yet stay unmarked: with synchronous_commit
    off, as in the test clusters, the last chunk's.) SQLite has neither: nothing to do.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    names = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {names}")


def db_now() -> Any:
    """The current time as :func:`insert_rows` wants a timestamp column's value."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


def column_in(column: str, values: Sequence[Any]) -> RawSQL:
    """A filter ``column IN (values)`` (``= ANY(array)`` on PostgreSQL), values sent as they are.

    For matching thousands of already clean keys at once: the ORM's ``__in`` prepares
    each value through the field, which costs more than the query itself.
    """
    if not values:
        return RawSQL("1 = 0", [], output_field=BooleanField())
    name = connection.ops.quote_name(column)
    if connection.vendor == "postgresql":
        # One array parameter: psycopg splits a query with thousands of %s in Python, every
        # time (too long to cache); that was a fifth of an import's matching (docs/benchmarks.md).
        return RawSQL(f"{name} = ANY(%s)", [list(values)], output_field=BooleanField())
    marks = ", ".join(["%s"] * len(values))
    return RawSQL(f"{name} IN ({marks})", list(values), output_field=BooleanField())
