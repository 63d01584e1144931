"""The platform's two languages: picking a name's form, and wording a text in each language.

Text kept in the database and read later (an import's row problems, a job's label) is worded
in every language when it is made, because the process that makes it (a background worker)
does not know who will read it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language

Translations = dict[str, str]  # language code -> text, for the languages other than the default


def in_hindi() -> bool:
    return (get_language() or "en").startswith("hi")


def pick(english: str, hindi: str) -> str:
    """The Hindi text when Hindi is active and the text exists, otherwise the English."""
    return hindi if hindi and in_hindi() else english


def other_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def in_every_language(text: Callable[[], str]) -> tuple[str, Translations]:
    """``text()`` in the default language, and in each other one."""
    with translation.override(settings.LANGUAGE_CODE):
        default = text()
    others: Translations = {}
    for language in other_languages():
        with translation.override(language):
            others[language] = text()
    return default, others


def text_for_reader(default: str, translations: Translations | None) -> str:
    """The text in the active language (the reader's) when it was worded in it, else the default."""
    return (translations or {}).get(get_language() or "", "") or default
