"""Arabic character tables and compiled regexes, built once at import.

Everything here is data: the normalizers in ``normalize.py`` only look tables up,
so the hot path is ``str.translate`` and a handful of compiled regexes rather than
per-character Python loops. Ranges are spelled out (not derived from
``unicodedata`` categories) so the tables are the same on every Python version.

The tables that scan all of Unicode (punctuation and case folding for the match
key, and ``native.py``'s NFC data) are kept in a small on-disk cache (see
``disk_cached``) so that a run does not redo the scans at every start.
"""
from __future__ import annotations

import marshal
import os
import re
import sys
import unicodedata
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, TypeVar

import xxhash

T = TypeVar("T")

# --- on-disk cache of tables derived from unicodedata ---------------------------

#: Set to a directory to keep the cache there; set to an empty string to turn the cache off.
CACHE_ENV = "ARABIC_DEDUPE_CACHE_DIR"
_CACHE_MAGIC = b"ADTC1"


def cache_dir() -> Path | None:
    """``$ARABIC_DEDUPE_CACHE_DIR``, else ``$XDG_CACHE_HOME/arabic-dedupe``, else ``~/.cache/arabic-dedupe``;
    ``None`` (no cache) when ``ARABIC_DEDUPE_CACHE_DIR`` is set but empty or there is no home directory."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        home = os.path.expanduser("~")
        if home.startswith("~"):  # no home directory at all: no cache (never one under the working directory)
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "arabic-dedupe"


def cache_key(name: str, sources: tuple[str, ...]) -> str:
    """What a cached table depends on: its name, the source files of the modules that build it,
    the Python build (marshal format, ``str`` methods) and the Unicode database version.
    (xxh3-128: hashlib's import took ~3-4 ms of every run's serial start-up.)"""
    h = xxhash.xxh3_128()
    for part in (name, sys.version, str(marshal.version), unicodedata.unidata_version):
        h.update(part.encode() + b"\0")
    for source in sources:
        h.update(Path(source).read_bytes() + b"\0")
    return f"{name}-{h.hexdigest()}"


def disk_cached(name: str, sources: tuple[str, ...], build: Callable[[], T], directory: Path | None = None) -> T:
    """``build()``, or what an earlier process stored for the same ``cache_key``.

    ``name`` tells the table apart (letters, digits and ``_``); ``sources`` are
    the files (``__file__``) whose code computes it: editing one invalidates it.

    ``build`` must return plain data (dicts, lists, tuples, frozensets, str, int,
    None, bytes): it is stored with ``marshal``, behind a checksum. Any problem
    (no home, read-only or full disk, a damaged or foreign file, a source file
    that cannot be read) falls back to ``build()`` silently; a file is replaced
    atomically, so concurrent runs never read a half-written one.
    """
    try:
        directory = directory if directory is not None else cache_dir()
        path = directory / (cache_key(name, sources) + ".marshal") if directory is not None else None
    except Exception:  # noqa: BLE001 - no home directory, unreadable source: just build
        path = None
    if path is not None:
        try:
            data = path.read_bytes()
            payload = data[len(_CACHE_MAGIC) + 4:]
            if data[:len(_CACHE_MAGIC)] == _CACHE_MAGIC and \
                    int.from_bytes(data[len(_CACHE_MAGIC):len(_CACHE_MAGIC) + 4], "little") == zlib.crc32(payload):
                return marshal.loads(payload)
        except Exception:  # noqa: BLE001 - missing or unreadable: rebuild below
            pass
    value = build()
    if path is not None:
        _store(path, value)
    return value


def _store(path: Path, value: Any) -> None:
    """Write ``value`` to ``path`` atomically; drop older versions of the same table. Never raises."""
    tmp = None
    try:
        payload = marshal.dumps(value)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(_CACHE_MAGIC + zlib.crc32(payload).to_bytes(4, "little") + payload)
        os.replace(tmp, path)
        tmp = None
        stem = path.name.rsplit("-", 1)[0]
        for old in path.parent.glob(f"{stem}-*.marshal"):
            if old.name != path.name:
                old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - a cache is optional
        if tmp is not None:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass

# --- ranges -----------------------------------------------------------------

#: Arabic presentation forms A and B: legacy glyph codepoints that old PDFs and
#: web pages still emit. Their compatibility decomposition is the plain letter.
#: Only these ranges are mapped: every character in them is Arabic (FEFF, the
#: BOM, is an invisible and is deleted instead).
PRESENTATION_RANGES = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))

#: Harakat, tanween, shadda, sukun, maddah/hamza above-below, superscript alef,
#: Quranic annotation signs and small high/low letters (the issue's list, plus the
#: Unicode 14 Quranic marks U+0898-U+089F and U+08CA-U+08D2). Deliberately NOT
#: here: U+06DD end of ayah, U+06DE rub el hizb, U+06E9 place of sajdah and U+08E2
#: disputed end of ayah: they are verse and section symbols that stand between
#: words, not marks on a letter (the key treats them as punctuation).
DIACRITIC_RANGES = (
    (0x0610, 0x061A),
    (0x064B, 0x065F),
    (0x0670, 0x0670),
    (0x06D6, 0x06DC),
    (0x06DF, 0x06E8),  # includes U+06E5/U+06E6 small waw/yeh (silah signs)
    (0x06EA, 0x06ED),
    (0x0898, 0x089F),
    (0x08CA, 0x08E1),
    (0x08E3, 0x08FF),
)

#: Arabic format characters that behave like symbols between words: number
#: signs (U+0600-U+0605), end of ayah, disputed end of ayah.
ARABIC_SYMBOL_FORMATS = "\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u08e2"

TATWEEL = "\u0640"
ZWNJ = "\u200c"

#: Invisible characters that carry no text: zero-width space / non-joiner /
#: joiner, word joiner, BOM / zero-width no-break space, soft hyphen.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

#: Bidirectional controls: marks, embeddings, overrides and isolates.
BIDI_CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

#: Space variants that all mean "a space" in running text.
SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\x0b\x0c"

#: Line separators other than LF (CR and CRLF are replaced before translating).
LINE_SEPARATORS = "\x85\u2028\u2029"

ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"

#: Letters Arabic does not use but Persian or Urdu do (پ چ ژ گ; ٹ ڈ ڑ ں ھ ہ ۂ ے ۓ).
#: Not ی/ک (Arabic typed on a Persian keyboard has them) and not ڤ (Arabic writes
#: foreign "v" with it).
PERSIAN_URDU_ONLY = "پچژگٹڈڑںھہۂےۓ"
#: A document is Persian/Urdu when at least this share of its Arabic-script
#: letters is one of ``PERSIAN_URDU_ONLY`` (Persian news ~3 %, Urdu ~8 %, Arabic
#: news with a foreign name well under 0.5 %).
PERSIAN_URDU_SHARE = 0.005
ARABIC_LETTER = re.compile("[\u0620-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff\u0750-\u077f\u08a0-\u08c9]")


def _chars(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(chr(c) for lo, hi in ranges for c in range(lo, hi + 1))


DIACRITICS = _chars(DIACRITIC_RANGES)


def _presentation_map() -> dict[int, str]:
    """Map each presentation-form codepoint to its compatibility letters.

    The forms whose decomposition is a space plus a harakah (isolated harakat
    such as U+FE70) keep the harakah and drop the space so that ``clean`` never
    invents word boundaries; tatweel in a decomposition (U+FE71) is dropped too,
    since ``clean`` removes tatweel anyway.
    """
    table: dict[int, str] = {}
    for lo, hi in PRESENTATION_RANGES:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            if ch == "\ufeff":
                continue
            norm = unicodedata.normalize("NFKC", ch)
            if norm != ch:
                norm = norm.replace(TATWEEL, "")
                table[cp] = norm.strip(" ") or norm
    return table


PRESENTATION_MAP = _presentation_map()

# --- translate tables for clean() -------------------------------------------

#: Removed by clean(): tatweel, invisibles, bidi controls.
CLEAN_DELETE: dict[int, str | None] = {ord(c): None for c in TATWEEL + INVISIBLE + BIDI_CONTROLS}
#: Spaces unified by clean(); line breaks are handled separately.
CLEAN_SPACES = {ord(c): " " for c in SPACES}
CLEAN_LINES = {ord(c): "\n" for c in LINE_SEPARATORS}

DIGITS_TO_ASCII = {ord(c): str(i) for i, c in enumerate(ARABIC_INDIC_DIGITS)}
DIGITS_TO_ASCII.update({ord(c): str(i) for i, c in enumerate(PERSIAN_DIGITS)})

DIACRITICS_DELETE: dict[int, str | None] = {ord(c): None for c in DIACRITICS}

PERSIAN_TO_ARABIC = {ord("ی"): "ي", ord("ک"): "ك"}

#: One table for every default clean rule that is a character mapping, ZWNJ kept
#: (it is decided per document). Outputs are final: no value needs a second pass.
CLEAN_TABLE: dict[int, str | None] = {**PRESENTATION_MAP, **CLEAN_DELETE, **CLEAN_SPACES, **CLEAN_LINES}
del CLEAN_TABLE[ord(ZWNJ)]


def char_class(chars) -> str:
    """A regex character class matching exactly ``chars`` (codepoints or a str)."""
    cps = sorted({c if isinstance(c, int) else ord(c) for c in chars})
    parts, i = [], 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        lo, hi = chr(cps[i]), chr(cps[j])
        parts.append(re.escape(lo) if i == j else f"{re.escape(lo)}-{re.escape(hi)}")
        i = j + 1
    return "[" + "".join(parts) + "]"


#: Any character ``CLEAN_TABLE`` changes: absent (the common case) -> no translate.
NEEDS_TRANSLATE = re.compile(char_class(CLEAN_TABLE))
#: Runs of such characters, for translating only the runs when they are sparse.
TRANSLATE_RUN = re.compile(char_class(CLEAN_TABLE) + "+")


@lru_cache(maxsize=1)
def _identity() -> list[str]:
    return list(map(chr, range(0x20000)))


def identity(size: int) -> list[str]:
    """A new list of ``chr(cp)`` for every codepoint below ``size`` (copied from one cached list
    below 0x20000, sharing its strings): what list tables start from."""
    return _identity()[:size] if size <= 0x20000 else list(map(chr, range(size)))


def list_table(table: dict[int, str | None], size: int = 0x10000) -> list[str]:
    """The same mapping as a list indexed by codepoint: ``str.translate`` looks a
    list up about twice as fast as a dict (codepoints past the end are kept)."""
    out = identity(size)
    for cp, value in table.items():
        if cp < size:
            out[cp] = "" if value is None else value
    return out


def translate(text: str, run: re.Pattern, table: list[str], first: re.Match) -> str:
    """``text.translate(table)``, but when matches of ``run`` are sparse (the
    usual NBSP or RLM in a news article) only they are translated."""
    window = text[first.start() : first.start() + 4000]
    if len(run.findall(window)) > 40:
        return text.translate(table)
    return run.sub(lambda m: m.group().translate(table), text)
SPACE_VARIANT = re.compile(char_class(SPACES))


def __getattr__(name: str) -> Any:
    """``CLEAN_LIST`` (``CLEAN_TABLE`` as a list table) is built on first use: with the C
    accelerator only the pure-Python paths (rare options, Persian ZWNJ) need it."""
    if name == "CLEAN_LIST":
        value = globals()["CLEAN_LIST"] = list_table(CLEAN_TABLE)
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

#: Arabic punctuation; all already in Unicode's P* categories, listed for the docs.
ARABIC_PUNCT = "،؛؟«»٪٫٬۔"

#: Planes scanned for punctuation, symbols and case: BMP and SMP (emoji).
_SCAN_LIMIT = 0x20000


def _punctuation_table() -> dict[int, str | None]:
    """Punctuation and symbols (P*, S*) map to a space; other format characters
    (Cf) are deleted, except Arabic verse/number signs, which separate words."""
    table: dict[int, str | None] = {}
    for cp in range(_SCAN_LIMIT):
        cat = unicodedata.category(chr(cp))
        if cat[0] in "PS":
            table[cp] = " "
        elif cat == "Cf":
            table[cp] = None
    for ch in ARABIC_PUNCT + ARABIC_SYMBOL_FORMATS:
        table[ord(ch)] = " "
    return table


def _casefold_table() -> dict[int, str]:
    """``str.casefold`` is per character (no context), so it fits in a table."""
    table = {}
    for cp in range(_SCAN_LIMIT):
        ch = chr(cp)
        folded = ch.casefold()
        if folded != ch:
            table[cp] = folded
    return table


def _unicode_tables() -> dict[str, dict]:
    """The tables above that scan all of Unicode: what ``disk_cached`` keeps."""
    return {"punctuation": _punctuation_table(), "casefold": _casefold_table()}


_CACHED = disk_cached("chardata", (__file__,), _unicode_tables)
KEY_PUNCTUATION: dict[int, str | None] = _CACHED["punctuation"]
KEY_CASEFOLD: dict[int, str] = _CACHED["casefold"]
del _CACHED

# --- match-key unifications (each a named, switchable table) -----------------

KEY_UNIFY: dict[str, dict[int, str | None]] = {
    # harakat, tanween, shadda, sukun, superscript alef, Quranic marks
    "diacritics": DIACRITICS_DELETE,
    # hamza-carrying and decorated alefs all read as a plain alef for matching
    "alef": {ord(c): "ا" for c in "أإآٱٲٳٵ"},
    "alef_maksura": {ord("ى"): "ي"},
    "teh_marbuta": {ord("ة"): "ه"},
    "hamza_on_waw": {ord("ؤ"): "و"},
    # ۓ is NFC of yeh barree + hamza above: unified so stripping the hamza mark
    # and the precomposed letter give one key
    "hamza_on_yeh": {ord("ئ"): "ي", ord("ۓ"): "ے"},
    # Persian / Urdu letter forms of the same Arabic letters (ۂ: heh goal + hamza)
    "persian_letters": {
        **{ord(c): "ي" for c in "یېۍ"},
        **{ord(c): "ك" for c in "کڪ"},
        **{ord(c): "ه" for c in "ەۀھہۃۂ"},
    },
    "digits": DIGITS_TO_ASCII,
    # punctuation and symbols (Arabic and Latin, emoji) separate words; other
    # invisible format characters go
    "punctuation": KEY_PUNCTUATION,
    # Latin (and every other cased script) compared caselessly
    "casefold": KEY_CASEFOLD,
}

LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
MULTI_SPACE = re.compile(r" {2,}")
SPACE_AROUND_NEWLINE = re.compile(r" \n ?|\n ")
BLANK_RUNS = re.compile(r"\n{3,}")
#: A ZWNJ with the diacritics and further ZWNJs after it (diacritics are
#: transparent, so stripping them never changes which ZWNJs are kept).
ZWNJ_RUN = re.compile("\u200c" + char_class(DIACRITICS + ZWNJ) + "*")
DIACRITIC_SET = frozenset(DIACRITICS)

