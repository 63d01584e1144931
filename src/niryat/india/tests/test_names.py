"""Business names meet across spellings, legal forms, honorifics and scripts."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from niryat.india.names import FOLDS, LEGAL_WORDS, name_key, query_words, transliterate, words


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


def _words_the_long_way(name: str) -> list[str]:
    """The normalisation without the shortcuts (ASCII pieces, numbers, remembered pieces)."""
    text = unicodedata.normalize("NFKD", transliterate(name).lower().replace("&", " and "))
    text = "".join(c for c in text if not unicodedata.combining(c))
    result = []
    for token in re.split(r"[^a-z0-9]+", text):
        if token and token not in LEGAL_WORDS:
            for pattern, replacement in FOLDS:
                token = pattern.sub(replacement, token)
            if token:
                result.append(token)
    return result


@given(st.lists(st.one_of(st.from_regex(r"[0-9]{1,6}", fullmatch=True),
                          st.text(alphabet="abcABC&.-/ 019éश्रीगणेशक़ा", max_size=8),
                          st.sampled_from(["Pvt.", "Ltd", "Shree", "M/s", "1122", "Weavers", "हस्तशिल्प"])),
                max_size=6))
@settings(max_examples=400)
def test_words_shortcuts_give_what_the_long_way_gives(pieces: list[str]) -> None:
    name = " ".join(pieces)
    assert words(name) == _words_the_long_way(name)


def test_doubled_letters_fold_but_doubled_digits_are_another_number() -> None:
    assert name_key("Kashi Weavers Unit 11") != name_key("Kashi Weavers Unit 1")
    assert name_key("Kashi Weavers Unit 11") == "kasi veavers unit 11"
    assert name_key("Ganessh Handicrafts") == name_key("Ganesh Handicrafts")


@pytest.mark.parametrize(("term", "expected"), [
    ("udy", [("udi", "udy")]),  # alone it folds like a whole word; it is also how "udyog" starts
    ("Shri Ganesh Handicrafts Pvt Ltd", [("ganes",), ("handicrafts",)]),
    ("गणेश", [("ganes",)]),
    ("silk Silk", [("silk",)]),  # each word once
    ("kohino", [("kohino", "kohinu")]),  # half-way through "oo"
    ("unit 11", [("unit",), ("11",)]),
    ("pvt ltd", []),
])
def test_query_words_give_every_spelling_a_word_may_start_with(term: str, expected: list[tuple[str, ...]]) -> None:
    assert query_words(term) == expected


@given(st.lists(st.sampled_from(["Ganesh", "गणेश", "Udyog", "उद्योग", "Saraswati", "Kohinoor", "Pvt", "Sunny",
                                 "Bhadohi", "Shree", "Handloom", "Zari", "12", "Jaya"]), min_size=1, max_size=4))
@settings(max_examples=200, deadline=None)
def test_a_name_is_found_by_the_start_of_each_of_its_words(pieces: list[str]) -> None:
    """Whatever part of a word has been typed, its spellings include the start of the name's word."""
    name_words = words(" ".join(pieces))
    for piece in pieces:
        if not piece.isascii() or not words(piece):  # a cut Devanagari word; a legal word ("Pvt")
            continue
        for cut in range(1, len(piece) + 1):
            for spellings in query_words(piece[:cut]):
                assert any(word.startswith(s) for word in name_words for s in spellings), (piece[:cut], name_words)
