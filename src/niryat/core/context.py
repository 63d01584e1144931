"""Where the current request came from, for the audit trail.

The middleware fills this in for web requests; commands and tasks leave it empty
(the audit trail then says "command line" or "task" through ``origin``).
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


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
