"""Turning what a person typed (or a row of a file) into clean enterprise values.

``clean_enterprise`` checks every field and cross-checks the identifiers against each
other and against the district, and returns the cleaned values with every problem
found, each naming its field. Errors stop the record; warnings are shown and kept.
The form, the API and the importer all call it, with a ``ReferenceIndex`` loaded once
(the importer checks a million rows against the same index without a query per row).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import phonenumbers
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from niryat.india import identifiers
from niryat.india.identifiers import Level
from niryat.india.names import name_key
from niryat.india.sizes import size_class
from niryat.registry.models import ExportExperience

MAX_RUPEES = Decimal(10) ** 13  # ₹10 lakh crore: far above any MSME, far below BIGINT paise
PINCODE_RE = re.compile(r"^[1-9][0-9]{5}$")
# Most numbers in files are plain Indian mobiles; they skip the (slow) general parser.
INDIAN_MOBILE_RE = re.compile(r"^(?:\+?91|0)?([6-9][0-9]{9})$")
PHONE_SEPARATORS = re.compile(r"[\s\-().]")
# Legacy GST codes still found on old GSTINs, mapped to the code of today's state.
GST_CODE_SUCCESSORS = {"25": "26", "28": "37"}
EXPERIENCES = frozenset(ExportExperience.values)
MARKET_SEPARATORS = re.compile(r"[,; ]+")
# The date the investment and turnover figures are for: ISO, or day first as Indian files write it.
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")
TEXT_LIMITS = {"name": 200, "name_hi": 200, "trade_name": 200, "trade_name_hi": 200,
               "contact_name": 150, "address": 1000}


@dataclass(frozen=True)
class Problem:
    """One problem with one field of one record."""

    field: str
    code: str
    message: str
    level: Level = "error"


@dataclass
class Cleaned:
    """Clean values ready for a service, and the problems found on the way."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    @property
    def ok(self) -> bool:
        return all(p.level != "error" for p in self.problems)

    def add(self, field_name: str, code: str, message: str, level: Level = "error") -> None:
        self.problems.append(Problem(field_name, code, message, level))


@dataclass(frozen=True)
class DistrictFacts:
    state_lgd: int
    state_name: str
    gst_code: str
    odop_product_id: int | None


@dataclass
class ReferenceIndex:
    """The reference data validation needs, loaded in a handful of queries."""

    districts: dict[int, DistrictFacts]
    sectors: dict[str, str]  # slug or lower-case English name → slug
    gst_codes: set[str]
    udyam_states: dict[str, int]
    countries: set[str]

    @classmethod
    def load(cls) -> ReferenceIndex:
        from niryat.reference.models import Country, District, GstStateCode, OdopProduct, Sector

        odop: dict[int, int] = {}
        for product_id, district_id in OdopProduct.objects.order_by("id").values_list(
            "id", "district_id"
        ):
            odop.setdefault(district_id, product_id)
        districts = {
            lgd: DistrictFacts(state_lgd, state_name, gst or "", odop.get(lgd))
            for lgd, state_lgd, state_name, gst in District.objects.values_list(
                "lgd_code", "state_id", "state__name", "state__gst_code"
            )
        }
        sectors: dict[str, str] = {}
        for slug, name in Sector.objects.values_list("slug", "name"):
            sectors[slug] = slug
            sectors[name.lower()] = slug
        return cls(
            districts=districts,
            sectors=sectors,
            gst_codes=set(GstStateCode.objects.values_list("code", flat=True)),
            udyam_states=identifiers.udyam_state_codes(),
            countries=set(Country.objects.values_list("iso2", flat=True)),
        )


def _text(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    return "" if value is None else " ".join(str(value).split())


def _rupees_to_paise(cleaned: Cleaned, field_name: str, text: str) -> int | None:
    if not text:
        return None
    try:
        amount = Decimal(text.replace(",", "").replace("₹", "").strip())
    except InvalidOperation:
        cleaned.add(field_name, "amount", _("Write an amount in rupees, like 2500000 or 25,00,000."))
        return None
    if not amount.is_finite() or amount > MAX_RUPEES:
        cleaned.add(field_name, "amount", _("Write an amount in rupees, like 2500000 or 25,00,000."))
        return None
    if amount < 0:
        cleaned.add(field_name, "amount", _("An amount cannot be negative."))
        return None
    return int((amount * 100).to_integral_value())


def clean_enterprise(
    raw: Mapping[str, Any], ref: ReferenceIndex, today: date | None = None
) -> Cleaned:
    """Check one enterprise record (strings as typed) and return clean values and problems."""
    today = today or date.today()
    c = Cleaned()
    v = c.values
    for key, limit in TEXT_LIMITS.items():
        v[key] = _text(raw, key)
        if len(v[key]) > limit:
            c.add(key, "too_long", _("At most %(n)d characters.") % {"n": limit})
    if not v["name"]:
        c.add("name", "required", _("The legal name of the enterprise is required."))

    _identifiers(raw, c, ref)
    _place(raw, c, ref)
    _contact(raw, c)
    _business(raw, c, ref, today)
    v["name_key"] = name_key(v["name"] or v["name_hi"])
    return c


def _identifier(raw: Mapping[str, Any], c: Cleaned, kind: str, field_name: str,
                ref: ReferenceIndex) -> identifiers.Checked | None:
    """The checked identifier (findings added to ``c``), or None for a blank field."""
    text = _text(raw, field_name)
    if not text:
        return None
    # The state tables come from the index, so checking needs no database (worker processes).
    if kind == "gstin":
        checked = identifiers.check_gstin(text, ref.gst_codes)
    elif kind == "udyam":
        checked = identifiers.check_udyam(text, ref.udyam_states)
    else:
        checked = identifiers.check(kind, text)
    for finding in checked.findings:
        c.add(field_name, finding.code, finding.message, finding.level)
    return checked


def _valid(checked: identifiers.Checked | None) -> str:
    return checked.value if checked is not None and checked.valid else ""


def _identifiers(raw: Mapping[str, Any], c: Cleaned, ref: ReferenceIndex) -> None:
    v = c.values
    v["udyam_number"] = _valid(_identifier(raw, c, "udyam", "udyam_number", ref)) or None
    gstin = _identifier(raw, c, "gstin", "gstin", ref)
    v["gstin"] = _valid(gstin) or None
    v["pan"] = _valid(_identifier(raw, c, "pan", "pan", ref))
    v["iec"] = _valid(_identifier(raw, c, "iec", "iec", ref))
    v["fssai"] = _valid(_identifier(raw, c, "fssai", "fssai", ref))
    # A tax deductor's GSTIN may carry a TAN, and codes 97/99 carry no PAN: only a PAN counts.
    gstin_pan = gstin.info.get("pan", "") if v["gstin"] and gstin is not None else ""
    if gstin_pan and v["pan"] and gstin_pan != v["pan"]:
        c.add("gstin", "cross.gstin_pan",
              _("The PAN inside the GSTIN (%(inner)s) is not the enterprise's PAN (%(pan)s).")
              % {"inner": gstin_pan, "pan": v["pan"]})
    if gstin_pan and not v["pan"]:
        v["pan"] = gstin_pan
    if v["iec"] and v["pan"] and not v["iec"].isdigit() and v["iec"] != v["pan"]:
        c.add("iec", "cross.iec_pan",
              _("Since 2020 the IEC is the firm's PAN; this IEC (%(iec)s) is not the PAN (%(pan)s).")
              % {"iec": v["iec"], "pan": v["pan"]})


def _place(raw: Mapping[str, Any], c: Cleaned, ref: ReferenceIndex) -> None:
    v = c.values
    v["district_id"] = None
    v["odop_product_id"] = None
    code_text = _text(raw, "district_lgd_code")
    if code_text:
        facts = ref.districts.get(int(code_text)) if code_text.isdecimal() and code_text.isascii() else None
        if facts is None:
            c.add("district_lgd_code", "unknown",
                  _("%(code)s is not the LGD code of an Indian district.") % {"code": code_text})
        else:
            v["district_id"] = int(code_text)
            v["odop_product_id"] = facts.odop_product_id
            gst = v.get("gstin")
            if gst:
                state = GST_CODE_SUCCESSORS.get(gst[:2], gst[:2])
                if state not in {"97", "99"} and facts.gst_code and state != facts.gst_code:
                    c.add("gstin", "cross.gstin_state",
                          _("The GSTIN is registered in GST state %(code)s, but the district is in "
                            "%(state)s (GST code %(expected)s).")
                          % {"code": gst[:2], "state": facts.state_name, "expected": facts.gst_code},
                          "warning")
            udyam = v.get("udyam_number")
            if udyam:
                udyam_state = ref.udyam_states.get(udyam[6:8])
                if udyam_state is not None and udyam_state != facts.state_lgd:
                    c.add("udyam_number", "cross.udyam_state",
                          _("The Udyam number is from another state (%(letters)s) than the "
                            "district (%(state)s).") % {"letters": udyam[6:8], "state": facts.state_name},
                          "warning")
    v["pincode"] = _text(raw, "pincode").replace(" ", "")
    if v["pincode"] and not PINCODE_RE.match(v["pincode"]):
        c.add("pincode", "format", _("A PIN code has six digits and does not start with 0."))
        v["pincode"] = ""


# Django's own rule for the part before the @, compiled once as a plain pattern: Django keeps
# it behind a lazy object whose every use cost more than the match (docs/benchmarks.md).
EMAIL_USER_RE = re.compile(validate_email.user_regex.pattern, validate_email.user_regex.flags)


@lru_cache(maxsize=4096)
def _email_domain_ok(domain: str) -> bool:
    """Django's verdict on the part after the @; a file's addresses share a few domains."""
    return domain in validate_email.domain_allowlist or validate_email.validate_domain_part(domain)


def email_ok(email: str) -> bool:
    """Whether Django's ``validate_email`` accepts the address: the same rule, checked faster."""
    if not email or "@" not in email or len(email) > 320:
        return False
    user, domain = email.rsplit("@", 1)
    return EMAIL_USER_RE.match(user) is not None and _email_domain_ok(domain)


def _contact(raw: Mapping[str, Any], c: Cleaned) -> None:
    v = c.values
    mobile = _text(raw, "mobile")
    v["mobile"] = ""
    plain = INDIAN_MOBILE_RE.match(PHONE_SEPARATORS.sub("", mobile)) if mobile else None
    if plain:
        v["mobile"] = "+91" + plain.group(1)
    elif mobile:
        try:
            number = phonenumbers.parse(mobile, "IN")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            c.add("mobile", "invalid", _("%(mobile)s is not a valid phone number.") % {"mobile": mobile})
        else:
            v["mobile"] = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            kind = phonenumbers.number_type(number)
            if kind not in (phonenumbers.PhoneNumberType.MOBILE,
                            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
                c.add("mobile", "not_mobile", _("This looks like a landline, not a mobile number."),
                      "warning")
    email = _text(raw, "email").lower()
    v["email"] = ""
    if email_ok(email):
        v["email"] = email
    elif email:
        c.add("email", "invalid", _("%(email)s is not a valid email address.") % {"email": email})


def _figures_date(raw: Mapping[str, Any], c: Cleaned, today: date) -> date | None:
    """The date the investment and turnover figures are for, if the record gives one."""
    value = raw.get("size_as_of")
    if isinstance(value, datetime):  # a date cell of a spreadsheet
        value = value.date()
    text = "" if isinstance(value, date) else _text(raw, "size_as_of")
    day = value if isinstance(value, date) else _parse_date(text)
    if day is None:
        if text:
            c.add("size_as_of", "invalid", _("Write the date of the figures like 2025-03-31 or 31/03/2025."))
        return None
    if day > today:
        c.add("size_as_of", "future", _("The date of the figures cannot be in the future."))
        return None
    return day


def _parse_date(text: str) -> date | None:
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _business(raw: Mapping[str, Any], c: Cleaned, ref: ReferenceIndex, today: date) -> None:
    v = c.values
    sector = _text(raw, "sector")
    v["sector_id"] = ref.sectors.get(sector) or ref.sectors.get(sector.lower()) if sector else None
    if sector and v["sector_id"] is None:
        c.add("sector", "unknown", _("%(sector)s is not a sector we know.") % {"sector": sector})
    v["investment_paise"] = _rupees_to_paise(c, "investment", _text(raw, "investment"))
    v["turnover_paise"] = _rupees_to_paise(c, "turnover", _text(raw, "turnover"))
    v["size_class"], v["size_as_of"] = "", None
    as_of = _figures_date(raw, c, today)
    v["size_as_of_given"] = as_of is not None
    if v["investment_paise"] is not None and v["turnover_paise"] is not None:
        # The limits in force on the figures' date decide the class (2020 or 2025 limits).
        v["size_as_of"] = as_of or today
        v["size_class"] = size_class(v["investment_paise"], v["turnover_paise"], v["size_as_of"])
    elif as_of:
        c.add("size_as_of", "without_figures",
              _("A date for the figures is kept only with both investment and turnover."), "warning")
    year = _text(raw, "year_started")
    v["year_started"] = None
    if year:
        if year.isdecimal() and year.isascii() and 1800 <= int(year) <= today.year:
            v["year_started"] = int(year)
        else:
            c.add("year_started", "invalid",
                  _("The year started is a year between 1800 and %(year)d.") % {"year": today.year})
    experience = _text(raw, "export_experience").lower() or ExportExperience.NONE
    if experience not in EXPERIENCES:
        c.add("export_experience", "invalid", _("Export experience is none, indirect or direct."))
        experience = ExportExperience.NONE
    v["export_experience"] = experience
    markets_text = _text(raw, "export_markets")
    markets = [m.upper() for m in MARKET_SEPARATORS.split(markets_text) if m] if markets_text else []
    unknown = [m for m in markets if m not in ref.countries]
    if unknown:
        c.add("export_markets", "unknown",
              _("Not two-letter country codes: %(codes)s.") % {"codes": ", ".join(unknown)})
    v["export_markets"] = sorted({m for m in markets if m in ref.countries})
