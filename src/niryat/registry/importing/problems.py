"""Row problems of an import, in every language of the platform.

A problem is found once, by a run whose language is whatever its process had (a background
worker has none, so it would be English), and read later by people in English or Hindi, on
the import page and in the error report. So each message is kept in the default language
and in each other one, worked out when the problem is found.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import translation

Translations = dict[str, str]  # language code -> message, for the languages other than the default


def other_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def in_every_language(message: Callable[[], str]) -> tuple[str, Translations]:
    """``message()`` in the default language, and in each other one."""
    with translation.override(settings.LANGUAGE_CODE):
        default = message()
    others: Translations = {}
    for language in other_languages():
        with translation.override(language):
            others[language] = message()
    return default, others


def translate_each(translations: list[Translations], messages: Callable[[], list[Any]]) -> None:
    """Fill ``translations[i]`` with the i-th of ``messages()`` in each other language.

    ``messages()`` repeats the work that found the problems (the checking of one row); it
    finds the same problems in the same order, only its messages are in the active language.
    """
    for language in other_languages():
        with translation.override(language):
            again = messages()
        if len(again) != len(translations):  # not the same problems: keep the default text
            continue
        for slot, message in zip(translations, again, strict=True):
            slot[language] = message


def message_in(language: str | None, message: str, translations: Translations | None) -> str:
    """The message in ``language`` when it was worked out, else in the default language."""
    return (translations or {}).get(language or "", "") or message
