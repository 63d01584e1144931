"""Stopping an upload at its size limit while it streams in, before anything is kept.

Django checks nothing about the size of uploaded files: it receives the whole request
(spooling large files to a temporary file) before a view can look at it. ``LimitedUpload``
is an upload handler put first in the request's handlers: it passes the file data on to
Django's own handlers until the request's files pass the limit, then stops the upload
(``StopUpload``). Django closes and deletes what its handlers had received, reads the rest
of the request and throws it away (so the person still gets an answer), and the view gets
no file; ``stopped_upload(request)`` then tells it why.

Handlers can only be changed before ``request.POST`` or ``request.FILES`` is read, and the
CSRF middleware reads ``request.POST`` before the view runs: pages use ``upload_limit``,
which installs the handler first and checks the CSRF token after (as Django's documentation
on modifying upload handlers on the fly describes). The API uses
``niryat.core.apitools.api_upload_limit`` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt, csrf_protect

View = Callable[..., HttpResponseBase]


class LimitedUpload(FileUploadHandler):
    """Lets through at most ``limit`` bytes of uploaded files in one request.

    ``stopped`` is set when it stopped the upload; ``field_name`` is then the form field of
    the file that crossed the limit and ``message`` what to tell the person.
    """

    def __init__(self, request: HttpRequest | None, limit: int, message: str = "") -> None:
        super().__init__(request)
        self.limit = limit
        self.message = message
        self.received = 0
        self.stopped = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.stopped = True
            # Not a connection reset: the rest is read and thrown away, and the answer arrives.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler keeps the file


def limit_uploads(request: HttpRequest, limit: int, message: str = "") -> LimitedUpload:
    """Stop the uploads of ``request`` past ``limit`` bytes; call before its POST or FILES is read."""
    handler = LimitedUpload(request, limit, message)
    # Django refuses (AttributeError) once the upload has been read: too late to limit it.
    request.upload_handlers = [handler, *request.upload_handlers]
    return handler


def stopped_upload(request: HttpRequest) -> LimitedUpload | None:
    """The limit that stopped the upload of ``request``, if one did."""
    for handler in request.upload_handlers:
        if isinstance(handler, LimitedUpload) and handler.stopped:
            return handler
    return None


def with_upload_limit(view: View, limit: Callable[[], int], message: Callable[[int], str]) -> View:
    """``view``, with the uploads of its requests stopped past ``limit()`` bytes."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        size = limit()
        limit_uploads(request, size, message(size))
        return view(request, *args, **kwargs)

    return wrapper


def upload_limit(limit: Callable[[], int], message: Callable[[int], str]) -> Callable[[View], View]:
    """Decorate a page that takes a file: its uploads stop past ``limit()`` bytes.

    The view still checks the CSRF token (after the handler is in place); it finds the
    reason, ``message(limit)``, with ``stopped_upload(request)``.
    """

    def decorator(view: View) -> View:
        return csrf_exempt(with_upload_limit(csrf_protect(view), limit, message))

    return decorator
