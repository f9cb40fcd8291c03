"""LSH index over MinHash signatures (in-memory backend: datasketch ``MinHashLSH``).

Every candidate the index returns is verified against its signature before a
document is removed, so a false-positive candidate only costs a comparison while
a false negative loses a duplicate for good. The banding is therefore chosen
with datasketch's optimizer weighted 0.05 / 0.95 (false positive / false
negative): at threshold 0.8 and 128 permutations that is 16 bands of 8 rows, a
pair with Jaccard 0.8 becomes a candidate with probability 0.947, 0.85 with
0.994, 0.5 with 0.061 (datasketch's 0.5 / 0.5 default: 0.40, 0.69, 0.001).
"""
from __future__ import annotations

import numpy as np
from datasketch import LeanMinHash, MinHashLSH
from datasketch.lsh import _false_negative_probability, _false_positive_probability, _optimal_param


RECALL_WEIGHTS = (0.05, 0.95)


def optimal_param(threshold: float, num_perm: int, weights: tuple[float, float] = RECALL_WEIGHTS) -> tuple[int, int]:
    """Bands ``b`` and rows ``r`` that datasketch picks for this threshold.

    ``MinHashLSH`` needs at least two bands; at very high thresholds the optimum
    is one band, so we use two bands of half the permutations instead.
    """
    b, r = _optimal_param(threshold, num_perm, *weights)
    return (b, r) if b >= 2 else (2, num_perm // 2)


def error_rates(threshold: float, b: int, r: int) -> tuple[float, float]:
    """(false-positive, false-negative) probability mass of the banding, as datasketch defines it."""
    return _false_positive_probability(threshold, b, r), _false_negative_probability(threshold, b, r)


class MemoryIndex:
    """datasketch ``MinHashLSH`` keyed by integer sequence numbers.

    ``threshold`` here is the *candidate* threshold: the banding is tuned for it.
    """

    def __init__(self, threshold: float, num_perm: int, seed: int = 1) -> None:
        self.seed = seed
        self.params = optimal_param(threshold, num_perm)
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, params=self.params)
        self._last: tuple[np.ndarray | None, LeanMinHash | None] = (None, None)

    def _lean(self, signature: np.ndarray) -> LeanMinHash:
        """The LeanMinHash of a signature; a kept document is queried then inserted
        with the same array, so the last one is reused instead of built twice."""
        last_sig, last_lean = self._last
        if signature is not last_sig:
            last_lean = LeanMinHash(seed=self.seed, hashvalues=signature, scheme="affine32")
            self._last = (signature, last_lean)
        return last_lean

    def query(self, signature: np.ndarray) -> list[int]:
        return sorted(self.lsh.query(self._lean(signature)))

    def insert(self, key: int, signature: np.ndarray) -> None:
        self.lsh.insert(key, self._lean(signature), check_duplication=False)
