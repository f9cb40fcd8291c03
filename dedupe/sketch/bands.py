"""Candidate pairs from LSH bands: the in-memory (datasketch) and disk (external sort) backends.

Both take signatures by position 0..n-1 and return the same kind of result, a
sorted array of unique pairs ``i < j`` encoded as ``i << 32 | j``, so the
clustering that follows does not know which backend ran.

The disk backend reads the signatures once, in blocks, hashes every band of
each to 64 bits and buffers (band hash, position) records per band; a full
buffer is sorted and written as one run file per band. Each band's runs are
then merged (vectorized: blocks of whole buckets, cut at a hash every run has
reached) and turned into pairs with numpy. Signature blocks, run buffers and
merge buffers all come out of ``memory_mb``: memory is bounded by the flag,
not by the corpus (the candidate pairs found are kept: they are what the
clustering needs).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import numpy as np

from ..io.rowfile import RowFile
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


def block_pairs(h: np.ndarray, i: np.ndarray) -> np.ndarray:
    """Encoded pairs of every bucket of ``(h, i)`` sorted by ``(h, i)`` and holding whole buckets.

    The vectorized form of ``bucket_pairs`` over all buckets of a block (same pairs, tested):
    buckets of 2..``MAX_BUCKET_PAIRS`` members give all their pairs, larger ones a star on
    their first (smallest) member. Pairs may repeat across calls; callers ``np.unique`` them.
    """
    n = len(h)
    if n < 2:
        return np.empty(0, dtype=np.uint64)
    starts = np.flatnonzero(np.concatenate(([True], h[1:] != h[:-1])))
    sizes = np.diff(np.append(starts, n))
    keep = sizes > 1
    starts, sizes = starts[keep], sizes[keep]
    pos = i.astype(np.uint64)
    out = []
    big = sizes > MAX_BUCKET_PAIRS
    if big.any():
        b_starts, b_sizes = starts[big], sizes[big]
        rest = b_sizes - 1  # members after the first
        first = np.repeat(pos[b_starts], rest)
        # index of every non-first member: start + 1 + k for k < size - 1
        k = np.arange(int(rest.sum())) - np.repeat(np.cumsum(rest) - rest, rest)
        out.append((first << np.uint64(32)) | pos[np.repeat(b_starts + 1, rest) + k])
    small_starts, small_sizes = starts[~big], sizes[~big]
    for size in np.unique(small_sizes).tolist():
        at = small_starts[small_sizes == size][:, None]
        left, right = np.triu_indices(size, 1)
        out.append(((pos[at + left] << np.uint64(32)) | pos[at + right]).ravel())
    return np.concatenate(out) if out else np.empty(0, dtype=np.uint64)


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
    """Per-band sorted run files merged as an external sort; memory bounded by ``memory_mb``.

    ``chunk`` is the number of records per run file of one band. All bands are
    buffered at once (one pass over the signatures), so ``chunk`` is set so that
    the ``b`` band buffers take about half of ``memory_mb``; signature blocks read
    at a time take at most a quarter.
    """

    def __init__(self, workdir: Path, threshold: float, num_perm: int, memory_mb: int) -> None:
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.b, self.r = optimal_param(threshold, num_perm)
        budget = memory_mb * 2**20
        self.chunk = max(1024, budget // (2 * self.b * RUN_DTYPE.itemsize))
        self.read_rows = max(256, budget // (4 * 4 * num_perm))

    def pairs(self, sigs) -> np.ndarray:
        """``sigs``: anything with ``len()`` whose ``[start:stop]`` gives rows of signatures (an
        array, a memory map, a reader of the signature file); read ``read_rows`` rows at a time."""
        runs = self._write_runs(sigs)
        found: list[np.ndarray] = []
        for band in range(self.b):
            parts = [block_pairs(h, i) for h, i in self._merge(runs[band])]
            found.append(np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.uint64))
            for run in runs[band]:
                run.unlink()
        return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.uint64)

    def _write_runs(self, sigs) -> list[list[Path]]:
        """One pass over the signatures; returns each band's run files."""
        runs: list[list[Path]] = [[] for _ in range(self.b)]
        buffers: list[list[np.ndarray]] = [[] for _ in range(self.b)]
        pending = 0
        step = max(1, min(self.chunk, self.read_rows))

        def flush() -> None:
            for band, parts in enumerate(buffers):
                rec = np.concatenate(parts)
                parts.clear()
                # positions grow through the buffer, so a stable sort on h gives (h, i) order
                # (the same order as a structured sort on both fields, several times faster)
                rec = rec[np.argsort(rec["h"], kind="stable")]
                path = self.workdir / f"band{band:03d}-run{len(runs[band]):05d}.bin"
                rec.tofile(path)
                runs[band].append(path)

        for start in range(0, len(sigs), step):
            block = np.asarray(sigs[start : start + step])
            if pending and pending + len(block) > self.chunk:
                flush()
                pending = 0
            positions = np.arange(start, start + len(block), dtype=np.uint32)
            for band in range(self.b):
                rec = np.empty(len(block), dtype=RUN_DTYPE)
                rec["h"] = band_hashes(block, band, self.r)
                rec["i"] = positions
                buffers[band].append(rec)
            pending += len(block)
        if pending:
            flush()
        return runs

    def _merge(self, runs: list[Path]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """``(h, i)`` blocks of the band's records in ``(h, i)`` order, each holding whole buckets.

        A k-way merge over blocks instead of records: each round takes, from every run's
        buffer, the records whose hash is below the smallest last-buffered hash of the runs
        not yet read to the end (nothing at or above it can still be missing from the block),
        and sorts them together.
        """
        if not runs:
            return
        if len(runs) == 1:
            rec = np.fromfile(runs[0], dtype=RUN_DTYPE)
            yield rec["h"], rec["i"]
            return
        per_run = max(1024, self.chunk // len(runs))
        readers = [_RunReader(p, per_run) for p in runs]
        try:
            yield from self._merge_blocks(readers)
        finally:
            for reader in readers:
                reader.close()

    @staticmethod
    def _merge_blocks(readers: list[_RunReader]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """The rounds of ``_merge`` over open run readers."""
        bufs = [r.read() for r in readers]
        while True:
            live = [k for k, r in enumerate(readers) if not r.done]
            if not live:
                taken = [b for b in bufs if len(b)]
                if taken:
                    yield _sorted_hi(np.concatenate(taken))
                return
            cutoff = min(bufs[k]["h"][-1] for k in live)
            cuts = [int(np.searchsorted(b["h"], cutoff, side="left")) for b in bufs]
            if not any(cuts):  # every live run's buffer starts at the cutoff hash: read further
                for k in live:
                    if bufs[k]["h"][-1] == cutoff:
                        bufs[k] = np.concatenate([bufs[k], readers[k].read()])
                continue
            yield _sorted_hi(np.concatenate([b[:c] for b, c in zip(bufs, cuts) if c]))
            bufs = [b[c:] for b, c in zip(bufs, cuts)]
            for k in live:
                if not len(bufs[k]):
                    bufs[k] = readers[k].read()


def _sorted_hi(rec: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.lexsort((rec["i"], rec["h"]))
    rec = rec[order]
    return rec["h"], rec["i"]


class _RunReader:
    """A run file read ``block`` records at a time, in order (a cursor over a ``RowFile``)."""

    def __init__(self, path: Path, block: int) -> None:
        self.rows, self.block = RowFile(path, RUN_DTYPE), block
        self.next = 0

    @property
    def done(self) -> bool:
        return self.next >= len(self.rows)

    def read(self) -> np.ndarray:
        rec = self.rows.read(self.next, self.next + self.block)
        self.next += len(rec)
        return rec

    def close(self) -> None:
        self.rows.close()
