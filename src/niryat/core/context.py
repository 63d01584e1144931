"""Per-request context: where the request came from (for the audit trail), and reads
remembered for the length of the request.

The middleware fills these in for web requests; commands and tasks leave the origin empty
(the audit trail then says "command line" or "task" through ``origin``) and remember nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Origin:
    """Where a change was made from."""

    channel: str = "system"  # web | api | cli | task | system
    ip: str | None = None
    user_agent: str = ""
    request_id: str = ""


_current: ContextVar[Origin] = ContextVar("niryat_origin", default=Origin())


def current_origin() -> Origin:
    return _current.get()


def set_origin(origin: Origin) -> object:
    """Make ``origin`` current; returns a token for ``reset_origin``."""
    return _current.set(origin)


def reset_origin(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


# Reads remembered for the length of one request (an actor's memberships, what it may see), so
# that a page asking several times runs each query once. Outside a request nothing is kept.
# Any audited change (every service writes one) forgets them: a read after a write is fresh.
_remembered: ContextVar[dict[object, object] | None] = ContextVar("niryat_remembered", default=None)


def remembered(key: object, compute: Callable[[], T]) -> T:
    """``compute()``, once per request for each ``key``; every call outside a request."""
    memo = _remembered.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[return-value]


def forget_remembered() -> None:
    """Drop what this request remembered (called when something changes)."""
    memo = _remembered.get()
    if memo is not None:
        memo.clear()


def start_remembering() -> object:
    """Begin a request's memory; returns a token for ``stop_remembering``."""
    return _remembered.set({})


def stop_remembering(token: object) -> None:
    _remembered.reset(token)  # type: ignore[arg-type]
