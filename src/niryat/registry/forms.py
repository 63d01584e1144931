"""The enterprise form and its contacts formset: plain fields; the checks live in
validation.clean_enterprise, contacts.clean_contacts and licences.clean_other_licences."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext_lazy as _

from niryat.core.widgets import GivenChoices, PlainSelect
from niryat.registry.contacts import MAX_CONTACTS, clean_contacts
from niryat.registry.licences import LICENCE_KINDS, NUMBER_LIMIT, clean_other_licences
from niryat.registry.models import Enterprise, ExportExperience, SizeClass
from niryat.registry.validation import Cleaned, ReferenceIndex, clean_enterprise

LICENCE_PREFIX = "licence_"
ADD_CONTACT = "add_contact"  # the name of the "Add another contact" button


class ContactForm(forms.Form):
    """One person to contact at the enterprise (a row of the contacts formset)."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Contact person"), required=False)
    mobile = forms.CharField(label=_("Mobile"), required=False,
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    email = forms.CharField(label=_("Email"), required=False, widget=forms.EmailInput())
    is_primary = forms.BooleanField(label=_("Main contact"), required=False)


ContactFormSet = forms.formset_factory(
    ContactForm, extra=1, can_delete=True, can_delete_extra=False, max_num=MAX_CONTACTS, validate_max=True,
)


def contact_formset(data: Any = None, enterprise: Enterprise | None = None) -> BaseFormSet[ContactForm]:
    """The contacts formset: the enterprise's contacts and one empty row."""
    initial = [{"id": c.pk, "name": c.name, "mobile": c.mobile, "email": c.email, "is_primary": c.is_primary}
               for c in enterprise.contacts.all()] if enterprise else None
    return ContactFormSet(data, initial=initial, prefix="contacts")


def contact_formset_with_one_more(data: Any) -> BaseFormSet[ContactForm]:
    """After "Add another contact": the rows as typed (not checked yet; rows marked for removal
    gone) and one more empty row than before."""
    posted = ContactFormSet(data, prefix="contacts")
    typed = [form.cleaned_data for form in posted.forms
             if form.is_valid() and form.has_changed() and not form.cleaned_data.get("DELETE")]
    empty = sum(1 for form in posted.forms if not form.has_changed())
    formset = ContactFormSet(initial=typed or None, prefix="contacts")
    formset.extra = empty + 1
    return formset


class EnterpriseForm(forms.Form):
    """Register or edit an enterprise; works the same in Hindi and English, on a phone."""

    name = forms.CharField(label=_("Legal name (English)"), max_length=200)
    name_hi = forms.CharField(label=_("Legal name (Hindi)"), max_length=200, required=False)
    trade_name = forms.CharField(label=_("Trade name"), max_length=200, required=False)
    trade_name_hi = forms.CharField(label=_("Trade name (Hindi)"), max_length=200, required=False)
    udyam_number = forms.CharField(label=_("Udyam number"), required=False,
                                   widget=forms.TextInput(attrs={"placeholder": "UDYAM-GJ-01-0012345"}))
    gstin = forms.CharField(label=_("GSTIN"), required=False)
    pan = forms.CharField(label=_("PAN"), required=False)
    iec = forms.CharField(label=_("IEC"), required=False)
    fssai = forms.CharField(label=_("FSSAI licence"), required=False)
    district_lgd_code = forms.TypedChoiceField(label=_("District"), required=False, coerce=str,
                                               widget=PlainSelect)
    sector = forms.ChoiceField(label=_("Sector"), required=False, widget=PlainSelect)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    pincode = forms.CharField(label=_("PIN code"), required=False,
                              widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    investment = forms.CharField(label=_("Investment in plant and machinery (₹)"), required=False,
                                 widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    turnover = forms.CharField(label=_("Annual turnover (₹)"), required=False,
                               widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    size_as_of = forms.DateField(label=_("Figures as of"), required=False,
                                 help_text=_("The size class follows the limits in force on this date; "
                                             "today if left empty."),
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    year_started = forms.CharField(label=_("Year started"), required=False,
                                   widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    export_experience = forms.ChoiceField(label=_("Export experience"),
                                          choices=ExportExperience.choices, required=False)
    export_markets = forms.CharField(label=_("Current export markets (country codes, e.g. US, AE)"),
                                     required=False)

    def __init__(self, *args: Any, district_choices: list[tuple[str, str]],
                 sector_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district_lgd_code"].choices = GivenChoices([("", "—"), *district_choices])  # type: ignore[attr-defined]
        self.fields["sector"].choices = GivenChoices([("", "—"), *sector_choices])  # type: ignore[attr-defined]
        for kind, label in LICENCE_KINDS.items():
            self.fields[LICENCE_PREFIX + kind] = forms.CharField(label=label, required=False,
                                                                 max_length=NUMBER_LIMIT)
        self.cleaned_enterprise: Cleaned | None = None

    def licence_fields(self) -> list[forms.BoundField]:
        return [self[LICENCE_PREFIX + kind] for kind in LICENCE_KINDS]

    def check(self, ref: ReferenceIndex, contacts: BaseFormSet[ContactForm]) -> bool:
        """Run the registry's checks on the enterprise and its contacts; put each problem on its
        field (a contact's on its row). Warnings do not block."""
        if not (self.is_valid() & contacts.is_valid()):  # both, so that every error shows at once
            return False
        cleaned = clean_enterprise(self.cleaned_data, ref)
        rows = [form for form in contacts.forms  # the existing contacts and the rows typed in
                if (form.cleaned_data.get("id") or form.has_changed()) and form not in contacts.deleted_forms]
        clean_contacts([form.cleaned_data for form in rows], cleaned)
        clean_other_licences({kind: self.cleaned_data[LICENCE_PREFIX + kind] for kind in LICENCE_KINDS}, cleaned)
        for problem in cleaned.errors:
            place, _dot, rest = problem.field.partition(".")
            if place == "contacts" and rest:
                n, _dot, name = rest.partition(".")
                rows[int(n)].add_error(name, problem.message)
            elif place == "other_licences":
                self.add_error(LICENCE_PREFIX + rest, problem.message)
            else:
                self.add_error(problem.field if problem.field in self.fields else None, problem.message)
        self.cleaned_enterprise = cleaned
        return cleaned.ok

    @staticmethod
    def rupees(paise: int | None) -> str:
        return "" if paise is None else f"{paise / 100:.2f}"

    @staticmethod
    def initial_from(enterprise: Enterprise) -> dict[str, Any]:
        return {
            "name": enterprise.name, "name_hi": enterprise.name_hi,
            "trade_name": enterprise.trade_name, "trade_name_hi": enterprise.trade_name_hi,
            "udyam_number": enterprise.udyam_number or "", "gstin": enterprise.gstin or "",
            "pan": enterprise.pan, "iec": enterprise.iec, "fssai": enterprise.fssai,
            "district_lgd_code": enterprise.district_id or "", "sector": enterprise.sector_id or "",
            "address": enterprise.address, "pincode": enterprise.pincode,
            "investment": EnterpriseForm.rupees(enterprise.investment_paise),
            "turnover": EnterpriseForm.rupees(enterprise.turnover_paise),
            "size_as_of": enterprise.size_as_of,
            "year_started": enterprise.year_started or "",
            "export_experience": enterprise.export_experience,
            "export_markets": ", ".join(enterprise.export_markets),
            **{LICENCE_PREFIX + kind: number for kind, number in (enterprise.other_licences or {}).items()},
        }


class EnterpriseFilterForm(forms.Form):
    """The list's search and filters; the choices are given (district and sector ones are
    built once per process, see ``reference.selectors``) and drawn by ``PlainSelect``."""

    q = forms.CharField(label=_("Search (name in either script, or any identifier)"), required=False,
                        help_text=_("The start of each word of a name: “ganesh handi” finds “Shri Ganesh "
                                    "Handicrafts”. Or an identifier or mobile number, or a part of one."))
    district = forms.TypedChoiceField(label=_("District"), required=False, coerce=int, empty_value=None,
                                      widget=PlainSelect)
    sector = forms.ChoiceField(label=_("Sector"), required=False, widget=PlainSelect)
    size = forms.ChoiceField(label=_("Size"), required=False, widget=PlainSelect,
                             choices=[("", "—"), *SizeClass.choices])
    programme = forms.ChoiceField(label=_("Programme"), required=False, widget=PlainSelect)
    steward = forms.ChoiceField(label=_("Facilitator"), required=False, widget=PlainSelect)

    def __init__(self, data: Any, *, choices: dict[str, list[tuple[str, str]]]) -> None:
        super().__init__(data)
        for name, options in choices.items():
            self.fields[name].choices = GivenChoices([("", "—"), *options])  # type: ignore[attr-defined]
