"""Writes to the registry. Each one is audited in its own transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from niryat.accounts.models import Organisation
from niryat.audit.services import diff, record
from niryat.india.names import words_of
from niryat.registry import contacts, licences
from niryat.registry.contacts import ContactRow
from niryat.registry.models import Contact, Enterprise
from niryat.registry.validation import Cleaned

ENTERPRISE_FIELDS = [
    "name", "name_hi", "trade_name", "trade_name_hi", "udyam_number", "gstin", "pan", "iec",
    "fssai", "investment_paise", "turnover_paise", "size_class", "size_as_of", "sector_id",
    "district_id", "odop_product_id", "address", "pincode", "year_started", "export_experience",
    "export_markets", "name_key",
]
NAME_FIELDS = ("name", "name_hi", "trade_name", "trade_name_hi")
CONTACT_FIELDS = {"contact_name": "name", "mobile": "mobile", "email": "email"}


class RegistryError(ValueError):
    """A registry change that cannot be made; ``field`` names the field at fault."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def search_text(values: dict[str, Any]) -> str:
    """Everything a person may search an enterprise by, in one lower-case string."""
    parts = [values.get(k) or "" for k in (
        "name", "name_hi", "trade_name", "trade_name_hi", "udyam_number", "gstin", "pan", "iec",
        "fssai", "name_key", "mobile")]
    return " ".join(str(p) for p in parts if p).lower()


def search_words(values: dict[str, Any]) -> str:
    """The words of the enterprise's names in both scripts, for the list's word search (ADR 0009).

    Normalised as ``names.words`` does (lower case, transliterated, spelling variants folded,
    legal-form words left out), each word once.
    """
    return words_of(values.get(k) or "" for k in NAME_FIELDS)


SEARCH_COLUMNS = ("search_text", "search_words")


def _joined(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def search_columns(values: dict[str, Any], merged: dict[str, str] | None = None) -> dict[str, str]:
    """The search columns of an enterprise with these values (in ``SEARCH_COLUMNS`` order),
    followed by those of the duplicates merged into it (``merged_search``)."""
    own = dict(zip(SEARCH_COLUMNS, (search_text(values), search_words(values)), strict=True))
    if not merged:
        return own
    return {column: _joined(text, merged[column]) for column, text in own.items()}


def search_columns_set(enterprise: Enterprise, values: dict[str, Any]) -> None:
    """Rewrite a known enterprise's search columns from ``values``, with its merged duplicates'."""
    merged = merged_search([enterprise.pk]).get(enterprise.pk)
    for column, text in search_columns(values, merged).items():
        setattr(enterprise, column, text)


def merged_search(enterprise_ids: list[int]) -> dict[int, dict[str, str]]:
    """The search columns of the duplicates merged into each of these enterprises.

    They are kept in the enterprise's own, so that a merged duplicate's numbers and names still
    find the enterprise; every rewrite of the search columns adds them again.
    """
    merged: dict[int, dict[str, str]] = {}
    rows = Enterprise.objects.filter(merged_into_id__in=enterprise_ids).order_by("pk")
    for kept, *texts in rows.values_list("merged_into_id", *SEARCH_COLUMNS):
        found = merged.setdefault(kept, dict.fromkeys(SEARCH_COLUMNS, ""))
        for column, text in zip(SEARCH_COLUMNS, texts, strict=True):
            found[column] = _joined(found[column], text)
    return merged


def _check_unique(values: dict[str, Any], exclude_id: int | None = None) -> None:
    for field, label in (("udyam_number", _("Udyam number")), ("gstin", _("GSTIN"))):
        value = values.get(field)
        if not value:
            continue
        same = Enterprise.objects.filter(**{field: value})
        if exclude_id is not None:
            same = same.exclude(pk=exclude_id)
        clash = same.first()
        if clash is not None:
            raise RegistryError(
                _("This %(label)s is already registered for %(name)s.")
                % {"label": label, "name": clash.name},
                field=field,
            )


def _require_ok(cleaned: Cleaned) -> None:
    if cleaned.errors:
        first = cleaned.errors[0]
        raise RegistryError(first.message, field=first.field)


def _contacts_after(values: dict[str, Any], current: list[Contact]) -> list[ContactRow]:
    """The enterprise's contacts after the change, main contact first.

    ``values["contacts"]`` (the form, the API) is the whole list. Without it, ``contact_name``,
    ``mobile`` and ``email`` (the importer's columns, older API callers) are the main contact
    and the other contacts stay as they are. A contact with nothing in it is not kept.
    """
    if "contacts" in values:
        after: list[ContactRow] = list(values["contacts"])
    else:
        main = next((c for c in current if c.is_primary), None)
        given = {attr: values.get(key) or "" for key, attr in CONTACT_FIELDS.items()}
        after = [ContactRow(id=main.pk if main else None, name=given["name"], mobile=given["mobile"],
                            email=given["email"], is_primary=True)]
        after += [_row(c) for c in current if c is not main]
    return [c for c in after if any(c[attr] for attr in contacts.ATTRS)]


def _row(contact: Contact) -> ContactRow:
    return ContactRow(id=contact.pk, name=contact.name, mobile=contact.mobile, email=contact.email,
                      is_primary=contact.is_primary)


def _key(row: ContactRow) -> tuple[int, str, str, str, bool]:
    return (row["id"] or 0, row["name"], row["mobile"], row["email"], row["is_primary"])


def _check_contacts(current: list[Contact], after: list[ContactRow]) -> None:
    """Refuse (before anything is written) to change a contact the enterprise does not have."""
    if {row["id"] for row in after if row["id"] is not None} - {c.pk for c in current}:
        raise RegistryError(_("A contact to change is not one of this enterprise's contacts."),
                            field="contacts")


def _save_contacts(enterprise: Enterprise, current: list[Contact], after: list[ContactRow]) -> None:
    """Make the enterprise's contacts ``after``: update, add, and delete those left out."""
    by_id = {c.pk: c for c in current}
    Contact.objects.filter(pk__in=by_id.keys() - {row["id"] for row in after}).delete()
    for row in after:
        fields = {"name": row["name"], "mobile": row["mobile"], "email": row["email"],
                  "is_primary": row["is_primary"]}
        existing = by_id.get(row["id"]) if row["id"] is not None else None
        if existing is None:
            Contact.objects.create(enterprise=enterprise, **fields)
        elif _row(existing) != row:
            for attr, value in fields.items():
                setattr(existing, attr, value)
            existing.save()


def _with_mobiles(values: dict[str, Any], after: list[ContactRow]) -> dict[str, Any]:
    return {**values, "mobile": " ".join(c["mobile"] for c in after if c["mobile"])}


@transaction.atomic
def enterprise_register(*, actor: Any, steward: Organisation, cleaned: Cleaned) -> Enterprise:
    """Add an enterprise to the registry under ``steward``, with its contacts and other licences."""
    _require_ok(cleaned)
    values = cleaned.values
    _check_unique(values)
    after = _contacts_after(values, [])
    _check_contacts([], after)
    licences_after = values.get("other_licences") or {}
    enterprise = Enterprise.objects.create(
        steward=steward,
        other_licences=licences_after,
        **search_columns(_with_mobiles(values, after)),
        **{field: values.get(field) for field in ENTERPRISE_FIELDS if field in values},
    )
    _save_contacts(enterprise, [], after)
    extra = {**(contacts.audit_values(after) if after else {}), **licences.audit_values(licences_after)}
    record(
        actor,
        action="registry.enterprise.registered",
        target=enterprise,
        organisation=steward,
        changes=diff({}, {**{field: values.get(field) for field in ENTERPRISE_FIELDS}, **extra}),
    )
    return enterprise


@transaction.atomic
def enterprise_update(*, actor: Any, enterprise: Enterprise, cleaned: Cleaned) -> Enterprise:
    """Change an enterprise's details, contacts and other licences; the audit event lists what
    changed. Without ``contacts`` or ``other_licences`` in the values those stay as they are."""
    _require_ok(cleaned)
    values = cleaned.values
    _check_unique(values, exclude_id=enterprise.pk)
    before = {field: getattr(enterprise, field) for field in ENTERPRISE_FIELDS}
    after = {field: values.get(field, before[field]) for field in ENTERPRISE_FIELDS}
    if not values.get("size_as_of_given") and all(
            after[f] == before[f] for f in ("investment_paise", "turnover_paise", "size_class")):
        after["size_as_of"] = before["size_as_of"]  # same figures, no date given: not a change
    current = list(enterprise.contacts.all())
    contacts_after = _contacts_after(values, current)
    _check_contacts(current, contacts_after)
    licences_before = dict(enterprise.other_licences or {})
    licences_after = values.get("other_licences", licences_before)
    changes = diff(
        {**before, **contacts.audit_values([_row(c) for c in current]),
         **licences.audit_values(licences_before)},
        {**after, **contacts.audit_values(contacts_after), **licences.audit_values(licences_after)},
    )
    contacts_same = sorted(_key(_row(c)) for c in current) == sorted(map(_key, contacts_after))
    if not changes and contacts_same:
        return enterprise
    for field, value in after.items():
        setattr(enterprise, field, value)
    enterprise.other_licences = licences_after
    search_columns_set(enterprise, _with_mobiles(after, contacts_after))
    enterprise.save()
    if not contacts_same:
        _save_contacts(enterprise, current, contacts_after)
    record(
        actor,
        action="registry.enterprise.updated",
        target=enterprise,
        organisation=enterprise.steward_id,
        changes=changes,
    )
    return enterprise
