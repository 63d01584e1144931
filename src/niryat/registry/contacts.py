"""The people to contact at an enterprise: checking them as typed, and what the audit shows.

An enterprise has any number of contacts, one of them the main (primary) contact: the one
the importer's ``contact_name``/``mobile``/``email`` columns describe and duplicate detection
compares. Mobiles and emails follow the registry's one set of rules (``validation``); each
problem names its field as ``contacts.<n>.<field>``, ``n`` counting the contacts given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypedDict

from django.utils.translation import gettext as _

from niryat.registry import validation
from niryat.registry.validation import Cleaned

Attr = Literal["name", "mobile", "email"]
ATTRS: tuple[Attr, ...] = ("name", "mobile", "email")
NAME_LIMIT = validation.TEXT_LIMITS["contact_name"]
MAX_CONTACTS = 20


class ContactRow(TypedDict):
    """One contact as services take it; ``id`` is the existing contact's key, None for a new one."""

    id: int | None
    name: str
    mobile: str
    email: str
    is_primary: bool


def clean_contact(raw: Mapping[str, Any]) -> Cleaned:
    """One contact person as typed: ``name``, ``mobile`` and ``email``, checked and normalised."""
    cleaned = Cleaned()
    name = validation._text(raw, "name")
    if len(name) > NAME_LIMIT:
        cleaned.add("name", "too_long", _("At most %(n)d characters.") % {"n": NAME_LIMIT})
    validation._contact({"mobile": raw.get("mobile"), "email": raw.get("email")}, cleaned)
    cleaned.values["name"] = name
    return cleaned


def clean_contacts(rows: Sequence[Mapping[str, Any]], cleaned: Cleaned) -> None:
    """Check an enterprise's contacts into ``cleaned``: ``values["contacts"]``, main one first.

    Rows with nothing typed are left out. Without a main contact the first one is the main
    contact; more than one is an error on the second.
    """
    if len(rows) > MAX_CONTACTS:
        cleaned.add("contacts", "too_many", _("At most %(n)d contacts.") % {"n": MAX_CONTACTS})
        rows = rows[:MAX_CONTACTS]
    contacts: list[ContactRow] = []
    for n, raw in enumerate(rows):
        if not any(validation._text(raw, attr) for attr in ATTRS):
            continue
        one = clean_contact(raw)
        for problem in one.problems:
            cleaned.add(f"contacts.{n}.{problem.field}", problem.code, problem.message, problem.level)
        primary = bool(raw.get("is_primary"))
        if primary and any(c["is_primary"] for c in contacts):
            cleaned.add(f"contacts.{n}.is_primary", "primary", _("Only one contact can be the main contact."))
        contacts.append(ContactRow(id=int(raw["id"]) if raw.get("id") else None, name=one.values["name"],
                                   mobile=one.values["mobile"], email=one.values["email"],
                                   is_primary=primary))
    if contacts and not any(c["is_primary"] for c in contacts):
        contacts[0]["is_primary"] = True
    contacts.sort(key=lambda c: not c["is_primary"])
    cleaned.values["contacts"] = contacts


def label(contact: Mapping[str, Any]) -> str:
    """One contact in a line: name · mobile · email, leaving out what is blank."""
    return " · ".join(str(contact[attr]) for attr in ATTRS if contact[attr])


def audit_values(contacts: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """The contacts as the audit trail shows them: the main contact field by field (as the
    importer records it), the others as one line each."""
    primary = next((c for c in contacts if c["is_primary"]), None)
    values = {f"contact.{attr}": str(primary[attr]) if primary else "" for attr in ATTRS}
    values["other_contacts"] = "; ".join(label(c) for c in contacts if not c["is_primary"])
    return values
