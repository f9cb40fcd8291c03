"""Scoring a candidate pair: estimated Jaccard from signatures, or exact from shingle sets.

LSH only proposes candidates; this decides. Exact verification is what makes a
lower candidate threshold safe: an estimate from 128 permutations has a standard
deviation of about 0.035 at J = 0.8, so half the pairs with true J just above the
threshold would be rejected (and some just below accepted) on the estimate alone.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .lsh import intersection_size
from .minhash import jaccard

if TYPE_CHECKING:
    import numpy as np


def intersection_count(a, b) -> int:
    """|A & B| of two sorted arrays of distinct values: one merge pass in C (``dedupe._lsh``) for
    contiguous uint32 arrays (``array('I')``, numpy), else ``numpy.intersect1d`` (the definition; tested equal)."""
    if intersection_size is not None:
        try:
            return intersection_size(a, b)
        except (TypeError, ValueError, BufferError):  # not contiguous uint32: numpy below
            pass
    import numpy as np

    return len(np.intersect1d(np.asarray(a), np.asarray(b), assume_unique=True))


def exact_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """|A & B| / |A | B| of two sorted unique uint32 shingle arrays."""
    if len(a) == 0 and len(b) == 0:
        return 1.0
    inter = intersection_count(a, b)
    return inter / (len(a) + len(b) - inter)


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the smaller set found in the larger: a truncated copy or an article inside a longer one scores 1."""
    if len(a) == 0 or len(b) == 0:
        return float(len(a) == len(b))
    return intersection_count(a, b) / min(len(a), len(b))


class Verifier:
    """Score of a pair under the configured mode (``estimate`` | ``exact``) and score (``jaccard`` | ``containment``)."""

    def __init__(self, mode: str = "exact", score: str = "jaccard") -> None:
        if score == "containment" and mode != "exact":
            raise ValueError("containment scoring needs exact verification (verify='exact')")
        self.mode = mode
        self.score_fn = containment if score == "containment" else exact_jaccard

    def score(self, sig_a: np.ndarray, sig_b: np.ndarray, sh_a: np.ndarray | None, sh_b: np.ndarray | None) -> float:
        if self.mode == "exact" and sh_a is not None and sh_b is not None:
            return self.score_fn(sh_a, sh_b)
        return jaccard(sig_a, sig_b)
