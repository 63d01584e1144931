"""One way to paginate lists on pages and in the API, so every list has the same controls.

Counting is capped: a list counts its items only up to ``COUNT_LIMIT`` (1,000) or to the end
of the page asked for, whichever is further, plus one. Below that the count is exact; above
it the list says "more than 1,000 items" and offers the next page, and a later page counts
further. An exact COUNT of a million rows reads all of them (about a second on PostgreSQL);
a capped one stops after 1,001.

A query is read in two steps: the keys of its first ``limit`` + 1 items in the list's order
(one query: it gives the capped count and the keys of the page), then the page's rows with
their joins by those keys. A search that must read every row to find its matches (a
substring of a name) does so once, not once to count and once more for the page; and the
sort runs on keys, not on rows joined to their districts, sectors and stewards (the database
joins before it sorts: 1.3 s against 0.4 s for a million rows on PostgreSQL). Past
``KEY_LIST_LIMIT`` keys (page 400 of 25) a page is counted and read with LIMIT/OFFSET instead.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from babel.numbers import format_decimal
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
COUNT_LIMIT = 1_000
KEY_LIST_LIMIT = 10_000


def count_limit(page: int, page_size: int) -> int:
    """How far a list is counted when page ``page`` is asked for: 1,000 or to that page's end."""
    return max(COUNT_LIMIT, page * page_size)


def capped_count(items: Any, limit: int) -> int:
    """How many ``items`` there are, but at most ``limit`` + 1 (which means "more than limit")."""
    if isinstance(items, QuerySet):
        # Without the ordering: counting needs no sort, and a sort would read every row.
        return items.order_by()[: limit + 1].count()
    return min(len(items), limit + 1)


class CappedPaginator(Paginator[Any]):
    """Django's paginator with the capped count: ``exact`` says whether ``count`` is the total;
    when it is not, ``count`` is ``limit`` + 1 and there is at least one page more."""

    def __init__(self, object_list: Any, per_page: int, limit: int) -> None:
        super().__init__(object_list, per_page)
        self.limit = limit
        self.keys: list[Any] | None = None  # the first limit + 1 keys, when read as keys

    @cached_property
    def count(self) -> int:
        items = self.object_list
        if isinstance(items, QuerySet) and self.limit <= KEY_LIST_LIMIT:
            keys = items.values_list("pk", flat=True)[: self.limit + 1]
            self.keys = list(dict.fromkeys(keys))  # once each (a DISTINCT over joined rows)
            return len(self.keys)
        return capped_count(items, self.limit)

    @property
    def exact(self) -> bool:
        return self.count <= self.limit

    @property
    def limit_label(self) -> str:
        """The limit with Indian digit grouping ("1,000", "1,00,000"), for "more than …"."""
        return str(format_decimal(self.limit, locale="en_IN"))

    def items_between(self, bottom: int, top: int) -> Any:
        """Items ``bottom`` to ``top`` (a query's by their keys when it was read as keys)."""
        if bottom >= min(top, self.count):
            return self.object_list[0:0]  # nothing there: no query
        if self.keys is not None:
            items: QuerySet[Any] = self.object_list  # type: ignore[assignment]  # keys come from a query
            return items.filter(pk__in=self.keys[bottom:top])
        return self.object_list[bottom:top]

    def page(self, number: Any) -> Page[Any]:
        """Django's, except that a page is not cut at a count that is only where counting
        stopped, and a query's page is read by its keys."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if self.exact and top + self.orphans >= self.count:
            top = self.count
        return Page(self.items_between(bottom, top), number, self)


def requested_page(value: Any) -> int:
    """The page number asked for (1 for anything that is not a whole number of at least 1)."""
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def paginate(request: HttpRequest, items: Any, per_page: int = DEFAULT_PAGE_SIZE) -> Page[Any]:
    """The requested page (``?page=N``) of ``items``; a bad or too-large page number gives the last."""
    per_page = min(per_page, MAX_PAGE_SIZE)
    number = request.GET.get("page")
    paginator = CappedPaginator(items, per_page, count_limit(requested_page(number), per_page))
    return paginator.get_page(number)


def query_without_page(request: HttpRequest) -> str:
    """The current query string less ``page``, for links to other pages that keep the filters."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
