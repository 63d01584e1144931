"""An enterprise's history as a person reads it: what happened, in words, and what changed.

The audit trail keeps stable action names (``registry.enterprise.merged``) and raw field
names and values (``district_id: 187``); the enterprise page shows a sentence and labelled
values in the reader's language. The trail itself is not changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niryat.audit.models import AuditEvent
from niryat.reference.models import District, OdopProduct, Sector
from niryat.registry.licences import LICENCE_KINDS
from niryat.registry.models import Enterprise

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

ACTIONS: dict[str, StrPromise] = {
    "registry.enterprise.registered": gettext_lazy("Registered"),
    "registry.enterprise.updated": gettext_lazy("Details changed"),
    "registry.enterprise.import_updated": gettext_lazy("Details changed by an import"),
    "registry.enterprise.merged": gettext_lazy("A duplicate was merged into this enterprise"),
    "registry.enterprise.merged_into": gettext_lazy("Merged into another enterprise as its duplicate"),
    "registry.enterprise.enrolled": gettext_lazy("Enrolled in a programme"),
    "registry.enterprise.unenrolled": gettext_lazy("Taken out of a programme"),
    "registry.import.uploaded": gettext_lazy("File uploaded for import"),
    "registry.import.started": gettext_lazy("Import started"),
}
LABELS: dict[str, StrPromise] = {
    "merged": gettext_lazy("duplicate merged in"),
    "merged_into": gettext_lazy("merged into"),
    "programme": gettext_lazy("programme"),
    "programmes": gettext_lazy("programmes"),
    "contact.name": gettext_lazy("main contact's name"),
    "contact.mobile": gettext_lazy("main contact's mobile"),
    "contact.email": gettext_lazy("main contact's email"),
    "other_contacts": gettext_lazy("other contacts"),
    "contacts_repeated": gettext_lazy("contacts it already had"),
    "file": gettext_lazy("file"),
    "size": gettext_lazy("size in bytes"),
    # Foreign keys have no verbose name of their own; the form's labels say the same.
    "district_id": gettext_lazy("District"),
    "sector_id": gettext_lazy("Sector"),
    "odop_product_id": gettext_lazy("ODOP product of the district"),
}
HIDDEN = {"name_key"}  # the search key worked out from the name: not something a person typed
ENTERPRISE_LINKS = {"merged", "merged_into"}  # values that are enterprise ids


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str
    enterprise_id: int | None = None  # the value names this enterprise (a merge)


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: str
    what: str
    action: str
    changes: list[Change]


def _label(field: str) -> str:
    if field in LABELS:
        return str(LABELS[field])
    if field.startswith("other_licences."):
        kind = field.partition(".")[2]
        return str(LICENCE_KINDS.get(kind, kind))
    model_field = _enterprise_field(field)
    return str(model_field.verbose_name) if model_field else field.replace("_", " ")


def _enterprise_field(name: str) -> models.Field[Any, Any] | None:
    """The enterprise's field of this name or column name (``district_id``), if there is one."""
    try:
        found = Enterprise._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


# Reference-data keys the trail records (district LGD code, sector slug, ODOP product id).
REFERENCES: dict[str, type[District] | type[Sector] | type[OdopProduct]] = {
    "district_id": District, "sector_id": Sector, "odop_product_id": OdopProduct}
Names = dict[str, dict[Any, str]]


def _reference_names(events: list[AuditEvent]) -> Names:
    """The names of the reference data the events mention: one query per kind that appears."""
    wanted: dict[str, set[Any]] = {field: set() for field in REFERENCES}
    for event in events:
        for field, pair in (event.changes or {}).items():
            if field in wanted and isinstance(pair, list):
                wanted[field].update(v for v in pair if v is not None)
    return {field: {obj.pk: obj.label for obj in REFERENCES[field]._default_manager.filter(pk__in=keys)}
            for field, keys in wanted.items() if keys}


def _shown(field: str, value: Any, names: Names) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if field in ENTERPRISE_LINKS:
        return f"#{value}"
    if field in names and value in names[field]:
        return f"{names[field][value]} ({value})" if field == "district_id" else names[field][value]
    model_field = _enterprise_field(field)
    choices = dict(model_field.flatchoices) if model_field else {}
    return str(choices.get(value, value))


def history_entries(events: Iterable[AuditEvent], enterprise_id: int | None = None) -> list[HistoryEntry]:
    """The events of ``selectors.enterprise_history``, oldest first, in words.

    On the page of ``enterprise_id``, the events of a duplicate merged into it say so
    ("Duplicate #13: Registered"), so that two registrations do not read as one enterprise's.
    """
    listed = list(events)
    names = _reference_names(listed)
    entries = []
    for event in listed:
        changes = []
        for field, pair in (event.changes or {}).items():
            before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            shown = _shown(field, before, names), _shown(field, after, names)
            if field in HIDDEN or shown == ("", ""):
                continue
            link = after if field in ENTERPRISE_LINKS and isinstance(after, int) else None
            changes.append(Change(_label(field), *shown, enterprise_id=link))
        what = str(ACTIONS.get(event.action, event.action))
        if (enterprise_id is not None and event.target_type == "registry.enterprise"
                and event.target_id != str(enterprise_id)):
            what = _("Duplicate #%(id)s: %(what)s") % {"id": event.target_id, "what": what}
        entries.append(HistoryEntry(at=event.at, who=event.actor_label, action=event.action,
                                    what=what, changes=changes))
    return entries
