"""MinHash signatures, value-for-value equal to datasketch's.

We use datasketch's default ``affine32`` scheme: each 32-bit shingle hash goes
through the MurmurHash3 finalizer, then ``a * h + b mod 2**32`` for each of
``num_perm`` permutations drawn from ``np.random.RandomState(seed)`` exactly as
datasketch draws them. So ``datasketch.MinHash(num_perm, seed,
hashfunc=lambda h: h).update_batch(shingle_hashes)`` gives the same hash values,
and our signatures load into ``MinHashLSH`` / ``LeanMinHash`` as they are.
The C accelerator (``dedupe._native.minhash_update`` / ``minhash_batch``) runs the
same arithmetic; numpy does it when the accelerator is absent.

The pipeline's path (``MinHasher.signature_rows``, ``jaccard``) does not import
numpy when the accelerator is there: importing it was ~70 ms of every run's serial
start-up. numpy is imported where it is used (the fallbacks, the matrix API).
"""
from __future__ import annotations

from array import array
from operator import eq
from typing import TYPE_CHECKING, Sequence

from ..text import native
from ..text.chardata import disk_cached

if TYPE_CHECKING:
    import numpy as np

from .lsh import equal_count as _equal_count

MAX_HASH = 0xFFFFFFFF
#: Rows of the (shingles x permutations) product computed at once: bounds memory and keeps
#: the block in cache (512 to 8192 measured equal; 32768 was 1.4x slower per row).
CHUNK_SHINGLES = 2048


def permutation_bytes(num_perm: int, seed: int = 1) -> tuple[bytes, bytes]:
    """``permutations`` as native uint32 bytes, from the on-disk table cache (``chardata.disk_cached``)
    when an earlier process stored them: without numpy (drawing them imports ``numpy.random``)."""
    return disk_cached(permutations_cache_name(num_perm, seed), (__file__,),
                       lambda: tuple(x.tobytes() for x in _draw(num_perm, seed)))


def permutations(num_perm: int, seed: int = 1, cached: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The ``(a, b)`` parameters datasketch's affine32 MinHash draws for this seed, as numpy uint32 arrays.

    Kept in the on-disk table cache (``permutation_bytes``) unless ``cached`` is false.
    """
    import numpy as np

    if not cached:
        return _draw(num_perm, seed)
    a, b = permutation_bytes(num_perm, seed)
    return np.frombuffer(a, dtype=np.uint32).copy(), np.frombuffer(b, dtype=np.uint32).copy()


def permutations_cache_name(num_perm: int, seed: int) -> str:
    """The disk cache's name of the permutations (letters, digits and ``_``).

    No numpy version in it: the legacy ``RandomState`` stream that draws them is frozen (NEP 19), and
    reading numpy's version would import numpy.
    """
    return f"perm_{int(num_perm)}_{int(seed)}_randomstate"


def _draw(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, as datasketch applies it before permuting."""
    import numpy as np

    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


class MinHasher:
    """Signatures for batches of documents given their shingle hashes."""

    def __init__(self, num_perm: int = 128, seed: int = 1) -> None:
        self.num_perm = num_perm
        self.seed = seed
        self._a, self._b = permutation_bytes(num_perm, seed)
        self._arrays: tuple | None = None

    @property
    def a(self) -> np.ndarray:
        """The permutations' multipliers (numpy uint32)."""
        return self._numpy()[0]

    @property
    def b(self) -> np.ndarray:
        """The permutations' offsets (numpy uint32)."""
        return self._numpy()[1]

    def _numpy(self) -> tuple[np.ndarray, np.ndarray]:
        if self._arrays is None:
            import numpy as np

            self._arrays = (np.frombuffer(self._a, dtype=np.uint32), np.frombuffer(self._b, dtype=np.uint32))
        return self._arrays

    def signature_rows(self, flat: Sequence[int], ends: list[int]) -> list[array]:
        """The signature of each segment of ``flat`` (segment ``k`` is ``flat[ends[k - 1]:ends[k]]``, from 0
        for the first; ``flat``: a uint32 buffer such as ``shingle_hashes_batch`` returns), each an
        ``array('I')`` of ``num_perm`` values; an empty segment gets MAX_HASH everywhere.

        The pipeline's path: with the accelerator one C call for the batch and no numpy; without it,
        ``signatures`` of the segments. Same values either way (tested).
        """
        n = self.num_perm
        if not len(ends):
            return []
        if native.AVAILABLE:
            rows = array("I", native._native.minhash_batch(flat, ends, self._a, self._b))
        else:
            import numpy as np

            flat = np.asarray(flat, dtype=np.uint32)
            rows = array("I", self.signatures([flat[s:e] for s, e in zip([0, *ends], ends)]).tobytes())
        return [rows[k * n:(k + 1) * n] for k in range(len(ends))]

    def signatures(self, shingles: list[np.ndarray]) -> np.ndarray:
        """One row of ``num_perm`` uint32 values per document (a numpy matrix); empty documents get MAX_HASH.

        Each document is reduced on its own, in blocks of ``CHUNK_SHINGLES`` rows:
        the (block x permutations) product stays in cache and ``min(axis=0)`` is a
        plain row-wise minimum. Measured 3.6x faster than one ``minimum.reduceat``
        over the product of the whole batch (which is memory-bound).
        """
        import numpy as np

        out = np.full((len(shingles), self.num_perm), MAX_HASH, dtype=np.uint32)
        if native.AVAILABLE:  # the same arithmetic in C, one pass per document
            update = native._native.minhash_update
            a, b = self._a, self._b
            for row, s in zip(out, shingles):
                if len(s):
                    update(np.ascontiguousarray(s, dtype=np.uint32), a, b, row)
            return out
        for row, s in zip(out, shingles):
            if len(s):
                self._reduce_into(row, fmix32(s.astype(np.uint32, copy=False)))
        return out

    def _reduce_into(self, row: np.ndarray, hashed: np.ndarray) -> None:
        """``row = min(row, min over shingles of a * h + b)`` for one document's finalized hashes."""
        import numpy as np

        a, b = self._numpy()
        for start in range(0, len(hashed), CHUNK_SHINGLES):
            phv = np.multiply.outer(hashed[start : start + CHUNK_SHINGLES], a)
            phv += b
            np.minimum(row, phv.min(axis=0), out=row)


def jaccard(sig_a, sig_b) -> float:
    """Estimated Jaccard similarity: the share of equal signature values (two equally long uint32 sequences:
    ``array('I')`` rows, numpy arrays)."""
    if _equal_count is not None and native.AVAILABLE:
        try:
            return _equal_count(sig_a, sig_b) / len(sig_a)
        except (TypeError, ValueError, BufferError):  # not contiguous uint32: compared below
            pass
    if len(sig_a) != len(sig_b):
        raise ValueError(f"signatures of different lengths: {len(sig_a)} and {len(sig_b)}")
    return sum(map(eq, sig_a, sig_b)) / len(sig_a)


def unique_shingle_rows(flat, ends: list[int]) -> list[array]:
    """Each segment of ``flat`` (segment ``k`` is ``flat[ends[k - 1]:ends[k]]``, from 0 for the first) sorted
    without repeats, each an ``array('I')``: the shingle sets exact verification compares.

    The pipeline's path: with the accelerator one C call for the batch (``flat`` is left as it was) and no
    numpy; without it ``sorted_unique_segments``, which sorts ``flat``'s segments in place. Same values.
    """
    if not len(ends):
        return []
    if native.AVAILABLE:
        joined, ends = native._native.sorted_unique_batch(flat, ends)
        values = array("I", joined)
        return [values[start:end] for start, end in zip([0, *ends], ends)]
    return [array("I", s.tobytes()) for s in sorted_unique_segments(flat, ends)]


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` for the small 1-D arrays of one document's shingles: sort and drop repeats.

    Same result; about 5x faster here than numpy 2's ``np.unique``, which hashes before it sorts.
    (``copy`` and the ``sort`` method are ``np.sort`` without its Python wrapper: most documents
    have a few hundred shingles, where the per-call overhead is most of the cost.)
    """
    import numpy as np

    s = values.copy()
    s.sort()
    if len(s) < 2:
        return s
    keep = np.empty(len(s), dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def sorted_unique_segments(flat: np.ndarray, ends: list[int]) -> list[np.ndarray]:
    """``sorted_unique`` of each segment of ``flat`` (segment ``k`` is ``flat[ends[k - 1]:ends[k]]``, from 0
    for the first), each result its own array; sorts the segments of ``flat`` in place.

    One batch of documents' shingles at a time: each segment is still sorted on its own, but the
    repeats are found and dropped with one comparison and one selection over the whole batch,
    instead of several numpy calls per document.
    """
    import numpy as np

    flat = np.frombuffer(flat, dtype=np.uint32) if not isinstance(flat, np.ndarray) else flat
    start = 0
    for end in ends:
        if end - start > 1:
            flat[start:end].sort()
        start = end
    n = len(flat)
    bounds = np.array(ends, dtype=np.intp)
    keep = np.empty(n, dtype=bool)
    np.not_equal(flat[1:], flat[:-1], out=keep[1:])
    keep[bounds[bounds < n]] = True  # each segment's first value (segments 1..: where the one before ends)
    keep[:1] = True
    unique = flat[keep]
    dropped = np.flatnonzero(~keep)  # (few: a cumulative sum of keep costs more)
    out = []
    start = 0
    for end in (bounds - np.searchsorted(dropped, bounds)).tolist():  # where each segment ends in unique
        out.append(unique[start:end].copy())  # (a copy: a view would keep the whole batch's array alive)
        start = end
    return out
