"""Safe cell values for files people open in spreadsheet programs."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_safe(value: object) -> str:
    """Text of ``value`` that a spreadsheet will not run as a formula (CSV/formula injection).

    A cell that begins with = + - @ or a control character gets a leading apostrophe,
    which spreadsheet programs show as text and do not evaluate.
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
