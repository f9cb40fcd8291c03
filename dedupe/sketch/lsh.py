"""LSH index over MinHash signatures, in memory: our band dicts, or datasketch ``MinHashLSH``.

Every candidate the index returns is verified against its signature before a
document is removed, so a false-positive candidate only costs a comparison while
a false negative loses a duplicate for good. The banding is therefore chosen
with datasketch's optimizer weighted 0.05 / 0.95 (false positive / false
negative): at threshold 0.8 and 128 permutations that is 16 bands of 8 rows, a
pair with Jaccard 0.8 becomes a candidate with probability 0.947, 0.85 with
0.994, 0.5 with 0.061 (datasketch's 0.5 / 0.5 default: 0.40, 0.69, 0.001).
"""
from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

from ..text.chardata import disk_cached

if TYPE_CHECKING:
    import numpy as np

try:
    if os.environ.get("ARABIC_DEDUPE_PURE") == "1":
        raise ImportError("ARABIC_DEDUPE_PURE=1")
    from .._lsh import BandIndex, equal_count, intersection_size, verify_exact
except ImportError:  # no compiler at install time, or switched off: the dicts below (and numpy in verify.py)
    BandIndex = equal_count = intersection_size = verify_exact = None

RECALL_WEIGHTS = (0.05, 0.95)


def _legendre(x: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``P_n(x)`` and ``P_n'(x)`` (``n >= 1``) by the three-term recurrence."""
    import numpy as np

    p_prev, p = np.ones_like(x), x.copy()  # P_{j-1}(x), P_j(x) for j = 1 .. n
    for j in range(2, n + 1):
        p_prev, p = p, ((2 * j - 1) * x * p - (j - 1) * p_prev) / j
    return p, n * (x * p - p_prev) / (x * x - 1)


@lru_cache(maxsize=64)
def _gauss(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes (ascending) and weights on [-1, 1]: numpy's ``leggauss(n)``, by Newton's
    iteration on the Legendre polynomial ``P_n``.

    ``leggauss`` solves an eigenvalue problem through LAPACK, after which OpenBLAS's threads
    busy-wait for more work: ~0.1 CPU-s, taken from the workers on a 2-core run. The two
    agree to ~1e-14 (tests/test_sketch.py).
    """
    import numpy as np

    x = np.cos(np.pi * (np.arange(1, n + 1) - 0.25) / (n + 0.5))  # the k-th root, nearly
    for _ in range(100):
        p, dp = _legendre(x, n)
        step = p / dp
        x = x - step
        if np.max(np.abs(step)) < 1e-15:
            break
    dp = _legendre(x, n)[1]
    return x[::-1].copy(), (2 / ((1 - x * x) * dp * dp))[::-1].copy()


def _error_masses(threshold: float, b: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's false-positive and false-negative masses for arrays of ``(b, r)``.

    datasketch integrates ``P(s) = 1 - (1 - s**r)**b`` over [0, t] (false positive)
    and ``1 - P`` over [t, 1] (false negative) with ``scipy.integrate.quad``. Both are
    polynomials of degree ``b * r <= num_perm``, so Gauss-Legendre quadrature with
    ``num_perm // 2 + 1`` nodes is exact (up to rounding): same values without
    importing scipy (0.35 s of every run) and vectorized over all ``(b, r)``.
    """
    import numpy as np

    n = int(np.max(b * r)) // 2 + 1
    x, w = _gauss(n)
    b = np.asarray(b, dtype=float)[:, None]
    r = np.asarray(r, dtype=float)[:, None]
    t = threshold
    s_low = t / 2 * (x + 1)
    s_high = t + (1 - t) / 2 * (x + 1)
    fp = t / 2 * ((1 - (1 - s_low ** r) ** b) @ w)
    fn = (1 - t) / 2 * (((1 - s_high ** r) ** b) @ w)
    return fp, fn


@lru_cache(maxsize=256)
def _optimal_param(threshold: float, num_perm: int, fp_weight: float, fn_weight: float) -> tuple[int, int]:
    """datasketch's ``_optimal_param``: the ``(b, r)`` with ``b * r <= num_perm`` minimizing the weighted
    error, the first in its ``b``-then-``r`` loop order on ties (tested equal in tests/test_sketch.py).

    Kept in the on-disk table cache (``chardata.disk_cached``): computing it imports numpy, ~70 ms
    of the serial start-up of a run that would not need numpy otherwise.
    """
    b, r = disk_cached(optimal_param_cache_name(threshold, num_perm, fp_weight, fn_weight), (__file__,),
                       lambda: _compute_optimal_param(threshold, num_perm, fp_weight, fn_weight))
    return int(b), int(r)


def optimal_param_cache_name(threshold: float, num_perm: int, fp_weight: float, fn_weight: float) -> str:
    """The disk cache's name of one ``_optimal_param`` result (letters, digits and ``_``)."""
    name = "lsh_" + "_".join(repr(v).replace(".", "p").replace("-", "m")
                             for v in (float(threshold), int(num_perm), float(fp_weight), float(fn_weight)))
    return "".join(c if c.isalnum() else "_" for c in name)


def _compute_optimal_param(threshold: float, num_perm: int, fp_weight: float, fn_weight: float) -> tuple[int, int]:
    import numpy as np

    pairs = [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
    bs = np.array([p[0] for p in pairs])
    rs = np.array([p[1] for p in pairs])
    fp, fn = _error_masses(threshold, bs, rs)
    return pairs[int(np.argmin(fp * fp_weight + fn * fn_weight))]


def optimal_param(threshold: float, num_perm: int, weights: tuple[float, float] = RECALL_WEIGHTS) -> tuple[int, int]:
    """Bands ``b`` and rows ``r`` that datasketch's optimizer picks for this threshold.

    ``MinHashLSH`` needs at least two bands; at very high thresholds the optimum
    is one band, so we use two bands of half the permutations instead.
    """
    b, r = _optimal_param(float(threshold), int(num_perm), *map(float, weights))
    return (b, r) if b >= 2 else (2, num_perm // 2)


def error_rates(threshold: float, b: int, r: int) -> tuple[float, float]:
    """(false-positive, false-negative) probability mass of the banding, as datasketch defines it."""
    import numpy as np

    fp, fn = _error_masses(threshold, np.array([b]), np.array([r]))
    return float(fp[0]), float(fn[0])


class MemoryIndex:
    """In-memory band index of kept documents, keyed by integer sequence numbers.

    One dict per band from the band's bytes to the keys that have it: the same
    buckets as datasketch's ``MinHashLSH`` with these ``(b, r)`` (it keys each band
    by its bytes too, see ``DatasketchIndex``, which the tests compare with), at a
    fraction of its per-call cost (measured on saudinewsnet: 1.4 s of datasketch
    query + insert for 12,800 documents, 0.1 s here).
    ``threshold`` is the *candidate* threshold: the banding is tuned for it.

    With the optional C extension, ``dedupe._lsh.BandIndex`` holds the same buckets
    (band number and band values compared byte for byte; tested equal to the dicts)
    in flat arrays: no Python object per bucket, a few microseconds less per call.
    """

    def __init__(self, threshold: float, num_perm: int, seed: int = 1, native: bool = True) -> None:
        self.seed = seed
        self.params = optimal_param(threshold, num_perm)
        b, r = self.params
        self._native = BandIndex(b, r) if native and BandIndex is not None else None
        if self._native is not None:
            self.query = self._query_native
            self.insert = self._insert_native
        self._band_type = None  # (numpy: one band of r uint32 rows as one bytes key; made by _bands)
        self._tables: list[dict[bytes, int | list[int]]] = [{} for _ in range(b)]
        self._last: tuple[np.ndarray | None, list[bytes]] = (None, [])

    def _bands(self, signature: np.ndarray) -> list[bytes]:
        last_sig, last_bands = self._last
        if signature is not last_sig:
            import numpy as np

            if self._band_type is None:
                self._band_type = np.dtype((np.void, 4 * self.params[1]))
            raw = np.ascontiguousarray(signature, dtype=np.uint32)[: self.params[0] * self.params[1]]
            last_bands = raw.view(self._band_type).tolist()  # the bytes of each band, in one call
            self._last = (signature, last_bands)
        return last_bands

    # The signature goes to C as it is: MinHasher's rows already are contiguous uint32, and
    # np.ascontiguousarray cost ~0.13 us per call even when it returned its argument (measured:
    # 0.37 -> 0.24 us per query of an empty index). Anything else is refused by the C buffer check
    # (nothing inserted yet) and converted as before, so the same signatures work or fail the same way.
    def _query_native(self, signature: np.ndarray) -> list[int]:
        try:
            return self._native.query(signature)
        except (TypeError, ValueError, BufferError):
            import numpy as np

            return self._native.query(np.ascontiguousarray(signature, dtype=np.uint32))

    def _insert_native(self, key: int, signature: np.ndarray) -> None:
        try:
            self._native.insert(key, signature)
        except (TypeError, ValueError, BufferError):
            import numpy as np

            self._native.insert(key, np.ascontiguousarray(signature, dtype=np.uint32))

    def query(self, signature: np.ndarray) -> list[int]:
        found: set[int] = set()
        for table, band in zip(self._tables, self._bands(signature)):
            bucket = table.get(band)
            if bucket is None:
                continue
            if type(bucket) is int:
                found.add(bucket)
            else:
                found.update(bucket)
        return sorted(found)

    def insert(self, key: int, signature: np.ndarray) -> None:
        # A bucket holds its one key as a plain int until a second key arrives: most
        # buckets never get one, and ints cost neither a list allocation nor the
        # cyclic garbage collector's attention (lists are tracked objects).
        for table, band in zip(self._tables, self._bands(signature)):
            bucket = table.setdefault(band, key)
            if bucket is key:
                continue
            if type(bucket) is int:
                table[band] = [bucket, key]
            else:
                bucket.append(key)


class DatasketchIndex:
    """datasketch ``MinHashLSH`` keyed by integer sequence numbers (``--index datasketch``).

    Same candidates as ``MemoryIndex``; kept so the reference implementation stays one flag away.
    """

    def __init__(self, threshold: float, num_perm: int, seed: int = 1) -> None:
        from datasketch import MinHashLSH  # imports scipy: only when asked for

        self.seed = seed
        self.params = optimal_param(threshold, num_perm)
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, params=self.params)
        self._last: tuple = (None, None)

    def _lean(self, signature: np.ndarray):
        """The LeanMinHash of a signature; a kept document is queried then inserted
        with the same array, so the last one is reused instead of built twice."""
        last_sig, last_lean = self._last
        if signature is not last_sig:
            from datasketch import LeanMinHash

            last_lean = LeanMinHash(seed=self.seed, hashvalues=signature, scheme="affine32")
            self._last = (signature, last_lean)
        return last_lean

    def query(self, signature: np.ndarray) -> list[int]:
        return sorted(self.lsh.query(self._lean(signature)))

    def insert(self, key: int, signature: np.ndarray) -> None:
        self.lsh.insert(key, self._lean(signature), check_duplication=False)
