"""Indian business identifiers: GSTIN, PAN, IEC, Udyam and FSSAI numbers.

Each validator normalises the value (upper case, no spaces or dashes where the format
has none) and returns every problem it finds as a ``Finding`` with a stable code and
a message a person understands. Errors make the value unusable; warnings are worth a
look but do not block. The same functions serve the forms, the API, the importer and
``niryat validate-id``.

python-stdnum computes the Luhn mod 36 check character (PAN rules as in its in_.pan); our
own table of GST state codes (reference data) is used instead of stdnum's, which
lacks 38 (Ladakh), 97 (other territory) and 99 (centre jurisdiction).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from django.utils.translation import gettext as _

Level = Literal["error", "warning"]
KINDS = ("gstin", "pan", "iec", "udyam", "fssai")
GST_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PAN_RE = re.compile(r"^[A-Z]{5}[0-9]{4}[A-Z]$")
GSTIN_RE = re.compile(r"^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z][A-Z0-9][0-9A-Z]$")
GSTIN_SPECIAL_RE = re.compile(r"^[0-9]{2}[0-9A-Z]{13}$")
# A tax deductor (often a government office without a PAN) may register with its TAN instead.
GSTIN_TAN_RE = re.compile(r"^[0-9]{2}[A-Z]{4}[0-9]{5}[A-Z][1-9A-Z]D[0-9A-Z]$")
UDYAM_RE = re.compile(r"^UDYAM-([A-Z]{2})-([0-9]{2})-([0-9]{7})$")
FSSAI_RE = re.compile(r"^[12][0-9]{13}$")
OLD_IEC_RE = re.compile(r"^[0-9]{10}$")
# GST state codes whose GSTINs do not embed a PAN (non-resident and UN bodies, OIDAR).
SPECIAL_GST_CODES = {"97", "99"}
# The 14th character of a GSTIN says what kind of registration it is.
GST_REGISTRATIONS = {"Z": "regular", "D": "tax deductor", "C": "tax collector"}

PAN_HOLDER_TYPES = {
    "A": "association of persons",
    "B": "body of individuals",
    "C": "company",
    "F": "firm or LLP",
    "G": "government agency",
    "H": "Hindu undivided family",
    "J": "artificial juridical person",
    "K": "krish (trust)",
    "L": "local authority",
    "P": "individual",
    "T": "trust",
}


@dataclass(frozen=True)
class Finding:
    """One problem with a value: ``code`` is stable (``gstin.checksum``), ``message`` for people."""

    code: str
    message: str
    level: Level = "error"


@dataclass
class Checked:
    """The outcome of checking one identifier."""

    kind: str
    value: str
    findings: list[Finding] = field(default_factory=list)
    info: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]

    def add(self, code: str, message: str, level: Level = "error") -> None:
        self.findings.append(Finding(code=code, message=message, level=level))


_GST_VALUES = {character: value for value, character in enumerate(GST_ALPHABET)}
# A character's value doubled, as Luhn mod 36 adds it: the two base-36 digits summed.
_GST_DOUBLED = {character: (2 * value) // 36 + (2 * value) % 36 for character, value in _GST_VALUES.items()}


def gst_checksum(number: str) -> int:
    """Luhn mod 36 over a GSTIN (0 when its check character is right).

    The same sum as ``stdnum.luhn.checksum(number, GST_ALPHABET)`` (a test compares them),
    with the per-character values looked up once: the importer runs it on every row.
    """
    total = 0
    for position, character in enumerate(reversed(number)):
        table = _GST_DOUBLED if position % 2 else _GST_VALUES
        total += table[character]
    return total % 36


def gst_check_character(body: str) -> str:
    """The check character that completes the 14 characters ``body`` (as ``luhn.calc_check_digit``).

    The check character is the last, undoubled position: with a 0 there, the sum says what it lacks.
    """
    return GST_ALPHABET[-gst_checksum(body + "0") % 36]


def compact(value: str, keep_dashes: bool = False) -> str:
    """Upper case without surrounding or inner spaces (and dashes, unless the format has them)."""
    text = (value or "").strip().upper().replace(" ", "")
    return text if keep_dashes else text.replace("-", "").replace("/", "")


@lru_cache(maxsize=1)
def gst_state_codes() -> dict[str, str]:
    """GST state code → name, from the reference table (all codes ever issued, 01–38, 97, 99)."""
    from niryat.reference.models import GstStateCode

    return dict(GstStateCode.objects.values_list("code", "name"))


@lru_cache(maxsize=1)
def udyam_state_codes() -> dict[str, int]:
    """Two-letter state code of Udyam numbers → LGD code of the state, from the reference table."""
    from niryat.reference.models import State

    return {
        letters: lgd_code
        for lgd_code, codes in State.objects.exclude(udyam_codes="").values_list(
            "lgd_code", "udyam_codes"
        )
        for letters in codes.split()
    }


def check_pan(value: str, kind: str = "pan") -> Checked:
    """PAN: AAAAA9999A, the fourth letter says who holds it (P individual, C company…)."""
    result = Checked(kind=kind, value=compact(value))
    number = result.value
    if not number:
        result.add(f"{kind}.empty", _("The PAN is empty."))
        return result
    if len(number) != 10:
        result.add(f"{kind}.length", _("A PAN has 10 characters; this one has %(n)d.") % {"n": len(number)})
        return result
    if not PAN_RE.match(number):
        result.add(f"{kind}.format",
                   _("A PAN is five letters, four digits and a letter (like ABCPE1234F)."))
        return result
    holder = PAN_HOLDER_TYPES.get(number[3])
    if holder is None:
        result.add(f"{kind}.holder_type",
                   _("The fourth letter of a PAN says who holds it; %(letter)s is not one of "
                     "A, B, C, F, G, H, J, K, L, P, T.") % {"letter": number[3]})
        return result
    if number[5:9] == "0000":  # the rule python-stdnum's pan.validate applies
        result.add(f"{kind}.format", _("The serial number of a PAN cannot be 0000."))
        return result
    result.info["holder_type"] = holder
    return result


def check_iec(value: str) -> Checked:
    """IEC: since 2020 the Importer-Exporter Code is the firm's PAN; older codes had 10 digits."""
    number = compact(value)
    if OLD_IEC_RE.match(number):
        result = Checked(kind="iec", value=number)
        result.add("iec.old_format",
                   _("This is an old 10-digit IEC; since 2020 the IEC is the PAN of the firm."),
                   "warning")
        return result
    result = check_pan(number, kind="iec")
    if not result.valid:
        result.findings = [
            Finding(f.code, _("An IEC is the firm's PAN: %(reason)s") % {"reason": f.message}, f.level)
            for f in result.findings
        ]
    return result


def check_gstin(value: str, state_codes: Collection[str] | None = None) -> Checked:
    """GSTIN: state code (2) + PAN (10) + entity number + kind + Luhn mod 36 check character.

    The kind (14th character) is Z for a regular taxpayer, D for a tax deductor (TDS; its
    GSTIN may carry a TAN instead of a PAN) and C for an e-commerce operator collecting tax
    (TCS); ``info["registration"]`` names it: regular, tax deductor, tax collector, or other
    (another character, found only under codes 97 and 99, e.g. OIDAR and UN bodies).
    """
    result = Checked(kind="gstin", value=compact(value))
    number = result.value
    codes = gst_state_codes() if state_codes is None else state_codes
    if not number:
        result.add("gstin.empty", _("The GSTIN is empty."))
        return result
    if len(number) != 15:
        result.add("gstin.length", _("A GSTIN has 15 characters; this one has %(n)d.") % {"n": len(number)})
        return result
    state = number[:2]
    if not state.isdigit() or state not in codes:
        result.add("gstin.state_code",
                   _("A GSTIN starts with a GST state code (01–38, 97 or 99); %(code)s is not one.")
                   % {"code": state})
        return result
    result.info["state_code"] = state
    if state in SPECIAL_GST_CODES:
        if not GSTIN_SPECIAL_RE.match(number):
            result.add("gstin.format", _("A GSTIN has only digits and capital letters."))
            return result
    elif GSTIN_TAN_RE.match(number):
        result.info["tan"] = number[2:12]
    else:
        if not GSTIN_RE.match(number):
            pan_part = check_pan(number[2:12])
            if not pan_part.valid:
                result.add("gstin.pan", _("Characters 3 to 12 of a GSTIN are the holder's PAN: %(reason)s")
                           % {"reason": pan_part.errors[0].message})
            elif number[12] == "0":
                result.add("gstin.entity", _("The 13th character of a GSTIN (the registration number "
                                             "for this PAN in the state) cannot be 0."))
            else:
                result.add("gstin.format", _("The GSTIN does not have the layout 99AAAAA9999A9Z9."))
            return result
        if number[13] not in GST_REGISTRATIONS:
            result.add("gstin.z", _("The 14th character of a GSTIN is Z (a regular taxpayer), D (a tax "
                                    "deductor) or C (a tax collector); here it is %(c)s.")
                       % {"c": number[13]})
            return result
        pan_part = check_pan(number[2:12])
        if not pan_part.valid:
            result.add("gstin.pan", _("Characters 3 to 12 of a GSTIN are the holder's PAN: %(reason)s")
                       % {"reason": pan_part.errors[0].message})
            return result
        result.info["pan"] = number[2:12]
    result.info["registration"] = GST_REGISTRATIONS.get(number[13], "other")
    if gst_checksum(number) != 0:
        expected = gst_check_character(number[:-1])
        result.add("gstin.checksum",
                   _("The last character of this GSTIN should be %(expected)s, not %(found)s: "
                     "a character was probably mistyped.") % {"expected": expected, "found": number[-1]})
    return result


def check_udyam(value: str, state_codes: Collection[str] | None = None) -> Checked:
    """Udyam registration number: UDYAM-XX-00-0000000 (state letters, district, serial)."""
    result = Checked(kind="udyam", value=compact(value, keep_dashes=True))
    number = result.value
    if not number:
        result.add("udyam.empty", _("The Udyam number is empty."))
        return result
    match = UDYAM_RE.match(number)
    if match is None:
        result.add("udyam.format",
                   _("A Udyam registration number looks like UDYAM-GJ-01-0012345: "
                     "UDYAM, the state's two letters, two digits for the district and seven digits."))
        return result
    letters, district, _serial = match.groups()
    codes = udyam_state_codes() if state_codes is None else state_codes
    if letters not in codes:
        result.add("udyam.state", _("%(letters)s is not the code of an Indian state in Udyam numbers.")
                   % {"letters": letters})
        return result
    result.info["state_code"] = letters
    result.info["district_code"] = district
    return result


def check_fssai(value: str) -> Checked:
    """FSSAI licence or registration number: 14 digits, the first 1 (licence) or 2 (registration)."""
    result = Checked(kind="fssai", value=compact(value))
    number = result.value
    if not number:
        result.add("fssai.empty", _("The FSSAI number is empty."))
        return result
    if not number.isdigit() or len(number) != 14:
        result.add("fssai.format", _("An FSSAI licence or registration number has 14 digits."))
        return result
    if not FSSAI_RE.match(number):
        result.add("fssai.kind", _("An FSSAI number starts with 1 (licence) or 2 (registration)."))
        return result
    result.info["type"] = "licence" if number[0] == "1" else "registration"
    result.info["state_code"] = number[1:3]
    return result


CHECKERS: dict[str, Callable[[str], Checked]] = {
    "gstin": check_gstin,
    "pan": check_pan,
    "iec": check_iec,
    "udyam": check_udyam,
    "fssai": check_fssai,
}


def check(kind: str, value: str) -> Checked:
    """Check ``value`` as an identifier of ``kind`` (one of KINDS)."""
    checker = CHECKERS.get(kind)
    if checker is None:
        result = Checked(kind=kind, value=value)
        result.add("kind.unknown", _("Unknown identifier kind %(kind)s; use one of %(kinds)s.")
                   % {"kind": kind, "kinds": ", ".join(KINDS)})
        return result
    return checker(value)
