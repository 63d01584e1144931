"""Words kept for a word-prefix search: a ``tsvector`` on PostgreSQL, plain text on SQLite.

A ``WordsField`` holds space-separated words that the caller has already normalised (lower
case, letters a-z and digits only). ``field__word_prefixes=[("ganes",), ("udi", "udy")]`` finds
the rows where every item has one of its spellings at the start of one of the words, the same on
both databases:

- PostgreSQL: ``words @@ '(ganes:*) & (udi:* | udy:*)'::tsquery``. A GIN index on the column
  answers a rare word in a few milliseconds, and ``ANALYZE`` keeps the frequency of the
  commonest words, so the planner knows a common word from a rare one (ADR 0009). Words are
  stored and queried as they are (``::tsvector``, ``::tsquery``), without a text-search
  configuration.
- SQLite: ``(' ' || words) LIKE '% ganes%' AND ((' ' || words) LIKE '% udi%' OR …)``.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.db.models import Lookup

WORD_RE = re.compile(r"[a-z0-9]+")


class WordsField(models.TextField):  # type: ignore[type-arg]
    """Space-separated normalised words; a ``tsvector`` column on PostgreSQL."""

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            return "tsvector"
        return super().db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        # PostgreSQL gives a tsvector back as "'ganes' 'udyog'" (sorted, without repeats).
        if value and connection.vendor == "postgresql":
            return value.replace("'", "")
        return value


@WordsField.register_lookup
class WordPrefixes(Lookup):  # type: ignore[type-arg]
    """Every item (a tuple of spellings of one word) is the start of one of the field's words."""

    lookup_name = "word_prefixes"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        wanted = [tuple(spellings) for spellings in self.rhs]
        if not wanted or not all(spellings and all(WORD_RE.fullmatch(w) for w in spellings) for spellings in wanted):
            raise ValueError(f"word_prefixes takes normalised words (a-z, 0-9), not {wanted!r}")
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            query = " & ".join("(" + " | ".join(f"{w}:*" for w in spellings) + ")" for spellings in wanted)
            return f"{lhs} @@ %s::tsquery", [*lhs_params, query]
        conditions: list[str] = []
        params: list[Any] = []
        for spellings in wanted:
            conditions.append("(" + " OR ".join(f"(' ' || {lhs}) LIKE %s" for _ in spellings) + ")")
            params.extend(param for w in spellings for param in (*lhs_params, f"% {w}%"))
        return "(" + " AND ".join(conditions) + ")", params
