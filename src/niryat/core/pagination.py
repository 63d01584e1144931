"""One way to paginate lists on pages, so every list has the same controls."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


def paginate(request: HttpRequest, items: Any, per_page: int = DEFAULT_PAGE_SIZE) -> Page[Any]:
    """The requested page (``?page=N``) of ``items``; a bad or too-large page number gives the last."""
    paginator = Paginator(items, min(per_page, MAX_PAGE_SIZE))
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The current query string less ``page``, for links to other pages that keep the filters."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
