"""Checking an enterprise's contacts and other licences as typed (contacts.py, licences.py)."""

from __future__ import annotations

from typing import Any

import pytest

from niryat.registry.contacts import MAX_CONTACTS, audit_values, clean_contact, clean_contacts
from niryat.registry.licences import clean_other_licences, licence_labels
from niryat.registry.validation import Cleaned


def checked(*rows: dict[str, Any]) -> Cleaned:
    cleaned = Cleaned()
    clean_contacts(list(rows), cleaned)
    return cleaned


def problems(cleaned: Cleaned) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in cleaned.problems]


def test_one_contact_uses_the_registry_rules_for_mobiles_and_emails() -> None:
    one = clean_contact({"name": "  Sunita   Yadav ", "mobile": "098765 43210", "email": "Sunita@Example.in"})
    assert one.ok
    assert one.values == {"name": "Sunita Yadav", "mobile": "+919876543210", "email": "sunita@example.in"}
    landline = clean_contact({"mobile": "+91 542 250 1234"})
    assert [(p.field, p.code, p.level) for p in landline.problems] == [("mobile", "not_mobile", "warning")]


def test_problems_name_the_contact_and_its_field() -> None:
    cleaned = checked({"name": "Sunita", "mobile": "9876543210"},
                      {"name": "x" * 151, "mobile": "12345", "email": "ramesh@"})
    assert problems(cleaned) == [("contacts.1.name", "too_long"), ("contacts.1.mobile", "invalid"),
                                 ("contacts.1.email", "invalid")]
    assert "12345 is not a valid phone number." in [p.message for p in cleaned.errors]


def test_empty_rows_are_left_out_and_the_first_contact_is_the_main_one() -> None:
    cleaned = checked({"name": " ", "mobile": "", "email": ""}, {"name": "Ramesh"}, {"mobile": "9876543210"})
    assert cleaned.ok
    assert [(c["name"], c["mobile"], c["is_primary"]) for c in cleaned.values["contacts"]] == [
        ("Ramesh", "", True), ("", "+919876543210", False)]


def test_the_main_contact_comes_first() -> None:
    cleaned = checked({"id": 7, "name": "Ramesh"}, {"name": "Sunita", "is_primary": True})
    assert [(c["id"], c["name"], c["is_primary"]) for c in cleaned.values["contacts"]] == [
        (None, "Sunita", True), (7, "Ramesh", False)]


def test_two_main_contacts_are_an_error_on_the_second() -> None:
    cleaned = checked({"name": "Sunita", "is_primary": True}, {"name": "Ramesh", "is_primary": True})
    assert problems(cleaned) == [("contacts.1.is_primary", "primary")]


def test_too_many_contacts() -> None:
    cleaned = checked(*({"name": f"Person {n}"} for n in range(MAX_CONTACTS + 1)))
    assert problems(cleaned) == [("contacts", "too_many")]
    assert len(cleaned.values["contacts"]) == MAX_CONTACTS


def test_no_contacts_is_an_empty_list() -> None:
    assert checked().values["contacts"] == []


def test_the_audit_shows_the_main_contact_by_field_and_the_others_in_a_line() -> None:
    contacts = checked({"name": "Sunita", "mobile": "9876543210"},
                       {"name": "Ramesh", "email": "ramesh@example.in"}).values["contacts"]
    assert audit_values(contacts) == {
        "contact.name": "Sunita", "contact.mobile": "+919876543210", "contact.email": "",
        "other_contacts": "Ramesh · ramesh@example.in"}
    assert audit_values([]) == {"contact.name": "", "contact.mobile": "", "contact.email": "",
                                "other_contacts": ""}


# --- other licences -----------------------------------------------------------------------------


def licences(raw: dict[str, Any]) -> Cleaned:
    cleaned = Cleaned()
    clean_other_licences(raw, cleaned)
    return cleaned


def test_licence_numbers_are_normalised_and_blanks_left_out() -> None:
    cleaned = licences({"bis": " cm/l  1234567 ", "huid": "", "apeda_rcmc": None, "epch_rcmc": "EPCH/123"})
    assert cleaned.ok
    assert cleaned.values["other_licences"] == {"bis": "CM/L 1234567", "epch_rcmc": "EPCH/123"}


@pytest.mark.parametrize("raw, field, code", [
    ({"fire_noc": "123"}, "other_licences.fire_noc", "unknown"),
    ({"bis": "1" * 51}, "other_licences.bis", "too_long"),
])
def test_licence_problems(raw: dict[str, str], field: str, code: str) -> None:
    cleaned = licences(raw)
    assert problems(cleaned) == [(field, code)]
    assert cleaned.values["other_licences"] == {}


def test_unknown_licence_kind_lists_the_known_ones() -> None:
    message = licences({"fire_noc": "123"}).errors[0].message
    assert "fire_noc is not a licence we know" in message and "apeda_rcmc" in message


def test_licence_labels_in_the_order_of_the_kinds() -> None:
    assert licence_labels({"trademark": "TM 1", "bis": "CM/L 1"}) == [
        ("BIS licence (ISI mark)", "CM/L 1"), ("Trademark registration", "TM 1")]
