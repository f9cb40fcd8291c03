"""Arabic character tables and compiled regexes, built once at import.

Everything here is data: the normalizers in ``normalize.py`` only look tables up,
so the hot path is ``str.translate`` and a handful of compiled regexes rather than
per-character Python loops.
"""
from __future__ import annotations

import re
import unicodedata

# --- ranges -----------------------------------------------------------------

#: Arabic presentation forms A and B: legacy glyph codepoints that old PDFs and
#: web pages still emit. Their compatibility decomposition is the plain letter.
PRESENTATION_RANGES = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))

#: Harakat, tanween, shadda, sukun, maddah/hamza above-below, superscript alef,
#: Quranic annotation signs and small high letters.
DIACRITIC_RANGES = (
    (0x0610, 0x061A),
    (0x064B, 0x065F),
    (0x0670, 0x0670),
    (0x06D6, 0x06DC),
    (0x06DF, 0x06E8),
    (0x06EA, 0x06ED),
    (0x08D3, 0x08E1),
    (0x08E3, 0x08FF),
)

TATWEEL = "\u0640"

#: Invisible characters that carry no text: zero-width space / non-joiner /
#: joiner, word joiner, BOM / zero-width no-break space, soft hyphen.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

#: Bidirectional controls: marks, embeddings, overrides and isolates.
BIDI_CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

#: Space variants that all mean "a space" in running text.
SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\x0b\x0c"

ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"


def _chars(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(chr(c) for lo, hi in ranges for c in range(lo, hi + 1))


DIACRITICS = _chars(DIACRITIC_RANGES)


def _presentation_map() -> dict[int, str]:
    """Map each assigned presentation-form codepoint to its NFKC letters.

    Only Arabic letters are mapped; the few forms whose decomposition is a space
    plus a harakah (e.g. U+FE70) keep the harakah and drop the space so that
    ``clean`` never invents word boundaries.
    """
    table: dict[int, str] = {}
    for lo, hi in PRESENTATION_RANGES:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            if ch == "\ufeff" or not unicodedata.name(ch, ""):
                continue
            norm = unicodedata.normalize("NFKC", ch)
            if norm != ch:
                table[cp] = norm.strip() if norm.strip() else norm
    return table


PRESENTATION_MAP = _presentation_map()

# --- translate tables for clean() -------------------------------------------

#: Removed by clean(): tatweel, invisibles, bidi controls.
CLEAN_DELETE = {ord(c): None for c in TATWEEL + INVISIBLE + BIDI_CONTROLS}
#: Spaces unified by clean(); line breaks are handled separately.
CLEAN_SPACES = {ord(c): " " for c in SPACES}

DIGITS_TO_ASCII = {ord(c): str(i) for i, c in enumerate(ARABIC_INDIC_DIGITS)}
DIGITS_TO_ASCII.update({ord(c): str(i) for i, c in enumerate(PERSIAN_DIGITS)})

DIACRITICS_DELETE = {ord(c): None for c in DIACRITICS}

PERSIAN_TO_ARABIC = {ord("ی"): "ي", ord("ک"): "ك"}

# --- match-key unifications (each a named, switchable table) -----------------

KEY_UNIFY: dict[str, dict[int, str]] = {
    # hamza-carrying and decorated alefs all read as a plain alef for matching
    "alef": {ord(c): "ا" for c in "أإآٱٲٳٵ"},
    "alef_maksura": {ord("ى"): "ي"},
    "teh_marbuta": {ord("ة"): "ه"},
    "hamza_on_waw": {ord("ؤ"): "و"},
    "hamza_on_yeh": {ord("ئ"): "ي"},
    # Persian / Urdu letter forms of the same Arabic letters
    "persian_letters": {
        **{ord(c): "ي" for c in "یېۍ"},
        **{ord(c): "ك" for c in "کڪ"},
        **{ord(c): "ه" for c in "ەۀھہۃ"},
    },
    "digits": DIGITS_TO_ASCII,
}

#: Arabic punctuation that is not in Unicode's P* categories but separates words.
ARABIC_PUNCT = "،؛؟«»٪٫٬۔"

LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
MULTI_SPACE = re.compile(r" {2,}")
BLANK_RUNS = re.compile(r"\n{3,}")
#: A run of non-word characters (punctuation and symbols) or underscores.
NON_WORD = re.compile(r"[\W_]+")

#: Any character some default clean rule would change; absent -> skip the rule.
NEEDS_TRANSLATE = re.compile(
    "[" + re.escape(TATWEEL + INVISIBLE + BIDI_CONTROLS) + "\uFB50-\uFDFF\uFE70-\uFEFF]"
)
NEEDS_SPACES = re.compile("[" + re.escape(SPACES) + "]|  | \n|\n |\n\n\n")
