"""The database's own cost of storing the imported enterprises: the floor under any import.

Run by ``import_bench.py`` after the import, in a child process with Django set up. It makes
empty copies of the enterprise and contact tables with the same columns, indexes and foreign
keys, and copies the imported rows into them with one ``INSERT … SELECT`` per table in one
transaction: no Python per row, no checking, no matching. Whatever an import does on top,
it cannot store the same rows faster than this on the same machine. The copies are dropped.
"""

from __future__ import annotations

import re
import time
from typing import Any

from django.db import connection, transaction

from niryat.core.db import bulk_writes

TABLES = ("registry_enterprise", "registry_contact")


def _floor_name(table: str) -> str:
    return "floor_" + table


def _rename(sql: str) -> str:
    for table in TABLES:
        sql = re.sub(rf'"?\b{table}\b"?', _floor_name(table), sql)
    return sql


def _create_sqlite(cursor: Any) -> None:
    for table in TABLES:
        cursor.execute("SELECT sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL "
                       "ORDER BY type DESC", [table])  # the table ("table") before its indexes
        for (sql,) in cursor.fetchall():
            if sql.startswith("CREATE INDEX") or sql.startswith("CREATE UNIQUE INDEX"):
                sql = re.sub(r'INDEX "?(\w+)"?', r'INDEX "floor_\1"', sql, count=1)
            cursor.execute(_rename(sql))


def _create_postgresql(cursor: Any) -> None:
    for table in TABLES:
        cursor.execute(f"CREATE TABLE {_floor_name(table)} (LIKE {table} INCLUDING ALL)")
        cursor.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
        for (definition,) in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {_floor_name(table)} ADD {_rename(definition)}")


def measure() -> tuple[float, int]:
    """Seconds to store the imported enterprises and their contacts again, and how many."""
    with connection.cursor() as cursor:
        (_create_sqlite if connection.vendor == "sqlite" else _create_postgresql)(cursor)
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
