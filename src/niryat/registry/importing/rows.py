"""The database rows of a new enterprise and its contact, shaped from clean values.

Shaped where the row is checked (a worker process, for a large file), so that the
process writing to the database only adds keys and timestamps.
"""

from __future__ import annotations

import json
from typing import Any

from niryat.registry.services import ENTERPRISE_FIELDS, SEARCH_COLUMNS, search_columns

# Columns of a new enterprise row after its key, steward and import batch.
ROW_FIELDS = [*ENTERPRISE_FIELDS, "other_licences", *SEARCH_COLUMNS]
_MARKETS = ENTERPRISE_FIELDS.index("export_markets")
_SIZE_AS_OF = ENTERPRISE_FIELDS.index("size_as_of")
NewRow = tuple[tuple[Any, ...], tuple[str, str, str] | None]
GIVEN = "given_columns"  # in a row's values: the fields whose cells were not blank

# The file columns each enterprise field is worked out from. A known enterprise's field is
# updated only from a row that fills all of them; a blank cell or a missing column leaves
# the registry's value as it is (a district list does not erase an address typed in a form).
SOURCES: dict[str, tuple[str, ...]] = {
    **{name: (name,) for name in ENTERPRISE_FIELDS},
    "investment_paise": ("investment",), "turnover_paise": ("turnover",),
    "size_class": ("investment", "turnover"), "size_as_of": ("investment", "turnover"),
    "sector_id": ("sector",), "district_id": ("district_lgd_code",),
    "odop_product_id": ("district_lgd_code",), "name_key": ("name",),
}


def contact_values(values: dict[str, Any]) -> dict[str, str]:
    return {"name": values.get("contact_name") or "", "mobile": values.get("mobile") or "",
            "email": values.get("email") or ""}


def new_rows(values: dict[str, Any]) -> NewRow:
    """(enterprise columns in ``ROW_FIELDS`` order, (contact name, mobile, email) or None)."""
    row = [values.get(name) for name in ENTERPRISE_FIELDS]
    # Most rows have neither; json.dumps of an empty list costs as much as a validator.
    markets, licences = row[_MARKETS], values.get("other_licences")
    row[_MARKETS] = json.dumps(markets) if markets else "[]"
    size_as_of = row[_SIZE_AS_OF]
    if size_as_of is not None:
        row[_SIZE_AS_OF] = size_as_of.isoformat()
    row.append(json.dumps(licences) if licences else "{}")
    row.extend(search_columns(values).values())  # in SEARCH_COLUMNS order, as ROW_FIELDS
    contact = contact_values(values)
    return tuple(row), ((contact["name"], contact["mobile"], contact["email"]) if any(contact.values()) else None)
