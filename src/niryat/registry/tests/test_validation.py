"""clean_enterprise: every field, and the identifiers cross-checked against each other and the district."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from niryat.registry.tests.helpers import AHMEDABAD, BENGALURU_URBAN, TODAY, VARANASI, gstin
from niryat.registry.validation import Cleaned, ReferenceIndex, clean_enterprise, email_ok

pytestmark = pytest.mark.django_db

PAN = "ABCPE1234F"


def clean(ref: ReferenceIndex, today: date = TODAY, **raw: Any) -> Cleaned:
    raw.setdefault("name", "Shree Ganesh Handicrafts")
    return clean_enterprise(raw, ref, today=today)


def problems(cleaned: Cleaned, level: str | None = None) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in cleaned.problems if level is None or p.level == level}


def test_minimal_record_is_clean(ref: ReferenceIndex) -> None:
    cleaned = clean(ref)
    assert cleaned.ok and cleaned.problems == []
    v = cleaned.values
    assert v["name"] == "Shree Ganesh Handicrafts"
    assert v["name_key"] == "ganes handicrafts"
    assert v["udyam_number"] is None and v["gstin"] is None and v["pan"] == ""
    assert v["export_experience"] == "none" and v["export_markets"] == []
    assert v["size_class"] == "" and v["size_as_of"] is None


@pytest.mark.parametrize("name", ["", "   ", None])
def test_name_is_required(ref: ReferenceIndex, name: str | None) -> None:
    cleaned = clean(ref, name=name)
    assert problems(cleaned) == {("name", "required")}
    assert not cleaned.ok


def test_text_is_trimmed_and_too_long_text_is_an_error(ref: ReferenceIndex) -> None:
    assert clean(ref, name="  Ganesh   Handicrafts ").values["name"] == "Ganesh Handicrafts"
    assert ("name", "too_long") in problems(clean(ref, name="x" * 201))


def test_a_whole_valid_record(ref: ReferenceIndex) -> None:
    cleaned = clean(
        ref, name="Banarasi Silk Udyog", name_hi="बनारसी सिल्क उद्योग",
        udyam_number="udyam-up-65-0012345", gstin=gstin(PAN, "09").lower(), pan=PAN.lower(),
        iec=PAN, fssai="", district_lgd_code=str(VARANASI), sector="textiles-apparel",
        pincode="221 001", mobile="98765 43210", email="Owner@Example.IN", investment="25,00,000",
        turnover="₹ 1,20,00,000.50", year_started="1998", export_experience="Indirect",
        export_markets="us, ae;GB",
    )
    assert cleaned.ok, cleaned.problems
    assert cleaned.problems == []
    v = cleaned.values
    assert v["udyam_number"] == "UDYAM-UP-65-0012345"
    assert v["gstin"] == gstin(PAN, "09") and v["pan"] == PAN and v["iec"] == PAN
    assert v["district_id"] == VARANASI
    assert v["odop_product_id"] is not None  # Varanasi's ODOP product
    assert v["sector_id"] == "textiles-apparel"
    assert v["pincode"] == "221001"
    assert v["mobile"] == "+919876543210"
    assert v["email"] == "owner@example.in"
    assert v["investment_paise"] == 2_500_000 * 100
    assert v["turnover_paise"] == 1_200_000_050
    assert v["size_class"] == "micro" and v["size_as_of"] == TODAY
    assert v["year_started"] == 1998
    assert v["export_experience"] == "indirect"
    assert v["export_markets"] == ["AE", "GB", "US"]


def test_sector_by_english_name(ref: ReferenceIndex) -> None:
    assert clean(ref, sector="Handicrafts").values["sector_id"] == "handicrafts"
    assert problems(clean(ref, sector="Rockets")) == {("sector", "unknown")}


# --- identifiers and their cross-checks ------------------------------------------------------


def test_each_identifier_error_names_its_field(ref: ReferenceIndex) -> None:
    cleaned = clean(ref, udyam_number="UDYAM-GJ-1-1", gstin="24ABC", pan="ABCXE1234F", iec="ABC",
                    fssai="123")
    assert problems(cleaned) == {
        ("udyam_number", "udyam.format"), ("gstin", "gstin.length"), ("pan", "pan.holder_type"),
        ("iec", "iec.length"), ("fssai", "fssai.format"),
    }
    v = cleaned.values
    assert v["udyam_number"] is None and v["gstin"] is None and v["pan"] == "" and v["iec"] == ""


def test_pan_inside_gstin_differs_from_pan(ref: ReferenceIndex) -> None:
    cleaned = clean(ref, gstin=gstin("AAACB1234C", "24"), pan=PAN)
    assert problems(cleaned) == {("gstin", "cross.gstin_pan")}
    error = cleaned.errors[0]
    assert "AAACB1234C" in error.message and PAN in error.message


def test_pan_filled_from_gstin_when_missing(ref: ReferenceIndex) -> None:
    cleaned = clean(ref, gstin=gstin(PAN, "24"))
    assert cleaned.ok and cleaned.values["pan"] == PAN


@pytest.mark.parametrize("state", ["97", "99"])
def test_special_gstin_does_not_fill_or_check_the_pan(ref: ReferenceIndex, state: str) -> None:
    cleaned = clean(ref, gstin=gstin("AAACB1234C", state), pan=PAN)
    assert cleaned.ok and cleaned.values["pan"] == PAN
    assert clean(ref, gstin=gstin("AAACB1234C", state)).values["pan"] == ""


def test_tax_deductor_gstin_with_a_tan_neither_fills_nor_contradicts_the_pan(ref: ReferenceIndex) -> None:
    tan_gstin = gstin("AHMG12345B", "24", z="D")
    with_pan = clean(ref, gstin=tan_gstin, pan=PAN)
    assert with_pan.ok and not with_pan.problems and with_pan.values["pan"] == PAN
    assert clean(ref, gstin=tan_gstin).values["pan"] == ""


def test_iec_differs_from_pan(ref: ReferenceIndex) -> None:
    cleaned = clean(ref, pan=PAN, iec="AAACB1234C")
    assert problems(cleaned) == {("iec", "cross.iec_pan")}


def test_iec_compared_with_the_pan_from_the_gstin(ref: ReferenceIndex) -> None:
    cleaned = clean(ref, gstin=gstin(PAN, "24"), iec="AAACB1234C")
    assert problems(cleaned) == {("iec", "cross.iec_pan")}


def test_old_numeric_iec_is_only_a_warning(ref: ReferenceIndex) -> None:
    cleaned = clean(ref, pan=PAN, iec="0512345678")
    assert cleaned.ok
    assert problems(cleaned) == {("iec", "iec.old_format")}
    assert cleaned.warnings[0].level == "warning"
    assert cleaned.values["iec"] == "0512345678"


def test_gstin_state_not_the_district_state_is_a_warning(ref: ReferenceIndex) -> None:
    cleaned = clean(ref, gstin=gstin(PAN, "09"), district_lgd_code=str(AHMEDABAD))
    assert cleaned.ok
    assert problems(cleaned, "warning") == {("gstin", "cross.gstin_state")}
    assert "Gujarat" in cleaned.warnings[0].message and "24" in cleaned.warnings[0].message


def test_gstin_state_matching_the_district_has_no_warning(ref: ReferenceIndex) -> None:
    assert clean(ref, gstin=gstin(PAN, "24"), district_lgd_code=str(AHMEDABAD)).problems == []


def test_old_gst_code_of_a_merged_state_counts_as_its_successor(ref: ReferenceIndex) -> None:
    # 28 was undivided Andhra Pradesh; Visakhapatnam is in today's Andhra Pradesh (GST 37)
    from niryat.reference.models import District

    district = District.objects.filter(state__gst_code="37").order_by("lgd_code").first()
    assert district is not None
    assert clean(ref, gstin=gstin(PAN, "28"), district_lgd_code=str(district.lgd_code)).problems == []


@pytest.mark.parametrize("state", ["97", "99"])
def test_centre_or_other_territory_gstin_has_no_state_warning(ref: ReferenceIndex, state: str) -> None:
    assert clean(ref, gstin=gstin(PAN, state), district_lgd_code=str(AHMEDABAD)).problems == []


def test_udyam_state_not_the_district_state_is_a_warning(ref: ReferenceIndex) -> None:
    cleaned = clean(ref, udyam_number="UDYAM-GJ-01-0012345", district_lgd_code=str(VARANASI))
    assert cleaned.ok
    assert problems(cleaned, "warning") == {("udyam_number", "cross.udyam_state")}
    assert "Uttar Pradesh" in cleaned.warnings[0].message


@pytest.mark.parametrize("letters", ["KR", "KA"])
def test_karnataka_udyam_letters_match_a_karnataka_district(ref: ReferenceIndex, letters: str) -> None:
    cleaned = clean(ref, udyam_number=f"UDYAM-{letters}-03-0012345", district_lgd_code=str(BENGALURU_URBAN))
    assert cleaned.problems == []


@pytest.mark.parametrize("code", ["999999", "abc", "-5", "0"])
def test_unknown_district_is_an_error(ref: ReferenceIndex, code: str) -> None:
    cleaned = clean(ref, district_lgd_code=code)
    assert problems(cleaned) == {("district_lgd_code", "unknown")}
    assert cleaned.values["district_id"] is None


# --- contact, place and business --------------------------------------------------------------


@pytest.mark.parametrize("typed", ["9876543210", "+91 98765 43210", "098765-43210", "0091 9876543210"])
def test_mobile_normalised_to_e164(ref: ReferenceIndex, typed: str) -> None:
    cleaned = clean(ref, mobile=typed)
    assert cleaned.ok, cleaned.problems
    assert cleaned.values["mobile"] == "+919876543210"


@pytest.mark.parametrize("typed", ["12345", "not a number", "+91 98765 4321", "98765432100"])
def test_bad_mobile(ref: ReferenceIndex, typed: str) -> None:
    cleaned = clean(ref, mobile=typed)
    assert problems(cleaned) == {("mobile", "invalid")}
    assert cleaned.values["mobile"] == ""


def test_landline_is_a_warning(ref: ReferenceIndex) -> None:
    cleaned = clean(ref, mobile="011 2345 6789")
    assert cleaned.ok
    assert problems(cleaned, "warning") == {("mobile", "not_mobile")}
    assert cleaned.values["mobile"] == "+911123456789"


@pytest.mark.parametrize("email", ["owner@", "owner example.in", "@example.in", "owner@@example.in"])
def test_bad_email(ref: ReferenceIndex, email: str) -> None:
    cleaned = clean(ref, email=email)
    assert problems(cleaned) == {("email", "invalid")}
    assert cleaned.values["email"] == ""


def django_accepts(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


AWKWARD_EMAILS = [
    "", "@", "a@b", "owner@localhost", "owner@[127.0.0.1]", "owner@[::1]", "owner@[999.1.1.1]",
    '"quoted user"@example.in', '"bad"quote"@example.in', "a.b@example.in", "a..b@example.in",
    ".a@example.in", "a@example", "a@-example.in", "a@example-.in", "a@exa_mple.in", "a@例え.jp",
    "उद्यम@उदाहरण.भारत", "a@xn--p1ai.xn--p1ai", "a@example.in.", "a@example.in\n", "a b@example.in",
    "a@" + "x" * 64 + ".in", "a@" + "x" * 63 + ".in", ("a" * 310) + "@example.in", ("a" * 311) + "@example.in",
    "owner@EXAMPLE.IN", "o'neil+export@example.co.in", "a@b@example.in",
]


@pytest.mark.parametrize("email", AWKWARD_EMAILS)
def test_email_rule_is_djangos(email: str) -> None:
    assert email_ok(email) is django_accepts(email)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab.-_@\\\"[]:1 +'éव\n")), max_size=24)
       | st.emails().map(str))
def test_email_rule_is_djangos_for_any_text(email: str) -> None:
    assert email_ok(email) is django_accepts(email)


@pytest.mark.parametrize("pincode", ["012345", "22100", "2210011", "22100A"])
def test_bad_pincode(ref: ReferenceIndex, pincode: str) -> None:
    cleaned = clean(ref, pincode=pincode)
    assert problems(cleaned) == {("pincode", "format")}
    assert "six digits" in cleaned.errors[0].message


@pytest.mark.parametrize("typed, paise", [
    ("25,00,000", 250_000_000), ("2500000", 250_000_000), ("₹25,00,000.75", 250_000_075),
    ("1,00,00,000", 10_000_000_00), ("0", 0),
])
def test_amounts_in_indian_grouping_become_paise(ref: ReferenceIndex, typed: str, paise: int) -> None:
    cleaned = clean(ref, investment=typed, turnover=typed)
    assert cleaned.ok, cleaned.problems
    assert cleaned.values["investment_paise"] == paise == cleaned.values["turnover_paise"]


@pytest.mark.parametrize("typed", ["twenty lakh", "25 lakh", "-5,000"])
def test_bad_amounts(ref: ReferenceIndex, typed: str) -> None:
    cleaned = clean(ref, investment=typed)
    assert problems(cleaned) == {("investment", "amount")}
    assert cleaned.values["investment_paise"] is None


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "1e30"])
def test_non_finite_or_huge_amounts_are_a_field_error(ref: ReferenceIndex, typed: str) -> None:
    """Regression: 'NaN' and 'Infinity' used to crash, '1e30' to overflow BIGINT on save."""
    cleaned = clean(ref, investment=typed, turnover="0")
    assert problems(cleaned) == {("investment", "amount")}


def test_largest_accepted_amount(ref: ReferenceIndex) -> None:
    cleaned = clean(ref, investment="1,00,00,00,00,00,000", turnover="0")  # ₹10 lakh crore
    assert cleaned.ok and cleaned.values["investment_paise"] == 10**15
    assert cleaned.values["size_class"] == "large"


def test_size_computed_from_both_amounts_with_the_limits_of_the_day(ref: ReferenceIndex) -> None:
    raw = {"investment": "2,00,00,000", "turnover": "8,00,00,000"}
    assert clean(ref, today=date(2025, 3, 31), **raw).values["size_class"] == "small"
    after = clean(ref, today=date(2025, 4, 1), **raw).values
    assert after["size_class"] == "micro" and after["size_as_of"] == date(2025, 4, 1)
    # small investment, medium turnover: medium
    assert clean(ref, investment="5,00,00,000", turnover="300,00,00,000").values["size_class"] == "medium"


@pytest.mark.parametrize("typed", ["2025-03-31", "31-03-2025", "31/03/2025", "31.03.2025",
                                   date(2025, 3, 31), datetime(2025, 3, 31)])
def test_size_with_the_limits_in_force_on_the_figures_date(ref: ReferenceIndex, typed: Any) -> None:
    raw = {"investment": "2,00,00,000", "turnover": "8,00,00,000"}
    cleaned = clean(ref, today=date(2025, 6, 1), size_as_of=typed, **raw)
    assert cleaned.ok and not cleaned.problems
    assert (cleaned.values["size_class"], cleaned.values["size_as_of"]) == ("small", date(2025, 3, 31))
    assert cleaned.values["size_as_of_given"] is True
    assert clean(ref, today=date(2025, 6, 1), size_as_of="1/4/2025", **raw).values["size_class"] == "micro"


@pytest.mark.parametrize("typed, code", [("March 2025", "invalid"), ("2025-02-30", "invalid"),
                                         ("2025-06-02", "future")])
def test_a_figures_date_that_is_not_a_past_date_is_an_error(ref: ReferenceIndex, typed: str, code: str) -> None:
    cleaned = clean(ref, today=date(2025, 6, 1), size_as_of=typed, investment="1000", turnover="1000")
    assert problems(cleaned) == {("size_as_of", code)} and not cleaned.ok


def test_a_figures_date_without_figures_is_a_warning(ref: ReferenceIndex) -> None:
    cleaned = clean(ref, size_as_of="2025-03-31", investment="1000")
    assert cleaned.ok and problems(cleaned, "warning") == {("size_as_of", "without_figures")}
    assert cleaned.values["size_as_of"] is None


def test_size_needs_both_amounts(ref: ReferenceIndex) -> None:
    cleaned = clean(ref, investment="1000")
    assert cleaned.values["size_class"] == "" and cleaned.values["investment_paise"] == 100_000


def test_unknown_export_markets(ref: ReferenceIndex) -> None:
    cleaned = clean(ref, export_markets="US, XX, uk, AE")
    assert problems(cleaned) == {("export_markets", "unknown")}
    assert "XX" in cleaned.errors[0].message and "UK" in cleaned.errors[0].message
    assert cleaned.values["export_markets"] == ["AE", "US"]


@pytest.mark.parametrize("year, ok", [("1998", True), ("1799", False), ("2026", False), ("99x", False)])
def test_year_started(ref: ReferenceIndex, year: str, ok: bool) -> None:
    cleaned = clean(ref, year_started=year)
    assert cleaned.ok is ok
    if not ok:
        assert problems(cleaned) == {("year_started", "invalid")}


def test_export_experience(ref: ReferenceIndex) -> None:
    assert clean(ref, export_experience="DIRECT").values["export_experience"] == "direct"
    cleaned = clean(ref, export_experience="lots")
    assert problems(cleaned) == {("export_experience", "invalid")}
