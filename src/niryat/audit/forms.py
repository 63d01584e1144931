from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from niryat.audit.selectors import EventFilter


class EventFilterForm(forms.Form):
    action = forms.CharField(label=_("Action starts with"), required=False, max_length=120)
    actor = forms.CharField(label=_("Who (email contains)"), required=False, max_length=254)
    target_type = forms.CharField(label=_("Object type"), required=False, max_length=80)
    target_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def to_filter(self) -> EventFilter:
        """The filter the form describes; an invalid form filters nothing."""
        if not self.is_valid():
            return EventFilter()
        data = self.cleaned_data
        return EventFilter(
            action=data["action"].strip(),
            actor=data["actor"].strip(),
            target_type=data["target_type"].strip(),
            target_id=data["target_id"].strip(),
            since=data["since"],
            until=data["until"],
        )
