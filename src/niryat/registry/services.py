"""Writes to the registry. Each one is audited in its own transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from niryat.accounts.models import Organisation
from niryat.audit.services import diff, record
from niryat.registry.models import Contact, Enterprise
from niryat.registry.validation import Cleaned

ENTERPRISE_FIELDS = [
    "name", "name_hi", "trade_name", "trade_name_hi", "udyam_number", "gstin", "pan", "iec",
    "fssai", "investment_paise", "turnover_paise", "size_class", "size_as_of", "sector_id",
    "district_id", "odop_product_id", "address", "pincode", "year_started", "export_experience",
    "export_markets", "name_key",
]
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


@transaction.atomic
def enterprise_register(*, actor: Any, steward: Organisation, cleaned: Cleaned) -> Enterprise:
    """Add an enterprise to the registry under ``steward``, with its first contact."""
    _require_ok(cleaned)
    values = cleaned.values
    _check_unique(values)
    enterprise = Enterprise.objects.create(
        steward=steward,
        search_text=search_text(values),
        **{field: values.get(field) for field in ENTERPRISE_FIELDS if field in values},
    )
    if any(values.get(key) for key in CONTACT_FIELDS):
        Contact.objects.create(
            enterprise=enterprise, **{attr: values.get(key) or "" for key, attr in CONTACT_FIELDS.items()}
        )
    record(
        actor,
        action="registry.enterprise.registered",
        target=enterprise,
        organisation=steward,
        changes=diff({}, {field: values.get(field) for field in ENTERPRISE_FIELDS}),
    )
    return enterprise


@transaction.atomic
def enterprise_update(*, actor: Any, enterprise: Enterprise, cleaned: Cleaned) -> Enterprise:
    """Change an enterprise's details; the audit event lists the fields that changed."""
    _require_ok(cleaned)
    values = cleaned.values
    _check_unique(values, exclude_id=enterprise.pk)
    before = {field: getattr(enterprise, field) for field in ENTERPRISE_FIELDS}
    after = {field: values.get(field, before[field]) for field in ENTERPRISE_FIELDS}
    if all(after[f] == before[f] for f in ("investment_paise", "turnover_paise", "size_class")):
        after["size_as_of"] = before["size_as_of"]  # same figures, same size: not a change
    changes = diff(before, after)
    contact = enterprise.contacts.filter(is_primary=True).first()
    contact_before = {attr: getattr(contact, attr) if contact else "" for attr in CONTACT_FIELDS.values()}
    contact_after = {attr: values.get(key) or "" for key, attr in CONTACT_FIELDS.items()}
    contact_changes = diff(contact_before, contact_after)
    if not changes and not contact_changes:
        return enterprise
    for field, value in after.items():
        setattr(enterprise, field, value)
    enterprise.search_text = search_text({**after, "mobile": contact_after["mobile"]})
    enterprise.save()
    if contact_changes:
        if contact is None:
            Contact.objects.create(enterprise=enterprise, **contact_after)
        else:
            for attr, value in contact_after.items():
                setattr(contact, attr, value)
            contact.save()
    record(
        actor,
        action="registry.enterprise.updated",
        target=enterprise,
        organisation=enterprise.steward_id,
        changes={**changes, **{f"contact.{k}": v for k, v in contact_changes.items()}},
    )
    return enterprise
