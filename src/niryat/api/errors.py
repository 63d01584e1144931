"""One error envelope for every failure of the API.

Every error answers ``{"error": {"code": …, "message": …, "fields": [...]}}``:
``code`` is one of ``not_found``, ``unauthorized``, ``forbidden``, ``invalid``,
``throttled``, ``server_error``; ``fields`` names the offending inputs of a
validation error and is an empty list otherwise. ``install_error_handlers`` replaces
ninja's default handlers (which answer ``{"detail": …}`` or a traceback).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.http.response import HttpResponseBase
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from niryat.core.uploads import stopped_upload

logger = logging.getLogger("niryat.api")

ErrorCode = Literal["not_found", "unauthorized", "forbidden", "invalid", "throttled", "server_error"]

CODE_BY_STATUS: dict[int, ErrorCode] = {
    400: "invalid",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    422: "invalid",
    429: "throttled",
}

# Source names ninja puts first in a validation error's location; they are not field names.
PARAMETER_SOURCES = frozenset({"query", "path", "body", "form", "file", "header", "cookie"})


class FieldError(Schema):
    """What is wrong with one input."""

    field: str
    message: str


class ErrorDetail(Schema):
    code: ErrorCode
    message: str
    fields: list[FieldError] = []


class ErrorEnvelope(Schema):
    """The body of every error response (documented in the OpenAPI schema)."""

    error: ErrorDetail


def error_body(code: ErrorCode, message: str, fields: Iterable[FieldError] = ()) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": [f.model_dump() for f in fields]}}


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: ErrorCode,
    message: str,
    fields: Iterable[FieldError] = (),
) -> HttpResponse:
    return api.create_response(request, error_body(code, message, fields), status=status)


def field_name(location: Iterable[Any]) -> str:
    """Where a schema error is, named as the client names it: the same plain field names as the
    errors of our own checks (``name``, ``contacts.0.mobile``), for every endpoint.

    ``("query", "page")`` → ``page``; ``("body", "payload", "name")`` → ``name``: ninja puts the
    source first and, for a body, the name of the operation's parameter second (every operation
    takes its whole body as one schema: tests/test_errors.py checks it); the client never sees
    that name. A body that is missing altogether is ``request``.
    """
    parts = [str(part) for part in location]
    if parts and parts[0] in PARAMETER_SOURCES:
        parts = parts[2:] if parts[0] == "body" else parts[1:]
    return ".".join(parts) or "request"


def validation_fields(errors: Iterable[Mapping[str, Any]]) -> list[FieldError]:
    """ninja/pydantic validation errors as one entry per offending input."""
    return [
        FieldError(field=field_name(error.get("loc", ())), message=str(error.get("msg", "Invalid value.")))
        for error in errors
    ]


def django_validation_fields(error: DjangoValidationError) -> list[FieldError]:
    """A model or service ``ValidationError`` as field errors (``request`` when not about one field)."""
    if hasattr(error, "error_dict"):
        return [
            FieldError(field=name, message=message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [FieldError(field="request", message=message) for message in error.messages]


def install_error_handlers(api: NinjaAPI) -> None:
    """Answer every exception an operation raises with the envelope.

    Handlers take ``exc: Any`` because ninja types a handler's argument as the exception or
    its class; ninja always passes the instance, and each handler is registered for one class.
    """

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, 404, "not_found", "Not found.")

    def on_unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        response = error_response(
            api, request, 401, "unauthorized", "Sign in or send an API token (Authorization: Bearer …)."
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    def on_forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, 403, "forbidden", str(exc) or "Forbidden.")

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        fields = validation_fields(exc.errors)
        stopped = stopped_upload(request)
        if stopped is not None:  # the file is missing because it passed its size limit
            fields = [FieldError(field=stopped.field_name, message=stopped.message),
                      *(f for f in fields if f.field != stopped.field_name)]
        return error_response(api, request, 422, "invalid", "The request is not valid.", fields)

    def on_django_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        fields = django_validation_fields(exc)
        return error_response(api, request, 422, "invalid", "The request is not valid.", fields)

    def on_throttled(request: HttpRequest, exc: Any) -> HttpResponse:
        response = error_response(api, request, 429, "throttled", "Too many requests; try again later.")
        wait = exc.wait
        if wait:
            response["Retry-After"] = str(int(wait))
        return response

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        status = exc.status_code
        code: ErrorCode = CODE_BY_STATUS.get(status, "server_error" if status >= 500 else "invalid")
        return error_response(api, request, status, code, exc.message)

    def on_unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.exception("Unhandled error in %s %s", request.method, request.path, exc_info=exc)
        return error_response(api, request, 500, "server_error", "Something went wrong on our side.")

    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(AuthenticationError, on_unauthenticated)
    api.add_exception_handler(PermissionDenied, on_forbidden)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(Throttled, on_throttled)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Exception, on_unexpected)


def with_enveloped_405(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wrap a ninja path view so that its "method not allowed" answer uses the envelope too.

    ninja answers a known path with an unknown method itself, outside the exception handlers.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            enveloped = JsonResponse(error_body("invalid", "Method not allowed."), status=405)
            enveloped["Allow"] = response["Allow"]
            return enveloped
        return response

    return wrapper
