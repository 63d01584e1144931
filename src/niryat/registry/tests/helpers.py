"""Small builders shared by the registry tests: valid identifiers and enterprises."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from stdnum import luhn

from niryat.registry import services
from niryat.registry.identifiers import GST_ALPHABET
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
