"""core: the select drawn without a template per option."""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from niryat.core.widgets import GivenChoices, PlainSelect


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


def test_plain_select_draws_a_list_again_from_what_it_kept() -> None:
    """The second form with the same choices is drawn from the kept options, the right one selected."""
    drawn = []
    for value in ("1", "2", None, "1"):
        form = Choose({"plain": value} if value is not None else None)
        form.fields["plain"].choices = GivenChoices(CHOICES)  # type: ignore[attr-defined]
        drawn.append(str(form["plain"]))
    assert drawn[0] == drawn[3] and drawn[0] != drawn[1]
    assert 'value="1" selected>Agra' in drawn[0] and 'value="2" selected>' in drawn[1]
    assert "selected" not in drawn[2].replace('value="" selected', "")  # unbound: the empty option


def test_given_choices_are_the_fields_choices_as_they_are() -> None:
    form = Choose({"plain": "2"})
    given = GivenChoices(CHOICES)
    form.fields["plain"].choices = given  # type: ignore[attr-defined]
    assert form.fields["plain"].choices is given and list(form.fields["plain"].widget.choices) == CHOICES
    form.is_valid()
    assert "plain" not in form.errors and form.cleaned_data["plain"] == "2"
    assert len(given) == 4
