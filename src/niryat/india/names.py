"""Normalising business names for search and duplicate detection.

"M/s Shree Ganesh Handicrafts Pvt. Ltd." and "Shri Ganesh Handicrafts Private Limited"
should meet; so should "श्री गणेश हस्तशिल्प". ``name_key`` lowercases, transliterates
Devanagari to a rough Latin spelling, drops legal-form words and honorifics, and folds
common spelling variants.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# A rough, loss-tolerant Devanagari → Latin table: enough to make spellings meet.
CONSONANTS = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n", "च": "ch", "छ": "chh", "ज": "j",
    "झ": "jh", "ञ": "n", "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t",
    "थ": "th", "द": "d", "ध": "dh", "न": "n", "प": "p", "फ": "ph", "ब": "b", "भ": "bh",
    "म": "m", "य": "y", "र": "r", "ल": "l", "व": "v", "श": "sh", "ष": "sh", "स": "s",
    "ह": "h", "ळ": "l", "क़": "q", "ख़": "kh", "ग़": "g", "ज़": "z", "ड़": "r", "ढ़": "rh",
    "फ़": "f",
}
VOWELS = {
    "अ": "a", "आ": "aa", "इ": "i", "ई": "ee", "उ": "u", "ऊ": "oo", "ऋ": "ri", "ए": "e",
    "ऐ": "ai", "ओ": "o", "औ": "au",
}
MATRAS = {
    "ा": "aa", "ि": "i", "ी": "ee", "ु": "u", "ू": "oo", "ृ": "ri", "े": "e", "ै": "ai",
    "ो": "o", "ौ": "au", "ॅ": "e", "ॉ": "o",
}
VIRAMA = "्"
NASALS = {"ं": "n", "ँ": "n", "ः": "h"}
NUKTA = "़"

LEGAL_WORDS = {
    "pvt", "private", "ltd", "limited", "llp", "co", "company", "and", "corp", "corporation",
    "inc", "ms", "m", "s", "the", "firm", "enterprises", "enterprise", "opc", "india",
    "prop", "proprietor", "proprietorship", "shree", "shri", "sri", "shre",
}
# Spelling variants folded to one form after transliteration.
FOLDS = [
    (re.compile(r"aa"), "a"), (re.compile(r"ee"), "i"), (re.compile(r"oo"), "u"),
    (re.compile(r"w"), "v"), (re.compile(r"ph"), "f"), (re.compile(r"z"), "j"),
    (re.compile(r"([a-z])\1+"), r"\1"), (re.compile(r"sh"), "s"), (re.compile(r"y$"), "i"),
    (re.compile(r"a$"), ""),
]
WORD_END_FOLDS = 2  # the last two apply at the end of a word; a word being typed may not have ended
# A word being typed may end half-way through a pair that folds: "kohino" is how "kohinoor"
# ("kohinur") starts. The pair's folded form, from its first letter.
PAIR_STARTS = {"o": "u", "e": "i", "p": "f"}


def transliterate(text: str) -> str:
    """Devanagari letters to a plain Latin spelling; other characters pass through."""
    out: list[str] = []
    chars = unicodedata.normalize("NFC", text)
    i = 0
    while i < len(chars):
        ch = chars[i]
        if i + 1 < len(chars) and chars[i + 1] == NUKTA and ch + NUKTA in CONSONANTS:
            ch = ch + NUKTA
            i += 1
        if ch in CONSONANTS:
            out.append(CONSONANTS[ch])
            following = chars[i + 1] if i + 1 < len(chars) else ""
            if following in MATRAS:
                out.append(MATRAS[following])
                i += 1
            elif following == VIRAMA:
                i += 1
            elif following and ("\u0900" <= following <= "\u097f") and following not in NASALS:
                out.append("a")
            elif not following or not ("\u0900" <= following <= "\u097f"):
                pass  # a final consonant's inherent vowel is not spoken in Hindi
            else:
                out.append("a")
        elif ch in VOWELS:
            out.append(VOWELS[ch])
        elif ch in MATRAS:
            out.append(MATRAS[ch])
        elif ch in NASALS:
            out.append(NASALS[ch])
        else:
            out.append(ch)
        i += 1
    return "".join(out)


# Names repeat their words ("Shree", "Handicrafts", "Pvt"): each whitespace-separated piece
# is normalised once and remembered. Transliteration never looks across whitespace, so
# this gives the same words as normalising the whole name at once.
# Kept to 20,000 pieces (cleared when full): the common words stay found, and a checking
# worker of a million-row import peaks 20 MB lower than with 100,000 (docs/benchmarks.md).
_PIECES: dict[str, tuple[str, ...]] = {}
PIECES_KEPT = 20_000


def _tokens(piece: str) -> list[str]:
    """The piece's words in lower-case Latin letters and digits, legal-form words left out."""
    if piece.isascii():  # nothing to transliterate or strip of accents (most names)
        text = piece.lower().replace("&", " and ")
    else:
        text = transliterate(piece).lower().replace("&", " and ")
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return [token for token in re.split(r"[^a-z0-9]+", text) if token and token not in LEGAL_WORDS]


def _fold(token: str, folds: list[tuple[re.Pattern[str], str]]) -> str:
    for pattern, replacement in folds:
        token = pattern.sub(replacement, token)
    return token


def _piece_words(piece: str) -> tuple[str, ...]:
    return tuple(word for word in (_fold(token, FOLDS) for token in _tokens(piece)) if word)


def words(name: str) -> list[str]:
    """The name's meaningful words, normalised (lower case, Latin, variants folded)."""
    result: list[str] = []
    for piece in name.split():
        if piece.isdigit() and piece.isascii():  # a number: kept as it is, not worth remembering
            result.append(piece)
            continue
        found = _PIECES.get(piece)
        if found is None:
            if len(_PIECES) >= PIECES_KEPT:
                _PIECES.clear()
            found = _PIECES[piece] = _piece_words(piece)
        result.extend(found)
    return result


def query_words(text: str) -> list[tuple[str, ...]]:
    """The words of a search term, each with the spellings a name's word may start with.

    A word is folded as a whole word and, where that differs, as the start of one: "udy" alone
    folds to "udi", but it is also how "udyog" starts; "kohino" is how "kohinur" starts. Each
    word once.
    """
    started = FOLDS[:-WORD_END_FOLDS]
    result: dict[tuple[str, ...], None] = {}
    for piece in text.split():
        if piece.isdigit() and piece.isascii():
            result[(piece,)] = None
            continue
        for token in _tokens(piece):
            spellings = [_fold(token, FOLDS), _fold(token, started)]
            if token[-1] in PAIR_STARTS:
                spellings.append(_fold(token[:-1] + PAIR_STARTS[token[-1]], started))
            found = tuple(dict.fromkeys(word for word in spellings if word))
            if found:
                result[found] = None
    return list(result)


def words_of(texts: Iterable[str]) -> str:
    """The words of several names, each once, in the order met (space-separated)."""
    return " ".join(dict.fromkeys(word for text in texts if text for word in words(text)))


def name_key(name: str) -> str:
    """One comparable string for a business name (words in order, space-separated)."""
    return " ".join(words(name))[:200]
