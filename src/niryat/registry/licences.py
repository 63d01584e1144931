"""Other licences of an enterprise: a mapping of licence kind → number (``Enterprise.other_licences``).

The kinds are a fixed list, so that every entrance names them the same way and the pages
can label them in both languages. Numbers are kept as written (upper case, single spaces):
each issuer has its own layout, and none has a check character to verify.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niryat.registry.validation import Cleaned

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise  # a lazily translated str (gettext_lazy)

NUMBER_LIMIT = 50

LICENCE_KINDS: dict[str, StrPromise] = {
    "bis": gettext_lazy("BIS licence (ISI mark)"),
    "huid": gettext_lazy("BIS hallmarking registration (HUID)"),
    "apeda_rcmc": gettext_lazy("APEDA registration (RCMC)"),
    "epch_rcmc": gettext_lazy("EPCH registration (RCMC)"),
    "spices_board": gettext_lazy("Spices Board registration (CRES)"),
    "gi_authorised_user": gettext_lazy("GI authorised user registration"),
    "trademark": gettext_lazy("Trademark registration"),
}


def clean_other_licences(raw: Mapping[str, Any], cleaned: Cleaned) -> None:
    """Check licence kind → number into ``cleaned.values["other_licences"]``; blank numbers are left out.

    Problems name their field ``other_licences.<kind>``.
    """
    licences: dict[str, str] = {}
    for kind, number in raw.items():
        text = " ".join(str(number or "").split()).upper()
        if not text:
            continue
        field = f"other_licences.{kind}"
        if kind not in LICENCE_KINDS:
            cleaned.add(field, "unknown", _("%(kind)s is not a licence we know; use one of %(kinds)s.")
                        % {"kind": kind, "kinds": ", ".join(LICENCE_KINDS)})
        elif len(text) > NUMBER_LIMIT:
            cleaned.add(field, "too_long", _("At most %(n)d characters.") % {"n": NUMBER_LIMIT})
        else:
            licences[kind] = text
    cleaned.values["other_licences"] = dict(sorted(licences.items()))


def licence_labels(licences: Mapping[str, str]) -> list[tuple[str, str]]:
    """(label in the active language, number) for each licence, in the order of the kinds."""
    return [(str(label), licences[kind]) for kind, label in LICENCE_KINDS.items() if licences.get(kind)]


def audit_values(licences: Mapping[str, str]) -> dict[str, str]:
    """The licences as the audit trail shows them: one entry per kind."""
    return {f"other_licences.{kind}": number for kind, number in licences.items()}
