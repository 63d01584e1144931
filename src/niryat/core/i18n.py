"""Picking the English or Hindi form of a name for the active language."""

from __future__ import annotations

from django.utils.translation import get_language


def in_hindi() -> bool:
    return (get_language() or "en").startswith("hi")


def pick(english: str, hindi: str) -> str:
    """The Hindi text when Hindi is active and the text exists, otherwise the English."""
    return hindi if hindi and in_hindi() else english
