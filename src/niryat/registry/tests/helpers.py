"""Small builders shared by the registry tests: valid identifiers and enterprises."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from stdnum import luhn

from niryat.india.identifiers import GST_ALPHABET
from niryat.registry import services
from niryat.registry.models import Enterprise
from niryat.registry.validation import ReferenceIndex, clean_enterprise

REFERENCE_DATA = Path(__file__).resolve().parents[2] / "reference" / "data"
TODAY = date(2025, 6, 1)

# Districts used in the tests (LGD codes) and their states.
VARANASI = 187  # Uttar Pradesh, GST 09, Udyam UP
AGRA = 118  # Uttar Pradesh
AHMEDABAD = 438  # Gujarat, GST 24, Udyam GJ
BENGALURU_URBAN = 525  # Karnataka, GST 29, Udyam KR / KA


def gst_codes_from_csv() -> set[str]:
    """The GST state codes of the reference table, read without the database."""
    with (REFERENCE_DATA / "gst_state_codes.csv").open(encoding="utf-8") as handle:
        return {row["code"] for row in csv.DictReader(handle)}


def gstin(pan: str = "ABCPE1234F", state: str = "24", entity: str = "1", z: str = "Z") -> str:
    """A GSTIN with the right check character."""
    body = f"{state}{pan}{entity}{z}"
    return body + luhn.calc_check_digit(body, GST_ALPHABET)


def pan(n: int, holder: str = "P") -> str:
    """The ``n``-th of a series of distinct valid PANs (serial 0001 upwards)."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return f"AB{letters[n // 26 % 26]}{holder}{letters[n % 26]}{n % 9999 + 1:04d}K"


def register(actor: Any, steward: Any, ref: ReferenceIndex | None = None, **raw: Any) -> Enterprise:
    """Register an enterprise from form-like values through the service."""
    ref = ref or ReferenceIndex.load()
    raw.setdefault("name", "Test Enterprise")
    cleaned = clean_enterprise(raw, ref, today=TODAY)
    assert cleaned.ok, cleaned.errors
    return services.enterprise_register(actor=actor, steward=steward, cleaned=cleaned)


# The columns the issue names for a district list, in a file's order.
LIST_COLUMNS = ["udyam_number", "name", "name_hi", "gstin", "pan", "district_lgd_code", "sector", "mobile",
                "email", "pincode"]


def district_list_row(n: int, name: str, name_hi: str, mobile: str, *, offset: int = 0,
                      **changes: str) -> list[str]:
    """Row ``n`` of a Varanasi district list, valid unless ``changes`` say otherwise.

    ``offset`` moves the series' Udyam serials and PANs away from other enterprises'.
    """
    values = {"udyam_number": f"UDYAM-UP-65-{offset * 10_000 + n:07d}", "name": name, "name_hi": name_hi,
              "gstin": gstin(pan(offset + n), "09"), "pan": pan(offset + n),
              "district_lgd_code": str(VARANASI), "sector": "handicrafts", "mobile": mobile, "email": "",
              "pincode": "221001", **changes}
    return [values[column] for column in LIST_COLUMNS]


def xlsx_bytes(rows: list[list[str]], columns: list[str] = LIST_COLUMNS) -> bytes:
    """An Excel workbook of one sheet: a header row, then ``rows``."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(columns)
    for cells in rows:
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
