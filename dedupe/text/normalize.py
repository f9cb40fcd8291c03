"""Arabic orthographic normalization with two products.

``clean(text)`` is what goes into the training corpus: it only removes what never
carries meaning (presentation-form glyph codepoints, tatweel, invisible and bidi
control characters, odd spaces, line-ending variants).

``match_key(text)`` is what hashing and comparison see: the cleaned text with
diacritics stripped, letter variants unified, punctuation removed and Latin
casefolded. A match key is never written to the output.

Each rule is a tiny function in a named registry, run in a fixed order, so
``explain`` can say which rule changed a text. ``clean`` itself runs a fused
version of the same rules (one combined translate table, fast-path checks so
untouched text costs a scan); the tests check it equals the registry run in order.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Container

import xxhash

from . import chardata as cd
from . import native

Rule = Callable[[str], str]

# --- document language: only decides ZWNJ and the Persian-letter option --------


def is_persian_or_urdu(text: str) -> bool:
    """True when letters Arabic lacks (پ چ ژ گ ٹ ے ...) are a real share of the text.

    ``is_persian_or_urdu('می‌گویم')`` -> True; an Arabic article quoting one
    Persian name stays Arabic. Counting letters (not characters) keeps the
    answer the same before and after ``clean``.
    """
    foreign = sum(map(text.count, cd.PERSIAN_URDU_ONLY))
    if not foreign:
        return False
    return foreign >= cd.PERSIAN_URDU_SHARE * cd.ARABIC_LETTER.subn("", text)[1]


# --- clean(): rules that never change meaning ---------------------------------


def line_endings(text: str) -> str:
    """CRLF, CR and Unicode line separators become LF: ``'a\\r\\nb'`` -> ``'a\\nb'``."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(cd.CLEAN_LINES)


#: A tatweel standing alone between spaces (or at a line's edge) is typed as a dash:
#: ``'ماجد هود ـ جدة'``, ``'9 ـ حجج ...'``.
TATWEEL_DASH = "\u2013"


def _dash_lone_tatweel(text: str) -> str:
    """``text`` with each tatweel run that stands alone between spaces (or at an edge) written as an en dash.

    ``str.find`` jumps from one tatweel to the next (most are elongations inside a word, ``'الـ201'``):
    much faster than a regex with look-arounds, which tests every position."""
    t = cd.TATWEEL
    n = len(text)
    i = text.find(t)
    parts: list[str] = []
    done = 0
    while i != -1:
        j = i + 1
        while j < n and text[j] == t:
            j += 1
        if (i == 0 or text[i - 1].isspace()) and (j == n or text[j].isspace()):
            parts.append(text[done:i])
            parts.append(TATWEEL_DASH)
            done = j
        i = text.find(t, j)
    if not parts:
        return text
    parts.append(text[done:])
    return "".join(parts)


def tatweel_dash(text: str) -> str:
    """A tatweel standing alone between spaces becomes an en dash: ``'ماجد هود ـ جدة'`` -> ``'ماجد هود – جدة'``.

    Why: there it is punctuation (a byline's or a list's dash), not the elongation of a letter;
    deleting it like any tatweel would glue the name to the place (``'ماجد هود جدة'``).
    """
    if cd.TATWEEL not in text:
        return text
    return _dash_lone_tatweel(text)


def presentation_forms(text: str) -> str:
    """Map Arabic presentation forms to plain letters: ``'ﻻ'`` -> ``'لا'``.

    Why: PDF and legacy web text stores glyphs, not letters; only these ranges
    are mapped (blanket NFKC would also rewrite superscripts, fractions...).
    """
    return text.translate(cd.PRESENTATION_MAP)


def invisibles(text: str) -> str:
    """Remove tatweel, zero-width (except ZWNJ) and bidi controls: ``'كـتـاب'`` -> ``'كتاب'``.

    Why: they change bytes, not words. ZWNJ is decided by ``zwnj``.
    """
    return text.translate(_INVISIBLE_DELETE)


def zwnj(text: str) -> str:
    """Drop ZWNJ in Arabic text; in Persian/Urdu keep it only between two characters.

    ``'لِلَّه\\u200cِ'`` -> ``'لِلَّهِ'``; Persian ``'می\\u200cخواهم'`` is unchanged.
    Why: in Persian and Urdu ZWNJ is spelling (the "half space" of می‌خواهم,
    removing it joins letters that must not join); in Arabic it is keyboard noise.
    """
    if cd.ZWNJ not in text:
        return text
    if not is_persian_or_urdu(text):
        return text.replace(cd.ZWNJ, "")
    return cd.ZWNJ_RUN.sub(_fix_zwnj_run, text)


def _fix_zwnj_run(m) -> str:
    text, a, b = m.string, m.start(), m.end()
    marks = m.group().replace(cd.ZWNJ, "")
    while a > 0 and text[a - 1] in cd.DIACRITIC_SET:  # marks are transparent
        a -= 1
    if a == 0 or b == len(text) or text[a - 1].isspace() or text[b].isspace():
        return marks  # joins nothing: stray
    return cd.ZWNJ + marks


def space_variants(text: str) -> str:
    """NBSP, thin, em, ideographic spaces and tabs become a plain space."""
    return text.translate(cd.CLEAN_SPACES)


def nfc(text: str) -> str:
    """Compose combining sequences: ``'ا' + U+0653`` -> ``'آ'``.

    Why: the same letter typed composed or decomposed must be one string.
    """
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def spaces(text: str) -> str:
    """Unify space variants, collapse runs, trim lines and blank-line runs.

    ``'a\u00a0\u00a0b  \n\n\n\nc'`` -> ``'a b\n\nc'``. Paragraph boundaries
    (one blank line) are preserved.
    """
    if cd.SPACE_VARIANT.search(text):
        text = text.translate(cd.CLEAN_SPACES)
    return _tidy(text)


def join_kept(lines: list[str], drop: Container[int]) -> str:
    """``spaces`` of the lines whose index is not in ``drop``, joined by newlines.

    The C accelerator joins and tidies in one pass; it leaves a text with a space
    variant to the Python path (``spaces`` translates those first).
    """
    if native.AVAILABLE:
        text = native._native.join_tidy(lines, drop or None, cd.SPACES)
        if text is not None:
            return text
    return spaces("\n".join([line for i, line in enumerate(lines) if i not in drop]))


def _tidy(text: str) -> str:
    # substring tests are C-speed scans; the regexes run only when needed
    if "  " in text:
        text = cd.MULTI_SPACE.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = cd.SPACE_AROUND_NEWLINE.sub("\n", text)
    if "\n\n\n" in text:
        text = cd.BLANK_RUNS.sub("\n\n", text)
    return text.strip(" \n")


def strip_diacritics(text: str) -> str:
    """Remove harakat, tanween, shadda, sukun and Quranic marks: ``'كَتَبَ'`` -> ``'كتب'``."""
    return text.translate(cd.DIACRITICS_DELETE)


def digits_to_ascii(text: str) -> str:
    """Arabic-Indic and Persian digits to ASCII: ``'٢٠١٧'`` -> ``'2017'``."""
    return text.translate(cd.DIGITS_TO_ASCII)


def persian_to_arabic(text: str) -> str:
    """Persian yeh/keheh to Arabic yeh/kaf, only in Arabic documents.

    ``'فی الکتاب'`` -> ``'في الكتاب'``. Persian and Urdu documents (see
    ``is_persian_or_urdu``) are left alone: there ی and ک are the right letters.
    """
    if ("ی" not in text and "ک" not in text) or is_persian_or_urdu(text):
        return text
    # ی + hamza above has no precomposed form, ي + hamza above is ئ
    return nfc(text.replace("ی", "ي").replace("ک", "ك"))


_INVISIBLE_DELETE = {k: v for k, v in cd.CLEAN_DELETE.items() if k != ord(cd.ZWNJ)}

#: Default clean rules, in the order they run.
CLEAN_RULES: dict[str, Rule] = {
    "line_endings": line_endings,
    "tatweel_dash": tatweel_dash,
    "presentation_forms": presentation_forms,
    "invisibles": invisibles,
    "zwnj": zwnj,
    "nfc": nfc,
}
#: Opt-in clean rules, run after the default ones when enabled.
OPTIONAL_CLEAN_RULES: dict[str, Rule] = {
    "strip_diacritics": strip_diacritics,
    "digits_to_ascii": digits_to_ascii,
    "persian_to_arabic": persian_to_arabic,
}
#: Whitespace tidy-up runs last, after anything that may leave double spaces.
FINAL_CLEAN_RULES: dict[str, Rule] = {"spaces": spaces}


@dataclass(frozen=True)
class CleanOptions:
    """Which opt-in rules ``clean`` applies (all off: the text keeps its meaning)."""

    strip_diacritics: bool = False
    digits_to_ascii: bool = False
    persian_to_arabic: bool = False
    _table: dict = field(default=None, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        table: dict[int, str | None] = {}
        if self.strip_diacritics:
            table.update(cd.DIACRITICS_DELETE)
        if self.digits_to_ascii:
            table.update(cd.DIGITS_TO_ASCII)
        object.__setattr__(self, "_table", table)

    def rules(self) -> list[tuple[str, Rule]]:
        chosen = list(CLEAN_RULES.items())
        chosen += [(n, f) for n, f in OPTIONAL_CLEAN_RULES.items() if getattr(self, n)]
        return chosen + list(FINAL_CLEAN_RULES.items())


DEFAULT_CLEAN = CleanOptions()


def clean(text: str, options: CleanOptions = DEFAULT_CLEAN) -> str:
    """Return the text as it should appear in the training corpus.

    >>> clean('ﻻ  إلـه\\r\\n')
    'لا إله'

    Same result as running ``options.rules()`` in order (``clean_by_rules``),
    fused: CR first, then the lone tatweels, then one translate table for presentation
    forms, invisibles, space variants and line separators, each step skipped when a
    fast check says it has nothing to do. The C accelerator does the line endings, the
    lone tatweels, the translation and the tidy-up in one pass, and says whether the
    text has a ZWNJ and whether NFC may still change it.
    """
    if native.AVAILABLE and not options._table and not options.persian_to_arabic:
        # marks put in canonical order; compositions left here
        done, maybe_not_nfc, has_zwnj = _native_clean().clean(text, _TATWEEL_CP, _DASH_CP, _ZWNJ_CP)
        if has_zwnj:
            if is_persian_or_urdu(done):  # the ZWNJ run rule of Persian and Urdu spelling
                return _clean_python(tatweel_dash(_lf(text)), options)
            done = _tidy(done.replace(cd.ZWNJ, ""))  # Arabic text: ZWNJ is keyboard noise (the zwnj rule)
            maybe_not_nfc = True  # marks a ZWNJ kept apart may now meet
        if maybe_not_nfc and not unicodedata.is_normalized("NFC", done):
            done = _tidy(unicodedata.normalize("NFC", done))
        return done
    return _clean_python(tatweel_dash(_lf(text)), options)


_TATWEEL_CP, _DASH_CP, _ZWNJ_CP = ord(cd.TATWEEL), ord(TATWEEL_DASH), ord(cd.ZWNJ)


def _lf(text: str) -> str:
    """CRLF and CR as LF (the first half of ``line_endings``; the translate table does the line separators)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _clean_python(text: str, options: CleanOptions) -> str:
    """``clean`` without the accelerator (CR and CRLF already LF, lone tatweels already dashes)."""
    first = cd.NEEDS_TRANSLATE.search(text)
    if first:
        text = cd.translate(text, cd.TRANSLATE_RUN, cd.CLEAN_LIST, first)
    if cd.ZWNJ in text:
        text = zwnj(text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if options._table:
        text = text.translate(options._table)
    if options.persian_to_arabic:
        text = persian_to_arabic(text)
    return _tidy(text)


@lru_cache(maxsize=1)
def _native_clean():
    """C table for ``clean``'s fused translation with the tidy-up (ZWNJ kept: ``clean`` decides it after)."""
    codes, props = cd.disk_cached("clean", _TABLE_SOURCES, _native_clean_codes)
    return native.make_table(native.dense_codes(codes), props)


def _native_clean_codes() -> tuple[tuple[int, bytes, bytes, list[str]], bytes]:
    """What ``_native_clean`` compiles: the ``native.sparse_codes`` of ``CLEAN_LIST`` and the NFC properties."""
    return native.sparse_codes(cd.CLEAN_LIST, len(cd.CLEAN_LIST)), native.nfc_props()


def clean_by_rules(text: str, options: CleanOptions = DEFAULT_CLEAN) -> str:
    """The reference ``clean``: every rule of the registry, one after the other."""
    for _, rule in options.rules():
        text = rule(text)
    return text


def explain(text: str, options: CleanOptions = DEFAULT_CLEAN) -> list[tuple[str, str]]:
    """List ``(rule, text after it)`` for each clean rule that changed the text.

    >>> [rule for rule, _ in explain('ﻻ\\u0640\\r\\n')]
    ['line_endings', 'presentation_forms', 'invisibles', 'spaces']
    """
    changes = []
    for name, rule in options.rules():
        new = rule(text)
        if new != text:
            changes.append((name, new))
        text = new
    return changes


# --- match_key(): aggressive, for hashing only --------------------------------

#: Every match-key step by name, in order; each can be turned off (see README).
KEY_UNIFICATIONS: tuple[str, ...] = tuple(cd.KEY_UNIFY)
_FLAG_OF = {"diacritics": "strip_diacritics", "punctuation": "remove_punctuation", "casefold": "casefold"}


@dataclass(frozen=True)
class KeyOptions:
    """Which match-key steps apply; each named step can be turned off.

    ``unify`` lists the steps that run (default: all of ``KEY_UNIFICATIONS``).
    The boolean fields are older spellings of three of them: a step runs when it
    is in ``unify`` and its flag, if it has one, is true.

    >>> KeyOptions().without("teh_marbuta").key_of_clean('مدرسة')
    'مدرسة'
    """

    unify: tuple[str, ...] = KEY_UNIFICATIONS
    strip_diacritics: bool = True
    remove_punctuation: bool = True
    casefold: bool = True
    _list: list = field(default=None, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "unify", tuple(self.unify))
        unknown = set(self.unify) - set(KEY_UNIFICATIONS)
        if unknown:
            raise ValueError(
                f"unknown match-key unification(s) {sorted(unknown)}; "
                f"choose from {list(KEY_UNIFICATIONS)}"
            )

    @property
    def _table(self) -> list[str]:
        """The ``str.translate`` list table of the steps, built on first use (the compiled
        tables of the C accelerator usually come from the on-disk cache without it)."""
        if self._list is None:
            object.__setattr__(self, "_list", _key_list(tuple(self.steps())))
        return self._list

    def steps(self) -> list[str]:
        """The steps that run, in registry order."""
        off = {name for name, flag in _FLAG_OF.items() if not getattr(self, flag)}
        return [n for n in KEY_UNIFICATIONS if n in self.unify and n not in off]

    def without(self, *names: str) -> KeyOptions:
        """These options minus some steps: ``KeyOptions().without('alef')``."""
        return KeyOptions(unify=tuple(n for n in self.unify if n not in names),
                          strip_diacritics=self.strip_diacritics,
                          remove_punctuation=self.remove_punctuation, casefold=self.casefold)

    def key_of_clean(self, text: str) -> str:
        """Match key of text that already went through ``clean``.

        Word-local: the key of a text is the keys of its whitespace-separated
        words joined by one space, which is what lets callers memoize per word.
        """
        if native.AVAILABLE:
            return self.native_tables()[0].key(text)
        return " ".join(text.translate(self._table).split())

    def native_tables(self):
        """The compiled tables ``(key of clean text, key of raw text)``; built once per options."""
        return _native_tables(self)


@lru_cache(maxsize=16)
def _key_list(steps: tuple[str, ...]) -> list[str]:
    """The ``str.translate`` list table of these match-key steps; one per steps, shared (never mutated)."""
    table: dict[int, str | None] = {}
    for name in steps:
        table.update(cd.KEY_UNIFY[name])
    # tatweel and invisibles are already gone after clean(); deleting them
    # here too keeps the key of raw text equal to the key of cleaned text.
    table.update(cd.CLEAN_DELETE)
    return cd.list_table(table, 0x20000)


@lru_cache(maxsize=16)
def _native_tables(options: KeyOptions):
    return tuple(native.make_table(native.dense_codes(c)) for c in _native_key_codes(options))


#: The modules whose code computes the compiled tables (their on-disk cache entries depend on them).
_TABLE_SOURCES = (cd.__file__, native.__file__, __file__)


def key_cache_digest(options: KeyOptions) -> str:
    """What names a key option set's tables in the disk cache (xxh3: hashlib's import, for a
    blake2b, took ~4 ms of every run's serial start-up)."""
    return xxhash.xxh3_64_hexdigest(" ".join(options.steps()).encode())


def _native_key_codes(options: KeyOptions, cached: bool = True):
    """The ``native.sparse_codes`` of ``_native_tables`` (key of clean text, key of raw text), kept in
    the on-disk cache by steps: building them takes ~30 ms."""
    def build():
        key_list = options._table
        return native.sparse_codes(key_list, len(key_list)), native.raw_key_sparse(cd.CLEAN_TABLE, key_list)

    if not cached:
        return build()
    digest = key_cache_digest(options)
    return cd.disk_cached(f"key_{digest}", _TABLE_SOURCES, build)


DEFAULT_KEY = KeyOptions()


def match_key(text: str, options: KeyOptions = DEFAULT_KEY) -> str:
    """Return the comparison key of a text: one line of space-separated tokens.

    >>> match_key('أَحْمَدُ، في المدرسة!') == match_key('احمد في المدرسه')
    True

    With the C accelerator, one pass over the raw text gives the same key
    (``clean``'s and the key's translations composed); text where NFC could
    change the key (combining marks the key keeps) takes the path below, and so
    does a tatweel when punctuation is kept (the one-pass table deletes it, while
    ``clean`` writes a lone one as an en dash, which only punctuation removal drops).
    """
    if native.AVAILABLE and (cd.TATWEEL not in text or "punctuation" in options.steps()):
        key = options.native_tables()[1].key(text)
        if key is not None:
            return key
    return options.key_of_clean(clean(text))

