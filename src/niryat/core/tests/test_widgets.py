"""core: the select drawn without a template per option."""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from niryat.core.widgets import PlainSelect


class Choose(forms.Form):
    plain = forms.ChoiceField(widget=PlainSelect, required=False)
    django = forms.ChoiceField(required=False)
    needed = forms.ChoiceField(widget=PlainSelect)


CHOICES = [("", "—"), ("1", "Agra, Uttar Pradesh (118)"), ("2", 'Fish & "chips" <b>'), ("1", "again")]


@pytest.mark.parametrize("value", [None, "", "1", "2", "9"])
def test_plain_select_draws_what_django_select_draws(value: str | None) -> None:
    form = Choose({"plain": value, "django": value} if value is not None else None)
    for name in ("plain", "django", "needed"):
        form.fields[name].choices = CHOICES  # type: ignore[attr-defined]
    form.is_valid()
    plain = str(form["plain"]).replace("id_plain", "id_x").replace('name="plain"', 'name="x"')
    django = str(form["django"]).replace("id_django", "id_x").replace('name="django"', 'name="x"')
    assert parse_html(plain) == parse_html(django)
    assert "&lt;b&gt;" in plain and "&amp;" in plain
    assert plain.count("selected") == (0 if value == "9" else 1)  # unbound: the empty option


def test_plain_select_keeps_the_form_s_attributes() -> None:
    form = Choose({"needed": "9"})
    form.fields["needed"].choices = CHOICES  # type: ignore[attr-defined]
    assert not form.is_valid() and "needed" in form.errors  # the field's validation is Django's
    html = str(form["needed"])
    assert 'id="id_needed"' in html and "required" in html and 'aria-invalid="true"' in html
