"""Messages kept as a code with parameters and worded in the reader's language when read.

A row problem, a job's label or outcome, the reason a file was refused: these are found by one
process (often a background worker that knows no reader) and read later by people in English or
Hindi, on a page, in a file or through the API. So they are kept as a ``Message``: a stable code
and its parameters (plain JSON values, or other messages), never as worded text. ``word()`` (or
``str()``) words a message in the active language when it is shown (ADR 0010).

Each package keeps the wordings of its codes in its own ``messages`` module
(``niryat/<package>/messages.py``), registered with ``wording()``; a code starts with the
package's name (``india.gstin.wrong_character``), and ``word()`` imports that module when it
meets a code it does not know yet, so any process can word any stored message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.utils import translation
from django.utils.functional import Promise

Params = dict[str, Any]

_WORDINGS: dict[str, Promise] = {}
TEXT = "core.text"  # a text kept as it is: what was stored before codes, an error's own words


@dataclass(frozen=True, slots=True)
class Message:
    """A code (registered with ``wording``) and the parameters its wording takes."""

    code: str
    params: Params = field(default_factory=dict)

    def __str__(self) -> str:
        return word(self)

    def as_json(self) -> dict[str, Any]:
        """The message as JSON values, nested messages included (``from_json`` reads it back)."""
        return {"code": self.code, "params": {name: value.as_json() if isinstance(value, Message) else value
                                              for name, value in self.params.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Message:
        params = {name: cls.from_json(value) if isinstance(value, Mapping) and "code" in value else value
                  for name, value in (data.get("params") or {}).items()}
        return cls(str(data.get("code") or TEXT), params)


class Maker:
    """Makes messages of one code: ``GSTIN_WRONG(kind="GSTIN")``."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __call__(self, **params: Any) -> Message:
        return Message(self.code, params)


def wording(code: str, template: Promise) -> Maker:
    """Register how ``code`` is worded: a ``gettext_lazy`` template with ``%(name)s`` placeholders.

    Returns the maker of that code's messages. A code is registered once; it is stored in the
    database, so it never changes meaning (a new meaning gets a new code).
    """
    known = _WORDINGS.get(code)
    if known is not None:
        with translation.override(None):  # the templates as written, not translated
            if str(known) != str(template):
                raise ValueError(f"message code {code!r} is already worded differently")
    _WORDINGS[code] = template
    return Maker(code)


def text(value: str) -> Message:
    """A text kept as it is, in whatever language it was written (not translated when read)."""
    return Message(TEXT, {"text": value})


def as_message(value: str | Message) -> Message:
    """``value`` as a message: a plain text is kept as it is."""
    return value if isinstance(value, Message) else text(value)


def _template(code: str) -> Promise | None:
    template = _WORDINGS.get(code)
    if template is None and "." in code:
        try:  # the package that owns the code words it: niryat/<package>/messages.py
            import_module(f"niryat.{code.split('.', 1)[0]}.messages")
        except ImportError:
            return None
        template = _WORDINGS.get(code)
    return template


def word(message: Message | str) -> str:
    """The message worded in the active language (a plain text as it is)."""
    if isinstance(message, str):
        return message
    params = {name: word(value) if isinstance(value, Message) else value for name, value in message.params.items()}
    if message.code == TEXT:
        return str(params.get("text", ""))
    template = _template(message.code)
    if template is None:  # a code no package words any more: say what is known rather than fail
        return str(params.get("text") or message.code)
    return str(template) % params
