"""What every app's ``api.py`` shares: the API's one pagination and the caller.

Apps may not import ``niryat.api`` (import-linter), so the pieces they decorate their
views with live here; core needs only ninja for them.

``PageNumberPages`` is page-number pagination for every list endpoint:
``?page=N&page_size=M``, answering ``{"items": [...], "count": N, "count_exact": true,
"page": n, "page_size": m, "pages": p}``. ``page_size`` defaults to 25 and is capped at 100 (a
larger value is served as 100, not refused); a page past the end has no items. The count is
capped as on the pages (``core.pagination``): counting stops past 1,000 items or past the
end of the page asked for; then ``count`` is where it stopped, ``count_exact`` is false (there
are more than ``count``) and ``pages`` is at least one more than the pages counted. A query is
read as the pages read it: its keys (count and page in one), then the page's rows by key;
the second query is skipped when the page is empty. Use it as::

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

from niryat.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, CappedPaginator, count_limit
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
        count: int = Field(..., description="How many items match; when count_exact is false, "
                                            "how many were counted before counting stopped (there are more).")
        count_exact: bool = Field(..., description="False when there are more items than count: "
                                                   "counting stops past 1,000 or past the end of this page.")
        page: int
        page_size: int
        pages: int = Field(..., description="How many pages; at least that many when count_exact is false.")

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page: int = pagination.page
        page_size = min(int(pagination.page_size), MAX_PAGE_SIZE)
        pages = CappedPaginator(queryset, page_size, count_limit(page, page_size))
        offset = (page - 1) * page_size
        return {
            "items": list(pages.items_between(offset, offset + page_size)),
            "count": pages.count if pages.exact else pages.limit,
            "count_exact": pages.exact,
            "page": page,
            "page_size": page_size,
            "pages": max(1, pages.num_pages),
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
