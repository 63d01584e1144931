"""core.db: the bulk-write page cache is raised only while a bulk write runs, on SQLite."""

from __future__ import annotations

import pytest
from django.db import connection

from niryat.core.db import bulk_write_cache

pytestmark = pytest.mark.django_db


def cache_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return int(cursor.fetchone()[0])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite setting")
def test_the_cache_is_raised_inside_and_restored_after_even_on_error() -> None:
    before = cache_size()
    with bulk_write_cache(16):
        assert cache_size() == -16 * 1024
    assert cache_size() == before
    with pytest.raises(RuntimeError), bulk_write_cache(16):
        raise RuntimeError("the import failed")
    assert cache_size() == before


@pytest.mark.skipif(connection.vendor == "sqlite", reason="PostgreSQL has its shared buffers")
def test_nothing_changes_on_postgresql() -> None:
    with bulk_write_cache(16), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
