"""What every app's ``api.py`` shares: the API's one pagination and the caller.

Apps may not import ``niryat.api`` (import-linter), so the pieces they decorate their
views with live here; core needs only ninja for them.

``PageNumberPages`` is page-number pagination for every list endpoint:
``?page=N&page_size=M``, answering ``{"items": [...], "count": N, "page": n,
"page_size": m, "pages": p}``. ``page_size`` defaults to 25 and is capped at 100 (a
larger value is served as 100, not refused); a page past the end has no items. The item
query is skipped when the page is empty, so an empty list costs one COUNT. Use it as::

    @router.get("/things", response=list[ThingOut])
    @paginate(PageNumberPages)
    def thing_list(request: HttpRequest) -> QuerySet[Thing]: ...

``api_upload_limit`` stops an endpoint's upload while it streams in (``core.uploads``)::

    @router.post("/things/files")
    @decorate_view(api_upload_limit(lambda: 10 * 1024 * 1024, too_large_message))
    def thing_file(request: HttpRequest, file: File[UploadedFile]) -> ...: ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from niryat.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from niryat.core.uploads import View, with_upload_limit


def request_actor(request: HttpRequest) -> Any:
    """The authenticated caller (set by the API's token or session authentication)."""
    return request.auth  # type: ignore[attr-defined]


class PageNumberPages(PaginationBase):
    """The API's one pagination; every list endpoint is decorated with it."""

    class Input(Schema):
        page: int = Field(1, ge=1, description="Page number, from 1.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE, ge=1, description=f"Items per page (at most {MAX_PAGE_SIZE})."
        )

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int
        pages: int

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page: int = pagination.page
        page_size = min(int(pagination.page_size), MAX_PAGE_SIZE)
        count = self._items_count(queryset)
        offset = (page - 1) * page_size
        items = list(queryset[offset : offset + page_size]) if offset < count else []
        return {
            "items": items,
            "count": count,
            "page": page,
            "page_size": page_size,
            "pages": max(1, -(-count // page_size)),
        }


def api_upload_limit(limit: Callable[[], int], message: Callable[[int], str]) -> Callable[[View], View]:
    """For ninja's ``decorate_view``: the operation's uploads stop past ``limit()`` bytes.

    It wraps the whole operation (authentication reads the body for its CSRF check), and
    does not check CSRF itself: Bearer-token callers have none. The API answers a stopped
    upload with 422 on the file's field, saying ``message(limit)``.
    """

    def decorator(run: View) -> View:
        return with_upload_limit(run, limit, message)

    return decorator
