"""The HTTP API at ``/api/v1/``: mounts each app's router with one auth and one error
envelope.

Each app's ``api.py`` gives a ``router``; its list endpoints are paginated with
``niryat.core.apitools.PageNumberPages`` (apps may not import ``niryat.api``).
OpenAPI is at ``/api/v1/openapi.json`` and Swagger UI at ``/api/v1/docs``, served from
ninja's bundled static files (nothing is loaded from a CDN; the online validator is off).
"""

from types import ModuleType

from django.http import Http404, HttpRequest
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI, Router, Swagger

from niryat.accounts import api as accounts_api
from niryat.api.auth import api_auth
from niryat.api.errors import install_error_handlers, with_enveloped_405
from niryat.audit import api as audit_api
from niryat.core import api as core_api
from niryat.programmes import api as programmes_api
from niryat.reference import api as reference_api
from niryat.registry import api as registry_api

#: Each app's API module and the prefix it is mounted at, in URL-matching order.
APP_APIS: list[tuple[str, ModuleType]] = [
    ("", accounts_api),
    ("/programmes", programmes_api),
    ("/audit", audit_api),
    ("/jobs", core_api),
    ("/reference", reference_api),
    ("", registry_api),
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


for prefix, module in APP_APIS:
    api.add_router(prefix, module.router)


unknown = Router()


@unknown.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def unknown_path(request: HttpRequest, rest: str) -> None:
    """Any other path under /api/v1/ answers 404 in the envelope, not Django's HTML page."""
    raise Http404


api.add_router("", unknown)
