"""Who is calling: a Bearer API token or the Django session (with CSRF for unsafe methods).

Tokens are checked by ``accounts.services.api_token_authenticate`` (stored hashed,
revocable; demo owners only in demo mode). The session works as ninja's
``django_auth`` does, except that a request without a signed-in session is simply
unauthenticated (401) instead of failing the CSRF check first (403).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from niryat.accounts.models import User
from niryat.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``POST /api/v1/tokens``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return api_token_authenticate(token.strip()) if token else None


class SessionAuth(NinjaSessionAuth):
    """The signed-in browser session; unsafe methods must carry the CSRF token."""

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)


def api_auth() -> list[Any]:
    """The authentication of every endpoint, tried in order: token first, then session."""
    return [TokenAuth(), SessionAuth(csrf=True)]
