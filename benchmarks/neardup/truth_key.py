"""Reference "match key" and shingling used to compute the benchmark's TRUE Jaccard.

Why a separate copy: the toolkit's own normalizer (`dedupe/`) is being written in
parallel and may change; the benchmark's ground truth must not move with it. This
module is the frozen definition of "the same text up to orthography" that the
labels are computed against:

1. NFKC, but only on Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF), so
   that PDF-style glyph codes and ligatures (ﻻ, ﷲ) become ordinary letters while
   nothing else is compatibility-folded.
2. Remove tatweel (U+0640), zero-width and bidi control characters.
3. Strip diacritics: U+064B-U+065F, U+0670, U+06D6-U+06ED, U+0610-U+061A, U+08D3-U+08FF.
4. Unify letters: أ إ آ ٱ -> ا, ى -> ي, ة -> ه, ؤ -> و, ئ -> ي, ی -> ي, ک -> ك,
   ە ۀ ھ ہ ۃ -> ه.
5. Arabic-Indic (U+0660-0669) and Persian (U+06F0-06F9) digits -> ASCII.
6. Every punctuation or symbol character (Unicode categories P* and S*, which
   covers ، ؛ ؟ « » and Latin punctuation) -> space.
7. casefold, split on whitespace.

Shingles are word 5-grams of that token list (a shorter document is one shingle).
"""

from __future__ import annotations

import functools
import sys
import unicodedata

SHINGLE_SIZE = 5

_PRESENTATION_RANGES = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_DIACRITIC_RANGES = (
    (0x064B, 0x065F),
    (0x0670, 0x0670),
    (0x06D6, 0x06ED),
    (0x0610, 0x061A),
    (0x08D3, 0x08FF),
)
# tatweel, zero-width space/non-joiner/joiner, LRM/RLM, bidi embeddings/overrides,
# word joiner & invisible operators, bidi isolates, Arabic letter mark, BOM/ZWNBSP.
_INVISIBLE = [0x0640, 0x061C, 0xFEFF, *range(0x200B, 0x2010), *range(0x202A, 0x202F),
              *range(0x2060, 0x2065), *range(0x2066, 0x206A)]
_LETTER_MAP = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ئ": "ي", "ی": "ي",
    "ة": "ه", "ە": "ه", "ۀ": "ه", "ھ": "ه", "ہ": "ه", "ۃ": "ه",
    "ؤ": "و",
    "ک": "ك",
}


def _code_points(ranges):
    for lo, hi in ranges:
        yield from range(lo, hi + 1)


@functools.lru_cache(maxsize=None)
def _presentation_table() -> dict[int, str]:
    """NFKC of each presentation-form code point (only those NFKC changes)."""
    table = {}
    for cp in _code_points(_PRESENTATION_RANGES):
        ch = chr(cp)
        folded = unicodedata.normalize("NFKC", ch)
        if folded != ch:
            table[cp] = folded
    return table


@functools.lru_cache(maxsize=None)
def _fold_table() -> dict[int, str | None]:
    """One translate table for steps 2-6 (removal, letter/digit unification, P*/S* -> space)."""
    table: dict[int, str | None] = {}
    for cp in range(sys.maxunicode + 1):
        if unicodedata.category(chr(cp))[0] in "PS":
            table[cp] = " "
    for cp in _INVISIBLE:
        table[cp] = None
    for cp in _code_points(_DIACRITIC_RANGES):
        table[cp] = None
    for src, dst in _LETTER_MAP.items():
        table[ord(src)] = dst
    for i in range(10):
        table[0x0660 + i] = str(i)
        table[0x06F0 + i] = str(i)
    return table


def match_key_tokens(text: str) -> list[str]:
    """Tokens of the match key of `text` (see module docstring for the exact steps)."""
    text = text.translate(_presentation_table())
    # A presentation form may fold to a diacritic/letter that step 2-6 handle, so fold after.
    text = text.translate(_fold_table())
    return text.casefold().split()


def match_key(text: str) -> str:
    """The match key as a single space-joined string (handy for exact-key comparisons)."""
    return " ".join(match_key_tokens(text))


def shingles(tokens: list[str], n: int = SHINGLE_SIZE) -> set[str]:
    """Set of word n-grams; a document shorter than n words is a single shingle (or none if empty)."""
    if len(tokens) < n:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def text_shingles(text: str, n: int = SHINGLE_SIZE) -> set[str]:
    """Shingles of the match key of `text`."""
    return shingles(match_key_tokens(text), n)


def jaccard(a: set, b: set) -> float:
    """Exact Jaccard; two empty sets count as identical (1.0)."""
    if not a and not b:
        return 1.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)
