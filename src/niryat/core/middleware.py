from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from niryat.core.context import (
    Origin,
    reset_origin,
    set_origin,
    start_remembering,
    stop_remembering,
)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the server saw it (REMOTE_ADDR; a proxy sets it right)."""
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Records where each request came from, so services can audit it without a request, and
    gives the request its memory of reads (``core.context.remembered``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        origin = Origin(
            channel=channel,
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            request_id=uuid.uuid4().hex,
        )
        token = set_origin(origin)
        memory = start_remembering()
        try:
            return self.get_response(request)
        finally:
            stop_remembering(memory)
            reset_origin(token)
