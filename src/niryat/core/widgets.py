"""Form widgets that draw long lists cheaply."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString, mark_safe


class PlainSelect(forms.Select):
    """A ``<select>`` drawn as one string, not one template render per option.

    Django's ``Select`` renders every ``<option>`` through a template: for the 784 districts
    that is most of a page's time. This one writes the same HTML directly: the attributes the
    form gives (id, required, aria-invalid), each option escaped, the first option whose value
    matches marked ``selected``. Flat choices only (no option groups); the field's validation
    is untouched.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        attrs = self.build_attrs(self.attrs, attrs)
        wanted = set(self.format_value(value))
        options: list[str] = []
        for option_value, label in self.choices:
            text = "" if option_value is None else str(option_value)
            selected = text in wanted
            if selected:
                wanted = set()  # one selected option, as Django's Select
            options.append(f'<option value="{escape(text)}"{" selected" if selected else ""}>'
                           f"{escape(str(label))}</option>")
        return mark_safe(f'<select name="{escape(name)}"{flatatt(attrs)}>{"".join(options)}</select>')
