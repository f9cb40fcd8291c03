"""Candidate pairs from LSH bands: the in-memory (datasketch) and disk (external sort) backends.

Both take signatures by position 0..n-1 and return the same kind of result, a
sorted array of unique pairs ``i < j`` encoded as ``i << 32 | j``, so the
clustering that follows does not know which backend ran.

The disk backend hashes each band of every signature to 64 bits, writes
(band hash, position) records to sorted run files of at most ``memory_mb``
and merges them per band: memory is bounded by the flag, not by the corpus.
"""
from __future__ import annotations

import heapq
from pathlib import Path
from typing import Iterator

import numpy as np

from .lsh import optimal_param

RUN_DTYPE = np.dtype([("h", "<u8"), ("i", "<u4")])
#: Buckets larger than this are linked as a star around their first member instead of all pairs.
MAX_BUCKET_PAIRS = 64
_BAND_MIX = np.uint64(0x9E3779B97F4A7C15)


def band_hashes(sigs: np.ndarray, band: int, rows: int) -> np.ndarray:
    """64-bit hash of rows ``band*rows .. +rows`` of each signature (vectorized, order-dependent)."""
    block = sigs[:, band * rows : (band + 1) * rows].astype(np.uint64)
    acc = np.full(len(sigs), (band * int(_BAND_MIX) + 1) % 2**64, dtype=np.uint64)
    for k in range(rows):
        acc = (acc ^ block[:, k]) * np.uint64(0x100000001B3)
        acc ^= acc >> np.uint64(29)
    return acc


def bucket_pairs(members: list[int]) -> list[int]:
    """Encoded pairs for one bucket (members sorted): all pairs if small, else a star on the first."""
    if len(members) <= MAX_BUCKET_PAIRS:
        return [(a << 32) | b for k, a in enumerate(members) for b in members[k + 1 :]]
    first = members[0]
    return [(first << 32) | b for b in members[1:]]


def _pairs_from_sorted(stream: Iterator[tuple[int, int]]) -> list[int]:
    out: list[int] = []
    current, members = None, []
    for h, i in stream:
        if h != current:
            if len(members) > 1:
                out.extend(bucket_pairs(sorted(members)))
            current, members = h, []
        members.append(i)
    if len(members) > 1:
        out.extend(bucket_pairs(sorted(members)))
    return out


def memory_pairs(sigs: np.ndarray, threshold: float, num_perm: int, seed: int = 1) -> np.ndarray:
    """Candidate pairs through datasketch ``MinHashLSH`` (insert all, then query each)."""
    from datasketch import LeanMinHash, MinHashLSH  # imports scipy: only in clustered mode

    params = optimal_param(threshold, num_perm)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, params=params)
    leans = [LeanMinHash(seed=seed, hashvalues=s, scheme="affine32") for s in sigs]
    for i, m in enumerate(leans):
        lsh.insert(i, m, check_duplication=False)
    pairs = {(min(i, j) << 32) | max(i, j) for i, m in enumerate(leans) for j in lsh.query(m) if j != i}
    return np.array(sorted(pairs), dtype=np.uint64)


class DiskBands:
    """Per-band sorted run files merged as an external sort; at most ``memory_mb`` of records in memory."""

    def __init__(self, workdir: Path, threshold: float, num_perm: int, memory_mb: int) -> None:
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.b, self.r = optimal_param(threshold, num_perm)
        self.chunk = max(1024, memory_mb * 2**20 // (2 * RUN_DTYPE.itemsize))

    def pairs(self, sigs: np.ndarray) -> np.ndarray:
        """``sigs`` may be a memory map: it is read ``chunk`` rows at a time."""
        found: list[np.ndarray] = []
        for band in range(self.b):
            runs = self._write_runs(sigs, band)
            found.append(np.unique(np.array(_pairs_from_sorted(self._merge(runs)), dtype=np.uint64)))
            for run in runs:
                run.unlink()
        return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.uint64)

    def _write_runs(self, sigs: np.ndarray, band: int) -> list[Path]:
        runs = []
        for start in range(0, len(sigs), self.chunk):
            block = np.asarray(sigs[start : start + self.chunk])
            rec = np.empty(len(block), dtype=RUN_DTYPE)
            rec["h"] = band_hashes(block, band, self.r)
            rec["i"] = np.arange(start, start + len(block), dtype=np.uint32)
            rec.sort(order=("h", "i"))
            path = self.workdir / f"band{band:03d}-run{len(runs):05d}.bin"
            rec.tofile(path)
            runs.append(path)
        return runs

    def _merge(self, runs: list[Path]) -> Iterator[tuple[int, int]]:
        if len(runs) == 1:
            rec = np.fromfile(runs[0], dtype=RUN_DTYPE)
            return zip(rec["h"].tolist(), rec["i"].tolist())
        per_run = max(1024, self.chunk // len(runs))
        return heapq.merge(*(_read_run(p, per_run) for p in runs))


def _read_run(path: Path, block: int) -> Iterator[tuple[int, int]]:
    """A run file streamed ``block`` records at a time."""
    mm = np.memmap(path, dtype=RUN_DTYPE, mode="r")
    for start in range(0, len(mm), block):
        part = np.array(mm[start : start + block])
        yield from zip(part["h"].tolist(), part["i"].tolist())
