"""Match-key tokens as 64-bit hashes, and word n-gram shingle hashes.

With the C accelerator (``dedupe.text.native``) a line's tokens are keyed and
hashed in one call and shingles combined in C. Without it, tokens are hashed
once per distinct raw word (memoized, bounded) and the n-gram shingles are
combined from token hashes with numpy. Both give the same hashes (tested).
"""
from __future__ import annotations

from array import array
from itertools import accumulate
from typing import TYPE_CHECKING, Container, Sequence

import xxhash

from . import native
from .normalize import DEFAULT_KEY, KeyOptions

if TYPE_CHECKING:
    import numpy as np

#: Distinct odd multipliers make the shingle hash depend on token order.
_MIX = array(
    "Q",
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x27D4EB2F165667C5, 0x94D049BB133111EB],
)
MAX_NGRAM = len(_MIX)


#: Proclitics written attached or detached: conjunctions, then prepositions, then the article.
_CONJ, _PREP, _ARTICLE = "وف", "بل", "ال"
_STANDALONE = {"و", "ف", "ب", "ل", "ال"}


def strip_clitics(token: str) -> str:
    """Key token without its leading proclitics, so attached and detached spellings match (``ك`` is left: too many stems start with it).

    ``'والحكومه'`` -> ``'حكومه'``; ``'و'`` -> ``''``. A stem shorter than three letters
    is left alone (``'ولد'`` stays): only the match key changes, never the text.
    """
    if token in _STANDALONE:
        return ""
    if len(token) > 3 and token[0] in _CONJ:
        token = token[1:]
    if len(token) > 4 and token.startswith("لل"):  # li + al- assimilated: للطلاب
        return token[2:]
    if len(token) > 3 and token[0] in _PREP:
        token = token[1:]
    if len(token) > 4 and token.startswith(_ARTICLE):
        token = token[2:]
    return token


class TokenHasher:
    """Raw (cleaned) word -> 64-bit hashes of its match-key tokens, memoized.

    The cache is cleared when it holds ``max_words`` words, which bounds memory
    on corpora with unbounded vocabularies. ``clitics=True`` hashes tokens
    without their proclitics (``strip_clitics``).

    The cache holds each word's hashes packed as native uint64 bytes: a line is
    then one ``bytes.join`` in C and a document one ``memoryview(...).cast("Q")``. With a
    few hundred thousand words the lookups are memory-bound, and a tuple of int
    objects costs two more scattered reads per word than one bytes object
    (measured 1.8 s -> 1.2 s for hashing saudinewsnet with a warm cache).
    """

    def __init__(self, options: KeyOptions = DEFAULT_KEY, max_words: int = 1_000_000, clitics: bool = False) -> None:
        self.options = options
        self.max_words = max_words
        self.clitics = clitics
        self._cache: dict[str, bytes] = {}
        # the C accelerator hashes a whole line in one call, no cache needed
        self._native = options.native_tables()[0] if native.AVAILABLE and not clitics else None

    def word(self, word: str) -> tuple[int, ...]:
        """Token hashes of one word."""
        return tuple(unpack(self._word_bytes(word)))

    def _word_bytes(self, word: str) -> bytes:
        packed = self._cache.get(word)
        if packed is None:
            if len(self._cache) >= self.max_words:
                self._cache.clear()
            tokens = self.options.key_of_clean(word).split()
            if self.clitics:
                tokens = [t for t in map(strip_clitics, tokens) if t]
            packed = array("Q", [xxhash.xxh3_64_intdigest(t.encode()) for t in tokens]).tobytes()
            self._cache[word] = packed
        return packed

    def line(self, line: str) -> tuple[int, ...]:
        """Token hashes of one line of cleaned text."""
        return tuple(unpack(self.line_bytes(line)))

    def line_bytes(self, line: str) -> bytes:
        """Token hashes of one line of cleaned text, packed as native uint64 (``unpack`` reads them).

        ``map`` over the cache and ``join`` keep the per-word loop in C; only
        cache misses (rare once the vocabulary is warm) go through ``_word_bytes``.
        The C accelerator, when present, does the whole line in one call (same bytes).
        """
        if self._native is not None:
            packed = self._native.hashes(line)
            if packed is not None:  # None only for a lone surrogate: Python raises as before
                return packed
        return self._python_line_bytes(line)

    def lines_bytes(self, lines: list[str], skip: Container[int] = ()) -> list[bytes]:
        """``line_bytes`` of each line, ``b""`` for the line indexes in ``skip``.

        The C accelerator does all lines in one call; a line it cannot take (``None``) goes
        through ``line_bytes``'s Python path, as it would on its own.
        """
        if self._native is None:
            return [b"" if i in skip else self._python_line_bytes(line) for i, line in enumerate(lines)]
        packed = self._native.hashes_lines(lines, skip or None)
        if None in packed:
            packed = [p if p is not None else self._python_line_bytes(line) for line, p in zip(lines, packed)]
        return packed

    def _python_line_bytes(self, line: str) -> bytes:
        """``line_bytes`` without the accelerator (raises on a lone surrogate, like ``str.encode``)."""
        words = line.split()
        packed = list(map(self._cache.get, words))
        if None in packed:
            packed = [p if p is not None else self._word_bytes(w) for w, p in zip(words, packed)]
        return b"".join(packed)


def unpack(packed: bytes) -> memoryview:
    """Packed token hashes as a sequence of ints (``len``, indexing, slicing, iteration)."""
    return memoryview(packed).cast("Q")


def _u64(tokens):
    """``tokens`` as a contiguous uint64 buffer for the C code: a ``"Q"`` memoryview (``unpack``, ``StripStep``)
    or ``array("Q")`` as it is, anything else through numpy."""
    kind = type(tokens)
    if (kind is memoryview and tokens.format == "Q" and tokens.c_contiguous) or (kind is array and tokens.typecode == "Q"):
        return tokens
    import numpy as np

    return np.ascontiguousarray(tokens, dtype=np.uint64)


def shingle_hashes(tokens, ngram: int) -> np.ndarray:
    """32-bit hashes of the word n-grams of one document's token hashes (uint64 values: a numpy array,
    a ``"Q"`` memoryview), as a numpy uint32 array.

    A document shorter than ``ngram`` tokens (but not empty) gets one shingle made
    of all its tokens, so short documents still have a signature.
    """
    import numpy as np

    if not 1 <= ngram <= MAX_NGRAM:
        raise ValueError(f"ngram must be between 1 and {MAX_NGRAM}, got {ngram}")
    n = len(tokens)
    if n == 0:
        return np.empty(0, dtype=np.uint32)
    if native.AVAILABLE:
        return np.frombuffer(native._native.shingles(_u64(tokens), ngram, _MIX), dtype=np.uint32)
    tokens = np.asarray(tokens, dtype=np.uint64)
    mix = np.frombuffer(_MIX, dtype=np.uint64)
    k = min(ngram, n)
    width = n - k + 1
    acc = np.zeros(width, dtype=np.uint64)
    for j in range(k):
        acc += tokens[j : j + width] * mix[j]
    return ((acc >> np.uint64(32)) ^ acc).astype(np.uint32)


def shingle_hashes_batch(token_arrays: Sequence, ngram: int) -> tuple[array | np.ndarray, list[int]]:
    """``shingle_hashes`` of several documents: all their hashes in one new, writable uint32 buffer, and
    where each document's hashes end in it (document ``k``'s are ``flat[ends[k - 1]:ends[k]]``, from 0 for
    the first).

    With the C accelerator each document's hashes stay the bytes it returns until one join for the
    batch, and ``flat`` is an ``array("I")`` (no numpy); without it, a numpy uint32 array.
    """
    if not 1 <= ngram <= MAX_NGRAM:
        raise ValueError(f"ngram must be between 1 and {MAX_NGRAM}, got {ngram}")
    if native.AVAILABLE:
        shingles, mix = native._native.shingles, _MIX
        parts = [shingles(_u64(t), ngram, mix) for t in token_arrays]  # (b"" for no tokens)
        ends = [n >> 2 for n in accumulate(map(len, parts))]  # (4 bytes per hash)
        return array("I", b"".join(parts)), ends
    import numpy as np

    arrays = [shingle_hashes(t, ngram) for t in token_arrays]
    flat = np.concatenate(arrays) if arrays else np.empty(0, dtype=np.uint32)
    return flat, list(accumulate(map(len, arrays)))
