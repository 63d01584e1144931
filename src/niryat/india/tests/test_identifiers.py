"""Every identifier validator: valid and invalid examples, with the code and the message."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn

from niryat.india.identifiers import (
    GST_ALPHABET,
    Checked,
    check,
    check_fssai,
    check_gstin,
    check_iec,
    check_pan,
    check_udyam,
    gst_check_character,
    gst_checksum,
)
from niryat.registry.tests.helpers import gst_codes_from_csv, gstin

GST_CODES = gst_codes_from_csv()
UDYAM_LETTERS = {"GJ", "UP", "KR", "KA", "MH", "DL"}


def codes(result: Checked) -> list[str]:
    return [f.code for f in result.findings]


# --- GSTIN -----------------------------------------------------------------------------------


def test_reference_table_has_every_gst_code_and_no_other() -> None:
    assert GST_CODES == {f"{n:02d}" for n in range(1, 39)} | {"97", "99"}


@pytest.mark.django_db
def test_valid_gstin_checked_against_the_database_table() -> None:
    value = gstin("ABCPE1234F", "24")
    result = check_gstin(value)
    assert result.valid and result.findings == []
    assert result.info == {"state_code": "24", "pan": "ABCPE1234F", "registration": "regular"}


def test_valid_gstin_lower_case_and_spaces_normalised() -> None:
    value = gstin("AAACB1234C", "09")
    typed = " " + " ".join([value[:2], value[2:7].lower(), value[7:12], value[12:].lower()]) + " "
    result = check_gstin(typed, GST_CODES)
    assert result.valid
    assert result.value == value


@pytest.mark.parametrize("value, n", [("", 0), ("24ABCPE1234F1Z", 14), ("24ABCPE1234F1Z55", 16)])
def test_gstin_length(value: str, n: int) -> None:
    result = check_gstin(value, GST_CODES)
    assert not result.valid
    if n == 0:
        assert codes(result) == ["gstin.empty"]
    else:
        assert codes(result) == ["gstin.length"]
        assert f"this one has {n}" in result.errors[0].message


@pytest.mark.parametrize("state", ["38", "97", "99", "01", "25", "28", "37"])
def test_gstin_every_special_state_code_is_accepted(state: str) -> None:
    value = gstin("ABCPE1234F", state)
    result = check_gstin(value, GST_CODES)
    assert result.valid, result.findings
    assert result.info["state_code"] == state


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["38", "97", "99"])
def test_gstin_special_state_codes_accepted_by_the_database_table(state: str) -> None:
    assert check_gstin(gstin("ABCPE1234F", state)).valid


def test_gstin_special_codes_need_not_embed_a_pan() -> None:
    # non-resident OIDAR registrations under centre jurisdiction: 99 + year + country + …
    body = "9917SGP29001OS"
    result = check_gstin(body + luhn.calc_check_digit(body, GST_ALPHABET), GST_CODES)
    assert result.valid, result.findings
    assert "pan" not in result.info


@pytest.mark.parametrize("state", ["45", "00", "39", "96", "AB"])
def test_gstin_unknown_state_code_rejected(state: str) -> None:
    result = check_gstin(gstin("ABCPE1234F", "24").replace("24", state, 1), GST_CODES)
    assert codes(result) == ["gstin.state_code"]
    assert f"{state} is not one" in result.errors[0].message


@pytest.mark.django_db
def test_gstin_unknown_state_code_rejected_by_the_database_table() -> None:
    assert codes(check_gstin(gstin("ABCPE1234F", "45"))) == ["gstin.state_code"]


def test_gstin_fourteenth_character_must_be_a_known_kind() -> None:
    result = check_gstin(gstin("ABCPE1234F", "24", z="Y"), GST_CODES)
    assert codes(result) == ["gstin.z"]
    message = result.errors[0].message
    assert "14th character" in message and "here it is Y" in message
    assert "D (a tax deductor)" in message and "C (a tax collector)" in message


# Each kind of registration: its 14th character, what stands in characters 3 to 12, its name.
REGISTRATIONS = [
    ("Z", "AAACB1234C", "pan", "regular"),
    ("D", "AAAGM1234C", "pan", "tax deductor"),  # a deductor with a PAN
    ("D", "DELM12345B", "tan", "tax deductor"),  # a government office with only a TAN
    ("C", "AAICA1234N", "pan", "tax collector"),  # an e-commerce operator collecting TCS
]


@pytest.mark.parametrize("z, holder, key, registration", REGISTRATIONS)
def test_gstin_each_kind_of_registration_is_valid_and_named(
    z: str, holder: str, key: str, registration: str
) -> None:
    result = check_gstin(gstin(holder, "07", z=z), GST_CODES)
    assert result.valid, result.findings
    assert result.info == {"state_code": "07", key: holder, "registration": registration}


@pytest.mark.parametrize("z, holder, key, registration", REGISTRATIONS)
def test_gstin_each_kind_of_registration_needs_its_check_character(
    z: str, holder: str, key: str, registration: str
) -> None:
    value = gstin(holder, "07", z=z)
    wrong = "0" if value[-1] != "0" else "1"
    result = check_gstin(value[:-1] + wrong, GST_CODES)
    assert codes(result) == ["gstin.checksum"]
    assert f"should be {value[-1]}, not {wrong}" in result.errors[0].message
    assert result.info["registration"] == registration


def test_gstin_other_registration_under_a_special_code() -> None:
    body = "9917SGP29001OS"  # OIDAR: its 14th character is none of Z, D, C
    value = body + luhn.calc_check_digit(body, GST_ALPHABET)
    assert check_gstin(value, GST_CODES).info["registration"] == "other"
    assert codes(check_gstin(body + ("0" if value[-1] != "0" else "1"), GST_CODES)) == ["gstin.checksum"]


@pytest.mark.parametrize("z", ["Z", "C"])
def test_gstin_only_a_tax_deductor_may_carry_a_tan(z: str) -> None:
    result = check_gstin(gstin("DELM12345B", "07", z=z), GST_CODES)
    assert codes(result) == ["gstin.pan"]


def test_gstin_thirteenth_character_cannot_be_zero() -> None:
    result = check_gstin(gstin("ABCPE1234F", "24", entity="0"), GST_CODES)
    assert codes(result) == ["gstin.entity"]
    assert "13th character" in result.errors[0].message


def test_gstin_embedded_pan_with_bad_holder_type() -> None:
    result = check_gstin(gstin("ABCXE1234F", "24"), GST_CODES)
    assert codes(result) == ["gstin.pan"]
    assert "Characters 3 to 12" in result.errors[0].message
    assert "X is not one of" in result.errors[0].message


def test_gstin_embedded_pan_with_bad_layout() -> None:
    result = check_gstin("241BCPE1234F1Z5", GST_CODES)
    assert codes(result) == ["gstin.pan"]


def test_gstin_embedded_pan_with_zero_serial() -> None:
    result = check_gstin(gstin("ABCPE0000F", "24"), GST_CODES)
    assert codes(result) == ["gstin.pan"]
    assert "0000" in result.errors[0].message


def test_gstin_special_code_with_other_characters() -> None:
    result = check_gstin("99ABC*E1234F1Z5", GST_CODES)
    assert codes(result) == ["gstin.format"]


def test_gstin_wrong_check_character_names_the_expected_one() -> None:
    value = gstin("ABCPE1234F", "24")
    expected = value[-1]
    wrong = "A" if expected != "A" else "B"
    result = check_gstin(value[:-1] + wrong, GST_CODES)
    assert codes(result) == ["gstin.checksum"]
    message = result.errors[0].message
    assert f"should be {expected}, not {wrong}" in message
    assert result.errors[0].level == "error"


def test_gstin_known_real_world_shape() -> None:
    # The example GSTIN used in GST portal documentation.
    assert check_gstin("27AAPFU0939F1ZV", GST_CODES).valid
    assert codes(check_gstin("27AAPFU0939F1ZW", GST_CODES)) == ["gstin.checksum"]


PAN_TYPES = "ABCFGHJKLPT"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# 14 characters: state code, PAN (3 letters, holder type, letter, serial 0001-9999, letter),
# registration number for the PAN in the state (1-9, A-Z), and Z.
bodies = st.builds(
    lambda state, head, holder, initial, serial, last, entity: (
        f"{state}{head}{holder}{initial}{serial:04d}{last}{entity}Z"
    ),
    st.sampled_from(sorted(GST_CODES - {"97", "99"})),
    st.text(LETTERS, min_size=3, max_size=3),
    st.sampled_from(PAN_TYPES),
    st.sampled_from(LETTERS),
    st.integers(1, 9999),
    st.sampled_from(LETTERS),
    st.sampled_from("123456789" + LETTERS),
)


@settings(max_examples=300, deadline=None)
@given(bodies)
def test_any_valid_body_with_its_computed_check_character_validates(body: str) -> None:
    assert len(body) == 14
    value = body + luhn.calc_check_digit(body, GST_ALPHABET)
    result = check_gstin(value, GST_CODES)
    assert result.valid, (value, result.findings)


@settings(max_examples=300, deadline=None)
@given(bodies, st.integers(0, 14), st.sampled_from(GST_ALPHABET))
def test_changing_any_one_character_makes_a_gstin_invalid(body: str, position: int, new: str) -> None:
    # Luhn mod N detects every single substitution (doubling-and-summing digits is a
    # permutation of the alphabet), so no change of one character passes, wherever it is.
    value = body + luhn.calc_check_digit(body, GST_ALPHABET)
    if value[position] == new:
        new = GST_ALPHABET[(GST_ALPHABET.index(new) + 1) % len(GST_ALPHABET)]
    changed = value[:position] + new + value[position + 1:]
    assert not check_gstin(changed, GST_CODES).valid
    assert not luhn.is_valid(changed, GST_ALPHABET)


# --- PAN -------------------------------------------------------------------------------------


@pytest.mark.parametrize("holder, kind", [
    ("A", "association of persons"), ("B", "body of individuals"), ("C", "company"),
    ("F", "firm or LLP"), ("G", "government agency"), ("H", "Hindu undivided family"),
    ("J", "artificial juridical person"), ("K", "krish (trust)"), ("L", "local authority"),
    ("P", "individual"), ("T", "trust"),
])
def test_pan_holder_types(holder: str, kind: str) -> None:
    result = check_pan(f"ABC{holder}E1234F")
    assert result.valid
    assert result.info["holder_type"] == kind


@pytest.mark.parametrize("holder", ["D", "E", "I", "M", "X", "Z"])
def test_pan_unknown_holder_type(holder: str) -> None:
    result = check_pan(f"ABC{holder}E1234F")
    assert codes(result) == ["pan.holder_type"]
    assert f"{holder} is not one of" in result.errors[0].message


def test_pan_normalised() -> None:
    result = check_pan(" abcpe 1234f ")
    assert result.valid and result.value == "ABCPE1234F"


@pytest.mark.parametrize("value, code", [
    ("", "pan.empty"),
    ("ABCPE1234", "pan.length"),
    ("ABCPE12345F", "pan.length"),
    ("ABCPE12E4F", "pan.format"),
    ("1BCPE1234F", "pan.format"),
    ("ABCPE12345", "pan.format"),
    ("ABCPE0000F", "pan.format"),
])
def test_pan_invalid(value: str, code: str) -> None:
    result = check_pan(value)
    assert codes(result) == [code]


def test_pan_zero_serial_message() -> None:
    assert "0000" in check_pan("ABCPE0000F").errors[0].message


# --- IEC -------------------------------------------------------------------------------------


def test_iec_is_a_pan() -> None:
    result = check_iec("aaacb1234c")
    assert result.valid and result.findings == []
    assert result.kind == "iec" and result.value == "AAACB1234C"


def test_old_numeric_iec_is_valid_with_a_warning() -> None:
    result = check_iec("0512345678")
    assert result.valid
    assert [(f.code, f.level) for f in result.findings] == [("iec.old_format", "warning")]
    assert "old 10-digit IEC" in result.warnings[0].message


@pytest.mark.parametrize("value, code", [
    ("", "iec.empty"), ("ABCXE1234F", "iec.holder_type"), ("05123456", "iec.length"),
    ("ABCPE0000F", "iec.format"),
])
def test_iec_invalid_says_it_is_a_pan(value: str, code: str) -> None:
    result = check_iec(value)
    assert codes(result) == [code]
    assert result.errors[0].message.startswith("An IEC is the firm's PAN:")


# --- Udyam -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value, letters", [
    ("UDYAM-GJ-01-0012345", "GJ"), ("udyam-up-65-0000001", "UP"), (" UDYAM-KR-03-1234567 ", "KR"),
    ("UDYAM - KA - 03 - 1234567", "KA"),
])
def test_udyam_valid(value: str, letters: str) -> None:
    result = check_udyam(value, UDYAM_LETTERS)
    assert result.valid, result.findings
    assert result.value.startswith(f"UDYAM-{letters}-")
    assert result.info["state_code"] == letters


@pytest.mark.django_db
@pytest.mark.parametrize("letters", ["KR", "KA", "GJ", "UP", "TS", "TG", "LA", "DH", "OD", "OR"])
def test_udyam_state_letters_from_the_reference_table(letters: str) -> None:
    assert check_udyam(f"UDYAM-{letters}-03-1234567").valid


@pytest.mark.django_db
@pytest.mark.parametrize("letters", ["XX", "ZZ", "IN", "QQ"])
def test_udyam_unknown_state_letters(letters: str) -> None:
    result = check_udyam(f"UDYAM-{letters}-03-1234567")
    assert codes(result) == ["udyam.state"]
    assert f"{letters} is not the code" in result.errors[0].message


@pytest.mark.parametrize("value, code", [
    ("", "udyam.empty"),
    ("UDYAM-GJ-1-0012345", "udyam.format"),
    ("UDYAM-GJ-01-012345", "udyam.format"),
    ("UDYAM-GJ-01-00123456", "udyam.format"),
    ("UDYAMGJ010012345", "udyam.format"),
    ("UAM-GJ-01-0012345", "udyam.format"),
    ("UDYAM-G1-01-0012345", "udyam.format"),
])
def test_udyam_invalid_format(value: str, code: str) -> None:
    result = check_udyam(value, UDYAM_LETTERS)
    assert codes(result) == [code]
    if code == "udyam.format":
        assert "UDYAM-GJ-01-0012345" in result.errors[0].message


# --- FSSAI -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value, kind", [("10012345678901", "licence"), ("2 0012 345678 901", "registration")])
def test_fssai_valid(value: str, kind: str) -> None:
    result = check_fssai(value)
    assert result.valid
    assert result.info["type"] == kind


@pytest.mark.parametrize("value, code", [
    ("", "fssai.empty"), ("1001234567890", "fssai.format"), ("100123456789012", "fssai.format"),
    ("1001234567890A", "fssai.format"), ("30012345678901", "fssai.kind"), ("00012345678901", "fssai.kind"),
])
def test_fssai_invalid(value: str, code: str) -> None:
    assert codes(check_fssai(value)) == [code]


def test_fssai_messages() -> None:
    assert "14 digits" in check_fssai("123").errors[0].message
    assert "starts with 1" in check_fssai("30012345678901").errors[0].message


# --- check(kind, value) ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind, value", [
    ("gstin", gstin()), ("pan", "ABCPE1234F"), ("iec", "ABCPE1234F"),
    ("udyam", "UDYAM-GJ-01-0012345"), ("fssai", "10012345678901"),
])
def test_check_dispatches_by_kind(kind: str, value: str) -> None:
    result = check(kind, value)
    assert result.kind == kind and result.valid


def test_check_unknown_kind() -> None:
    result = check("xyz", "ABC")
    assert not result.valid
    assert codes(result) == ["kind.unknown"]
    message = result.errors[0].message
    assert "xyz" in message
    for kind in ("gstin", "pan", "iec", "udyam", "fssai"):
        assert kind in message


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=20))
@settings(max_examples=500)
def test_gst_checksum_is_stdnums_luhn_mod_36(number: str) -> None:
    assert gst_checksum(number) == luhn.checksum(number, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=20))
@settings(max_examples=500)
def test_gst_check_character_is_stdnums_luhn_mod_36(body: str) -> None:
    assert gst_check_character(body) == luhn.calc_check_digit(body, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
