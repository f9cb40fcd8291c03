"""Arabic orthographic normalization with two products.

``clean(text)`` is what goes into the training corpus: it only removes what never
carries meaning (presentation-form glyph codepoints, tatweel, invisible and bidi
control characters, odd spaces, line-ending variants).

``match_key(text)`` is what hashing and comparison see: the cleaned text with
diacritics stripped, letter variants unified, punctuation removed and Latin
casefolded. A match key is never written to the output.

Each rule is a tiny function in a named registry, run in a fixed order, so
``explain`` can say which rule changed a text.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Iterable

from . import chardata as cd

# --- clean(): rules that never change meaning ---------------------------------


def nfc(text: str) -> str:
    """Compose combining sequences: ``'ا' + U+0653`` -> ``'آ'``.

    Why: the same letter typed composed or decomposed must be one string.
    """
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def presentation_forms(text: str) -> str:
    """Map Arabic presentation forms to plain letters: ``'ﻻ'`` -> ``'لا'``.

    Why: PDF and legacy web text stores glyphs, not letters; only these ranges
    are mapped (blanket NFKC would also rewrite superscripts, fractions...).
    """
    if not cd.NEEDS_TRANSLATE.search(text):
        return text
    return text.translate(cd.PRESENTATION_MAP)


def invisibles(text: str) -> str:
    """Remove tatweel, zero-width and bidi control characters: ``'كـتـاب'`` -> ``'كتاب'``.

    Why: they change bytes, not words.
    """
    if not cd.NEEDS_TRANSLATE.search(text):
        return text
    return text.translate(cd.CLEAN_DELETE)


def line_endings(text: str) -> str:
    """CRLF, CR and Unicode line separators become LF: ``'a\\r\\nb'`` -> ``'a\\nb'``."""
    if "\r" not in text and not cd.LINE_BREAKS.search(text):
        return text
    return cd.LINE_BREAKS.sub("\n", text)


def spaces(text: str) -> str:
    """Unify space variants, collapse runs, trim lines and blank-line runs.

    ``'a\\u00a0\\u00a0b  \\n\\n\\n\\nc'`` -> ``'a b\\n\\nc'``. Paragraph boundaries
    (one blank line) are preserved.
    """
    if not cd.NEEDS_SPACES.search(text) and text[:1] not in " \n" and text[-1:] not in " \n":
        return text
    text = cd.MULTI_SPACE.sub(" ", text.translate(cd.CLEAN_SPACES))
    if " \n" in text or "\n " in text:
        text = "\n".join(line.strip(" ") for line in text.split("\n"))
    text = cd.BLANK_RUNS.sub("\n\n", text)
    return text.strip(" \n")


def strip_diacritics(text: str) -> str:
    """Remove harakat, tanween, shadda, sukun and Quranic marks: ``'كَتَبَ'`` -> ``'كتب'``."""
    return text.translate(cd.DIACRITICS_DELETE)


def digits_to_ascii(text: str) -> str:
    """Arabic-Indic and Persian digits to ASCII: ``'٢٠١٧'`` -> ``'2017'``."""
    return text.translate(cd.DIGITS_TO_ASCII)


_PERSIAN_ONLY = set("پچژگ")


def persian_to_arabic(text: str) -> str:
    """Persian yeh/keheh to Arabic yeh/kaf, only in text that is not Persian.

    ``'فی الکتاب'`` -> ``'في الكتاب'``. A text containing a letter that Arabic
    lacks (پ چ ژ گ) is taken to be Persian and left alone.
    """
    if _PERSIAN_ONLY.intersection(text):
        return text
    return text.translate(cd.PERSIAN_TO_ARABIC)


#: Default clean rules, in the order they run.
CLEAN_RULES: dict[str, Callable[[str], str]] = {
    "nfc": nfc,
    "presentation_forms": presentation_forms,
    "invisibles": invisibles,
    "line_endings": line_endings,
    "spaces": spaces,
}
#: Opt-in clean rules, run after the default ones when enabled.
OPTIONAL_CLEAN_RULES: dict[str, Callable[[str], str]] = {
    "strip_diacritics": strip_diacritics,
    "digits_to_ascii": digits_to_ascii,
    "persian_to_arabic": persian_to_arabic,
}


@dataclass(frozen=True)
class CleanOptions:
    """Which opt-in rules ``clean`` applies (all off: the text keeps its meaning)."""

    strip_diacritics: bool = False
    digits_to_ascii: bool = False
    persian_to_arabic: bool = False

    def rules(self) -> list[tuple[str, Callable[[str], str]]]:
        chosen = list(CLEAN_RULES.items())
        chosen += [(n, f) for n, f in OPTIONAL_CLEAN_RULES.items() if getattr(self, n)]
        return chosen


DEFAULT_CLEAN = CleanOptions()


def clean(text: str, options: CleanOptions = DEFAULT_CLEAN) -> str:
    """Return the text as it should appear in the training corpus.

    >>> clean('ﻻ  إلـه\\r\\n')
    'لا إله'
    """
    for _, rule in options.rules():
        text = rule(text)
    return text


def explain(text: str, options: CleanOptions = DEFAULT_CLEAN) -> list[tuple[str, str]]:
    """List ``(rule, text after it)`` for each clean rule that changed the text."""
    changes = []
    for name, rule in options.rules():
        new = rule(text)
        if new != text:
            changes.append((name, new))
        text = new
    return changes


# --- match_key(): aggressive, for hashing only --------------------------------

KEY_UNIFICATIONS = tuple(cd.KEY_UNIFY)


def _punctuation_table() -> dict[int, str]:
    """Every BMP punctuation or symbol character maps to a space."""
    table = {}
    for cp in range(0x10000):
        if unicodedata.category(chr(cp))[0] in "PS":
            table[cp] = " "
    for ch in cd.ARABIC_PUNCT:
        table[ord(ch)] = " "
    return table


_PUNCT = _punctuation_table()


@dataclass(frozen=True)
class KeyOptions:
    """Which unifications the match key applies; each can be turned off."""

    unify: tuple[str, ...] = KEY_UNIFICATIONS
    strip_diacritics: bool = True
    remove_punctuation: bool = True
    casefold: bool = True
    _table: dict = field(default=None, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        unknown = set(self.unify) - set(KEY_UNIFICATIONS)
        if unknown:
            raise ValueError(
                f"unknown match-key unification(s) {sorted(unknown)}; "
                f"choose from {list(KEY_UNIFICATIONS)}"
            )
        table: dict[int, str | None] = {}
        if self.remove_punctuation:
            table.update(_PUNCT)
        for name in KEY_UNIFICATIONS:
            if name in self.unify:
                table.update(cd.KEY_UNIFY[name])
        if self.strip_diacritics:
            table.update(cd.DIACRITICS_DELETE)
        # tatweel and invisibles are already gone after clean(); deleting them
        # here too keeps the key of raw text equal to the key of cleaned text.
        table.update(cd.CLEAN_DELETE)
        object.__setattr__(self, "_table", table)

    def key_of_clean(self, text: str) -> str:
        """Match key of text that already went through ``clean``."""
        text = text.translate(self._table)
        if self.casefold:
            text = text.casefold()
        return " ".join(text.split())


DEFAULT_KEY = KeyOptions()


def match_key(text: str, options: KeyOptions = DEFAULT_KEY) -> str:
    """Return the comparison key of a text: one line of space-separated tokens.

    >>> match_key('أَحْمَدُ، في المدرسة!') == match_key('احمد في المدرسه')
    True
    """
    return options.key_of_clean(clean(text))


class KeyTokenizer:
    """Match-key tokens of cleaned text, memoized per raw word.

    The key is word-local and words follow Zipf's law, so caching raw word ->
    key tokens turns tokenizing into one ``split()`` plus dict lookups. The
    cache is cleared when it reaches ``max_words`` entries to bound memory.
    """

    def __init__(self, options: KeyOptions = DEFAULT_KEY, max_words: int = 500_000) -> None:
        self.options = options
        self.max_words = max_words
        self._cache: dict[str, tuple[str, ...]] = {}

    def tokens(self, text: str) -> list[str]:
        cache = self._cache
        out: list[str] = []
        for word in text.split():
            toks = cache.get(word)
            if toks is None:
                if len(cache) >= self.max_words:
                    cache.clear()
                toks = tuple(self.options.key_of_clean(word).split())
                cache[word] = toks
            out.extend(toks)
        return out


def key_tokens(texts: Iterable[str], options: KeyOptions = DEFAULT_KEY) -> list[list[str]]:
    """Match-key tokens of several cleaned texts (convenience over ``KeyTokenizer``)."""
    tok = KeyTokenizer(options)
    return [tok.tokens(t) for t in texts]
