"""Row problems of an import, in every language of the platform.

A problem is found once, by a run whose language is whatever its process had (a background
worker has none, so it would be English), and read later by people in English or Hindi, on
the import page and in the error report. So each message is kept in the default language
and in each other one, worked out when the problem is found (ADR 0008; the language helpers
are in ``core.i18n``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import translation

from niryat.core.i18n import Translations, other_languages


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

