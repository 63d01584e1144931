"""Form widgets and choices that draw long lists cheaply."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString, mark_safe


class GivenChoices(BaseChoiceIterator):
    """Flat (value, label) choices handed to a field as they are.

    Setting a list on a ``ChoiceField`` normalises every pair again, and a widget's choices
    once more: for the 784 districts that is done on every request that makes the form.
    """

    def __init__(self, choices: Sequence[tuple[Any, Any]]) -> None:
        self.choices = choices

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)


# The lists drawn lately: each option as HTML, the same marked selected, and where each value
# is first met. A list's form is made on every request; its options rarely change.
Drawn = tuple[list[str], list[str], dict[str, int]]
_DRAWN: dict[tuple[tuple[Any, Any], ...], Drawn] = {}
DRAWN_KEPT = 64


def _drawn(choices: tuple[tuple[Any, Any], ...]) -> Drawn:
    found = _DRAWN.get(choices)
    if found is None:
        options: list[str] = []
        selected: list[str] = []
        first: dict[str, int] = {}
        for index, (value, label) in enumerate(choices):
            text = "" if value is None else str(value)
            start, end = f'<option value="{escape(text)}"', f">{escape(str(label))}</option>"
            options.append(start + end)
            selected.append(f"{start} selected{end}")
            first.setdefault(text, index)
        if len(_DRAWN) >= DRAWN_KEPT:
            _DRAWN.clear()
        found = _DRAWN[choices] = (options, selected, first)
    return found


class PlainSelect(forms.Select):
    """A ``<select>`` drawn as one string, not one template render per option.

    Django's ``Select`` renders every ``<option>`` through a template: for the 784 districts
    that is most of a page's time. This one writes the same HTML directly: the attributes the
    form gives (id, required, aria-invalid), each option escaped, the first option whose value
    matches marked ``selected``. The escaped options of a list are kept for the next request
    (``_DRAWN``, looked up by the choices themselves, labels included: another language is
    another list). Flat choices only (no option groups); the field's validation is untouched.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        attrs = self.build_attrs(self.attrs, attrs)
        options, selected, first = _drawn(tuple(self.choices))
        chosen = min((first[text] for text in self.format_value(value) if text in first), default=None)
        if chosen is not None:
            options = [*options[:chosen], selected[chosen], *options[chosen + 1:]]
        return mark_safe(f'<select name="{escape(name)}"{flatatt(attrs)}>{"".join(options)}</select>')
