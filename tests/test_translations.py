"""Every user-facing string has a Hindi translation, and the catalogue is up to date."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "niryat"
PO = PACKAGE / "locale" / "hi" / "LC_MESSAGES" / "django.po"


def catalogue_ids(path: Path) -> set[object]:
    with path.open("rb") as handle:
        return {message.id if isinstance(message.id, str) else tuple(message.id)
                for message in read_po(handle) if message.id}


def test_every_hindi_message_is_translated_and_not_fuzzy() -> None:
    with PO.open("rb") as handle:
        catalogue = read_po(handle)
    assert not catalogue.fuzzy
    untranslated = [
        message.id for message in catalogue
        if message.id and (
            "fuzzy" in message.flags
            or not (message.string if isinstance(message.string, str) else all(message.string))
        )
    ]
    assert untranslated == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) not installed")
def test_catalogue_holds_every_string_of_the_code(tmp_path: Path) -> None:
    """makemessages on a copy of the code finds no string the Hindi catalogue lacks."""
    copy = tmp_path / "niryat"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("tests", "__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "hi", "--no-obsolete"],
        cwd=copy, check=True, capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "",
             "NIRYAT_DATA_DIR": str(tmp_path / "var")},
    )
    missing = catalogue_ids(copy / "locale" / "hi" / "LC_MESSAGES" / "django.po") - catalogue_ids(PO)
    assert missing == set(), "run `make messages` and translate the new strings"
