"""The HTTP API at ``/api/v1/``: assembles each app's router with one auth, one error
envelope and one pagination.

Apps may not import ``niryat.api`` (import-linter), so each app's ``api.py`` gives a
``router`` for its single-object endpoints and a ``LIST_ENDPOINTS`` table of list views;
this module adds those views to the router wrapped in ``PageNumberPages`` and mounts it.
OpenAPI is at ``/api/v1/openapi.json`` and Swagger UI at ``/api/v1/docs``, served from
ninja's bundled static files (nothing is loaded from a CDN; the online validator is off).
"""

from collections.abc import Callable
from types import ModuleType
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI, Router, Schema, Swagger
from ninja.pagination import paginate

from niryat.accounts import api as accounts_api
from niryat.api.auth import api_auth
from niryat.api.errors import install_error_handlers, with_enveloped_405
from niryat.api.pagination import PageNumberPages
from niryat.audit import api as audit_api
from niryat.core import api as core_api
from niryat.programmes import api as programmes_api
from niryat.reference import api as reference_api

#: (path, view, item schema, tag): what each app's ``LIST_ENDPOINTS`` holds.
ListEndpoint = tuple[str, Callable[..., Any], type[Schema], str]

#: Each app's API module and the prefix it is mounted at, in URL-matching order.
APP_APIS: list[tuple[str, ModuleType]] = [
    ("", accounts_api),
    ("/programmes", programmes_api),
    ("/audit", audit_api),
    ("/jobs", core_api),
    ("/reference", reference_api),
]


class NiryatAPI(NinjaAPI):
    """ninja's API, with its own 405 answers put in the error envelope as well."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = with_enveloped_405(pattern.callback)
        return patterns, app_name, namespace


api = NiryatAPI(
    title="Niryat API",
    version="1",
    description=(
        "MSME export programmes. Authenticate with the browser session (send the CSRF token "
        "with unsafe methods) or with `Authorization: Bearer <token>` (create one at POST /tokens). "
        "Lists take `?page=&page_size=` (default 25, at most 100). Every error answers "
        '`{"error": {"code", "message", "fields"}}`.'
    ),
    urls_namespace="api-v1",
    auth=api_auth(),
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
install_error_handlers(api)


def add_list_endpoints(router: Router, endpoints: list[ListEndpoint]) -> None:
    """Register each list view as ``GET path`` answering a page of ``item``."""
    for path, view, item, tag in endpoints:
        response: Any = list[item]  # type: ignore[valid-type]
        router.get(path, response=response, tags=[tag])(paginate(PageNumberPages)(view))


for prefix, module in APP_APIS:
    add_list_endpoints(module.router, getattr(module, "LIST_ENDPOINTS", []))
    api.add_router(prefix, module.router)


unknown = Router()


@unknown.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def unknown_path(request: HttpRequest, rest: str) -> None:
    """Any other path under /api/v1/ answers 404 in the envelope, not Django's HTML page."""
    raise Http404


api.add_router("", unknown)
