"""Everything that differs between SQLite and PostgreSQL lives in this module.

Business code never asks which database it runs on; it calls a function here.
"""

from __future__ import annotations

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
