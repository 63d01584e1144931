"""Helpers for tests of any app."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from niryat.core.middleware import RequestContextMiddleware

T = TypeVar("T")


def in_a_request(work: Callable[[], T]) -> T:
    """Run ``work()`` as a view behind the middleware that gives a request its memory."""
    result: list[T] = []

    def view(request: HttpRequest) -> HttpResponse:
        result.append(work())
        return HttpResponse()

    RequestContextMiddleware(view)(RequestFactory().get("/"))
    return result[0]
