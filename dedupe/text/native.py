"""Glue to the optional C accelerator ``dedupe._native``: table building and the switch.

The C code only ever computes what a pure-Python function of the package defines
(``str.translate`` + ``split`` for match keys, xxh3 of each token's UTF-8 for token
hashes, ``normalize.clean``'s line endings, lone tatweels, translation and ``_tidy`` for
clean, ``normalize.spaces`` of the joined lines for ``normalize.join_kept``, numpy for
shingles and MinHash, Python sets of word bigrams for in-document repeats, ``str.encode``
for ``utf8_len``); the tests
compare the two on generated and real text. It is used when it was compiled at
install time and ``ARABIC_DEDUPE_PURE`` is not set to ``1``.

A table is one int32 per codepoint (see ``dedupe/_csrc/native.c``): the replacement
codepoint, ``DELETE``, ``BAIL`` (the caller falls back to Python for this text) or
an index into a list of multi-character replacements.
"""
from __future__ import annotations

import operator
import os
import unicodedata
from array import array
from functools import lru_cache
from itertools import compress

from . import chardata

try:
    if os.environ.get("ARABIC_DEDUPE_PURE") == "1":
        raise ImportError("ARABIC_DEDUPE_PURE=1")
    from .. import _native
except ImportError:  # no compiler at install time, or switched off
    _native = None

DELETE, BAIL, MULTI_BASE = -1, -2, -10

#: Whether the compiled fast paths are in use.
AVAILABLE = _native is not None


def utf8_len(text: str) -> int:
    """``len(text.encode())``, counted without building the bytes when the accelerator is there."""
    if AVAILABLE:
        n = _native.utf8_len(text)
        if n >= 0:
            return n
    return len(text.encode())  # (a lone surrogate raises here, as it always did)


def phrases(needles) -> object:
    """``_native.Phrases`` of ``needles`` (non-empty str) for ``Table.prep_lines``: each is looked for as
    a run of whole words of a key, ``" " + needle`` followed by ``" "`` in ``" " + key + " "``."""
    return _native.Phrases(list(needles))


def substrings(needles, frequent: str = "", groups=None, windows=None, guards=None) -> object:
    """``_native.Substrings`` of ``needles`` (non-empty str): ``.within(text)`` is ``any(n in text for n in
    needles)`` (``Table.prep_lines`` tests it too), ``.flags(text)`` the OR of ``groups[i]`` (bits, default 1)
    over the needles in ``text``; a needle with a window ``windows[i] > 0`` counts only when it is in
    ``text[-windows[i]:]``, one with a guard (``guards[i]`` a non-empty str) only when ``text[-1:] not in
    guards[i]``. ``.flags_lines(lines, skip=None, lead=0, lead_bit=0)`` is ``bytes(0 if i in skip else
    flags(line) for i, line in enumerate(lines))`` with ``lead_bit`` added to the first ``lead`` non-empty
    lines not in ``skip`` (groups and ``lead_bit`` below 256). Each needle is compared where its least
    frequent character stands (the last in ``frequent``, which lists characters most frequent first; one
    missing from it counts as frequent)."""
    needles = list(needles)
    anchors = [max(range(len(n)), key=lambda j, n=n: frequent.find(n[j])) for n in needles]
    return _native.Substrings(needles, anchors, None if groups is None else list(groups),
                              None if windows is None else list(windows), None if guards is None else list(guards))


def nfc_props() -> bytes:
    """uint16 per codepoint below ``_RAW_SIZE`` for ``Table.clean``: the canonical combining class,
    plus 0x100 for a character NFC may compose or decompose (those leave the check to Python)."""
    by_second, sensitive, _ = _nfc_pairs()
    composing = by_second.keys() | _JAMO
    props = array("H", bytes(2 * _RAW_SIZE))
    for cp in sensitive:
        if cp < _RAW_SIZE:
            c = chr(cp)
            stable = unicodedata.is_normalized("NFC", c) and cp not in composing
            props[cp] = unicodedata.combining(c) | (0 if stable else 0x100)
    return props.tobytes()


def _changed(table: list[str]) -> dict[int, str]:
    """The entries of a ``list_table`` that are not the identity."""
    n = len(table)
    identity = chardata.identity(n)
    # map and compress run the comparison loop in C
    return {cp: table[cp] for cp in compress(range(n), map(operator.ne, table, identity))}


def table_codes(mapping, size: int, bail: frozenset[int] = frozenset()) -> tuple[bytes, list[str]]:
    """The arguments of ``_native.Table`` for ``mapping`` (see ``build_table``): the
    codes (native int32 per codepoint below ``size``) and the multi-character replacements."""
    return dense_codes(sparse_codes(mapping, size, bail))


def sparse_codes(mapping, size: int, bail: frozenset[int] = frozenset()) -> tuple[int, bytes, bytes, list[str]]:
    """``table_codes`` without the identity entries: ``(size, codepoints, codes, multi)``, the
    two middle ones native int32 arrays as bytes (what the on-disk cache keeps: ~30x smaller)."""
    entries: dict[int, int] = {}
    multi: list[str] = []
    for cp, value in (_changed(mapping) if isinstance(mapping, list) else mapping).items():
        if cp >= size:
            continue
        if value is None or value == "":
            entries[cp] = DELETE
        elif len(value) == 1:
            entries[cp] = ord(value)
        else:
            entries[cp] = MULTI_BASE - len(multi)
            multi.append(value)
    for cp in bail:  # a bail codepoint bails whatever it maps to
        if cp < size:
            entries[cp] = BAIL
    return size, array("i", entries.keys()).tobytes(), array("i", entries.values()).tobytes(), multi


def dense_codes(sparse: tuple[int, bytes, bytes, list[str]]) -> tuple[bytes, list[str]]:
    """``sparse_codes`` back to ``table_codes``."""
    size, cps, values, multi = sparse
    if AVAILABLE:  # (array("i", range(size)) takes ~8 ms at 0x30000; importing numpy for it, ~70 ms)
        return _native.dense_codes(size, cps, values), multi
    codes = array("i", range(size))
    for cp, value in zip(array("i", cps), array("i", values)):  # (codepoints are distinct)
        codes[cp] = value
    return codes.tobytes(), multi


def build_table(mapping, size: int, bail: frozenset[int] = frozenset(), props: bytes | None = None):
    """A ``_native.Table`` for ``mapping`` (a ``list_table`` list or a ``{codepoint: str | None}`` dict).

    Codepoints at or past ``size`` map to themselves, as with ``str.translate``
    and a list table; codepoints in ``bail`` make the C call return ``None``.
    """
    return make_table(table_codes(mapping, size, bail), props)


def make_table(codes: tuple[bytes, list[str]], props: bytes | None = None):
    """A ``_native.Table`` from ``table_codes`` (or ``raw_key_codes``) and optionally ``nfc_props``."""
    if props is None:
        return _native.Table(*codes)
    return _native.Table(*codes, props)


# --- which codepoints make the raw-text key depend on NFC ----------------------

_RAW_SIZE = 0x30000  # past the CJK compatibility supplement, whose NFC changes letters
#: Hangul vowel and trailing jamo: they compose with a syllable algorithmically (no decomposition data).
_JAMO = frozenset(range(0x1161, 0x1176)) | frozenset(range(0x11A8, 0x11C3))


#: Blocks with no combining, decomposable or composing character (CJK ideographs, Hangul
#: syllables, whose composition is algorithmic and covered by the jamo above, surrogates and
#: private use): skipped, which halves the scan (tests/test_native.py checks the skip loses nothing).
_SKIPPED = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xD800, 0xF8FF), (0x20000, 0x2F7FF))


def _scanned():
    start = 0
    for lo, hi in _SKIPPED:
        yield from range(start, lo)
        start = hi + 1
    yield from range(start, _RAW_SIZE)


@lru_cache(maxsize=1)
def _nfc_pairs() -> tuple[dict[int, list[tuple[str, str]]], frozenset[int], frozenset[int]]:
    """``_scan_nfc_pairs()``, kept in the on-disk cache (``chardata.disk_cached``): the scan takes ~15 ms."""
    return chardata.disk_cached("nfc", (__file__,), _scan_nfc_pairs)


def _scan_nfc_pairs() -> tuple[dict[int, list[tuple[str, str]]], frozenset[int], frozenset[int]]:
    """Canonical compositions by their second character, the characters NFC may touch,
    and the first halves of canonical pairs.

    Sensitive: a combining class other than 0, the second half of a canonical pair,
    a character NFC changes on its own, and Hangul vowel/trailing jamo.
    """
    by_second: dict[int, list[tuple[str, str]]] = {}
    first_halves: set[int] = set()
    sensitive = set(_JAMO)
    for cp in _scanned():
        c = chr(cp)
        if unicodedata.combining(c) or not unicodedata.is_normalized("NFC", c):
            sensitive.add(cp)
        d = unicodedata.decomposition(c)
        if d and not d.startswith("<"):
            parts = [int(x, 16) for x in d.split()]
            if len(parts) == 2:
                by_second.setdefault(parts[1], []).append((chr(parts[0]), c))
                first_halves.add(parts[0])
                sensitive.add(parts[1])
    return by_second, frozenset(sensitive), frozenset(first_halves)


def raw_key_table(clean_map: dict[int, str | None], key_list: list[str]):
    """Table for ``key_of_clean(clean(text))`` in one pass, bailing where NFC could matter (see ``raw_key_codes``)."""
    return _native.Table(*raw_key_codes(clean_map, key_list))


def raw_key_codes(clean_map: dict[int, str | None], key_list: list[str]) -> tuple[bytes, list[str]]:
    """The ``table_codes`` of ``raw_key_table``."""
    return dense_codes(raw_key_sparse(clean_map, key_list))


def raw_key_sparse(clean_map: dict[int, str | None], key_list: list[str]) -> tuple[int, bytes, bytes, list[str]]:
    """The ``sparse_codes`` of ``raw_key_table``: ``key_of_clean(clean(text))`` in one pass, bailing where NFC could matter.

    ``clean`` runs NFC between its translation and the key's. The composed mapping
    is exact unless a character NFC acts on survives the clean translation; such a
    character is still safe when the key deletes it and every canonical composition
    with it as second half has the key of its base. For the default key that holds
    for the Arabic hamza/madda marks (``ا`` + U+0653 and ``آ`` both key to ``ا``).
    """
    by_second, sensitive, first_halves = _nfc_pairs()

    def key_of(s: str) -> str:
        return s.translate(key_list)

    def safe(cp: int) -> bool:
        if cp in first_halves or key_of(chr(cp)) != "":
            return False
        return all(key_of(x) == key_of(base) for base, x in by_second.get(cp, ()))

    unsafe = {cp for cp in sensitive if not safe(cp)}
    # a codepoint clean leaves alone maps as the key maps it; only clean's own entries compose
    composed = _changed(key_list)
    bail = set(unsafe)
    for cp, cleaned in clean_map.items():
        cleaned = "" if cleaned is None else cleaned
        if any(ord(x) in unsafe for x in cleaned):
            bail.add(cp)
        else:
            bail.discard(cp)
            composed[cp] = key_of(cleaned)
    return sparse_codes(composed, _RAW_SIZE, frozenset(bail))
