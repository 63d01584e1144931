"""The database's own cost of storing the imported enterprises: the floor under any import.

Run by ``import_bench.py`` after the import, in a child process with Django set up. It makes
empty copies of the enterprise and contact tables with the same columns, indexes and foreign
keys, and copies the imported rows into them with one ``INSERT … SELECT`` per table in one
transaction: no Python per row, no checking, no matching. Whatever an import does on top,
it cannot store the same rows faster than this on the same machine. The copies are dropped.

Run on its own against a database that holds an import, it takes the floor apart: the copies
as the tables are, without foreign keys, with primary keys only, and with each index alone::

    NIRYAT_DATA_DIR=… .venv/bin/python bench/write_floor.py          # or with DATABASE_URL=…
"""

from __future__ import annotations

import os
import re
import time
from typing import Any

TABLES = ("registry_enterprise", "registry_contact")
REFERENCES = re.compile(r" REFERENCES \S+ \([^)]*\)( DEFERRABLE INITIALLY DEFERRED)?")


def _floor_name(table: str) -> str:
    return "floor_" + table


def _rename(sql: str) -> str:
    for table in TABLES:
        sql = re.sub(rf'"?\b{table}\b"?', _floor_name(table), sql)
    return sql


def _indexes(cursor: Any, table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the table's indexes other than its primary key."""
    from django.db import connection

    if connection.vendor == "sqlite":
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                       "AND sql IS NOT NULL", [table])
    else:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                       "AND indexname <> %s", [table, f"{table}_pkey"])
    return list(cursor.fetchall())


def _create(cursor: Any, table: str, *, foreign_keys: bool, indexes: list[tuple[str, str]]) -> None:
    from django.db import connection

    floor = _floor_name(table)
    if connection.vendor == "sqlite":
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
        (sql,) = cursor.fetchone()
        cursor.execute(_rename(sql if foreign_keys else REFERENCES.sub("", sql)))
    else:
        cursor.execute(f"CREATE TABLE {floor} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
        cursor.execute(f"ALTER TABLE {floor} ADD PRIMARY KEY (id)")
        if foreign_keys:
            cursor.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
            for (definition,) in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {floor} ADD {_rename(definition)}")
    for name, sql in indexes:
        sql = sql.replace(f'INDEX "{name}"', f'INDEX "floor_{name}"').replace(f"INDEX {name} ", f"INDEX floor_{name} ")
        cursor.execute(_rename(sql.replace("public.", "")))


def measure(*, foreign_keys: bool = True, indexes: str | None = "all") -> tuple[float, int]:
    """Seconds to store the imported enterprises and their contacts again, and how many.

    ``indexes``: "all", None (primary keys only), or the name of the one enterprise index to keep
    (the contacts then keep theirs).
    """
    from django.db import connection, transaction

    from niryat.core.db import bulk_writes

    with connection.cursor() as cursor:
        for table in TABLES:
            kept = _indexes(cursor, table)
            if indexes is None:
                kept = []
            elif indexes != "all" and table == "registry_enterprise":
                kept = [(name, sql) for name, sql in kept if name == indexes]
            _create(cursor, table, foreign_keys=foreign_keys, indexes=kept)
        names = {table: [connection.ops.quote_name(c.name)
                         for c in connection.introspection.get_table_description(cursor, table)]
                 for table in TABLES}
        columns = {table: ", ".join(quoted) for table, quoted in names.items()}
        contact_columns = ", ".join("c." + name for name in names["registry_contact"])
        start = time.perf_counter()
        with bulk_writes(), transaction.atomic():  # the import's own settings for its writes
            cursor.execute(f"INSERT INTO floor_registry_enterprise ({columns['registry_enterprise']}) "
                           f"SELECT {columns['registry_enterprise']} FROM registry_enterprise "
                           "WHERE import_batch_id IS NOT NULL ORDER BY id")
            count = cursor.rowcount
            cursor.execute(f"INSERT INTO floor_registry_contact ({columns['registry_contact']}) "
                           f"SELECT {contact_columns} FROM registry_contact c JOIN floor_registry_enterprise e "
                           "ON e.id = c.enterprise_id ORDER BY c.id")
        seconds = time.perf_counter() - start
        for table in reversed(TABLES):
            cursor.execute(f"DROP TABLE {_floor_name(table)}")
    return seconds, count


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niryat.config.settings")
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        enterprise_indexes = [name for name, _sql in _indexes(cursor, "registry_enterprise")]
    variants: list[tuple[str, dict[str, Any]]] = [
        ("as the tables are", {}),
        ("without foreign keys", {"foreign_keys": False}),
        ("primary keys only, without foreign keys", {"foreign_keys": False, "indexes": None}),
        *((f"primary keys and {name} only, without foreign keys", {"foreign_keys": False, "indexes": name})
          for name in enterprise_indexes),
        ("as the tables are, again", {}),
    ]
    for label, options in variants:
        seconds, count = measure(**options)
        print(f"{label}: {seconds:.1f} s for {count:,} enterprises and their contacts", flush=True)


if __name__ == "__main__":
    main()
