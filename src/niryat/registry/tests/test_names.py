"""Business names meet across spellings, legal forms, honorifics and scripts."""

from __future__ import annotations

import pytest

from niryat.registry.names import name_key, transliterate


@pytest.mark.parametrize("a, b", [
    ("M/s Shree Ganesh Handicrafts Pvt. Ltd.", "Shri Ganesh Handicrafts Private Limited"),
    ("बनारसी सिल्क उद्योग", "Banarasi Silk Udyog"),
    ("Sri Ganesh Handicrafts", "श्री गणेश Handicrafts"),
    ("The Krishna Weavers & Co.", "Krishna Weavers and Company"),
    ("Lakshmi Exports LLP", "LAKSHMI  EXPORTS"),
])
def test_names_that_should_meet(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)
    assert name_key(a)


@pytest.mark.parametrize("a, b", [
    ("Ganesh Handicrafts", "Ganesh Textiles"),
    ("Banarasi Silk Udyog", "Banarasi Cotton Udyog"),
])
def test_different_businesses_stay_apart(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_legal_words_only_give_an_empty_key() -> None:
    assert name_key("M/s Pvt. Ltd.") == ""


def test_transliteration_of_devanagari() -> None:
    assert transliterate("सिल्क") == "silk"
    assert transliterate("Silk 123") == "Silk 123"


def test_key_is_at_most_200_characters() -> None:
    assert len(name_key("Ganesh " * 100)) <= 200
