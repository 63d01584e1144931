"""The enterprise form: plain fields; the checks live in validation.clean_enterprise."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from niryat.registry.models import Enterprise, ExportExperience, SizeClass
from niryat.registry.validation import Cleaned, ReferenceIndex, clean_enterprise


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
    district_lgd_code = forms.TypedChoiceField(label=_("District"), required=False, coerce=str)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    pincode = forms.CharField(label=_("PIN code"), required=False,
                              widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    contact_name = forms.CharField(label=_("Contact person"), required=False)
    mobile = forms.CharField(label=_("Mobile"), required=False,
                             widget=forms.TextInput(attrs={"inputmode": "tel"}))
    email = forms.CharField(label=_("Email"), required=False,
                            widget=forms.EmailInput())
    investment = forms.CharField(label=_("Investment in plant and machinery (₹)"), required=False,
                                 widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    turnover = forms.CharField(label=_("Annual turnover (₹)"), required=False,
                               widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    year_started = forms.CharField(label=_("Year started"), required=False,
                                   widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    export_experience = forms.ChoiceField(label=_("Export experience"),
                                          choices=ExportExperience.choices, required=False)
    export_markets = forms.CharField(label=_("Current export markets (country codes, e.g. US, AE)"),
                                     required=False)

    def __init__(self, *args: Any, district_choices: list[tuple[str, str]],
                 sector_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district_lgd_code"].choices = [("", "—"), *district_choices]  # type: ignore[attr-defined]
        self.fields["sector"].choices = [("", "—"), *sector_choices]  # type: ignore[attr-defined]
        self.cleaned_enterprise: Cleaned | None = None

    def check(self, ref: ReferenceIndex) -> bool:
        """Run the registry's checks; put each problem on its field. Warnings do not block."""
        if not self.is_valid():
            return False
        cleaned = clean_enterprise(self.cleaned_data, ref)
        field_for = {"investment": "investment", "turnover": "turnover"}
        for problem in cleaned.errors:
            name = field_for.get(problem.field, problem.field)
            self.add_error(name if name in self.fields else None, problem.message)
        self.cleaned_enterprise = cleaned
        return cleaned.ok

    @staticmethod
    def rupees(paise: int | None) -> str:
        return "" if paise is None else f"{paise / 100:.2f}"

    @staticmethod
    def initial_from(enterprise: Enterprise) -> dict[str, Any]:
        contact = enterprise.contacts.first()
        return {
            "name": enterprise.name, "name_hi": enterprise.name_hi,
            "trade_name": enterprise.trade_name, "trade_name_hi": enterprise.trade_name_hi,
            "udyam_number": enterprise.udyam_number or "", "gstin": enterprise.gstin or "",
            "pan": enterprise.pan, "iec": enterprise.iec, "fssai": enterprise.fssai,
            "district_lgd_code": enterprise.district_id or "", "sector": enterprise.sector_id or "",
            "address": enterprise.address, "pincode": enterprise.pincode,
            "contact_name": contact.name if contact else "", "mobile": contact.mobile if contact else "",
            "email": contact.email if contact else "",
            "investment": EnterpriseForm.rupees(enterprise.investment_paise),
            "turnover": EnterpriseForm.rupees(enterprise.turnover_paise),
            "year_started": enterprise.year_started or "",
            "export_experience": enterprise.export_experience,
            "export_markets": ", ".join(enterprise.export_markets),
        }


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search (name in either script, or any identifier)"), required=False)
    district = forms.TypedChoiceField(label=_("District"), required=False, coerce=int, empty_value=None)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    size = forms.ChoiceField(label=_("Size"), required=False,
                             choices=[("", "—"), *SizeClass.choices])
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    steward = forms.ChoiceField(label=_("Facilitator"), required=False)
