"""Clustered near-dedup: two passes through a work directory instead of one streaming decision.

Used when a survivor other than the first is wanted (``--keep``), when clusters
are to be listed (``--clusters``) or when the disk index is chosen.

Pass 1 (in input order, signatures computed by the workers): every document is
spilled to ``OUTDIR/.work/docs.pkl``; the
signatures (and, for ``--verify exact``, the shingle sets) of the documents
still in the running go to flat files read back as memory maps.
Then: candidate pairs from the index backend, verification, union-find,
survivors, members re-verified against their survivor (``sketch.cluster``).
Exact duplicates are not removed beforehand: they join the clusters (identical
signatures always collide) and are reported as ``exact_duplicate`` of the
survivor when their match-key hash equals its own, so ``duplicate_of`` always
names a kept document.
Pass 2 reads the spill back in input order and writes the outputs, so they do
not depend on workers or shard size.
"""
from __future__ import annotations

import pickle
import shutil
from time import perf_counter
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import orjson

from ..config import Config
from ..document import Document
from ..sketch.bands import DiskBands, memory_pairs
from ..sketch.cluster import Clusterer, survivor_key
from ..sketch.verify import Verifier
from ..stats import Stats

WORK = ".work"


class Spill:
    """Append-only files of pass 1: pickled documents, signatures, shingle sets with their offsets."""

    def __init__(self, workdir: Path, num_perm: int) -> None:
        self.dir = workdir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.num_perm = num_perm
        self.docs = open(self.dir / "docs.pkl", "wb")
        self.sigs = open(self.dir / "signatures.u32", "wb")
        self.shingles = open(self.dir / "shingles.u32", "wb")
        self.offsets = [0]
        self.positions: dict[int, int] = {}  # doc seq -> position among signed documents
        self.ids: list[str] = []
        self.lengths: list[int] = []
        self.exact: list[int] = []

    def add(self, doc: Document) -> None:
        if not doc.removed and doc.signature is not None:
            self.positions[doc.seq] = len(self.ids)
            self.ids.append(doc.id)
            self.lengths.append(doc.length())
            self.exact.append(doc.exact_hash)
            self.sigs.write(doc.signature.tobytes())
            if doc.shingles is not None:
                self.shingles.write(doc.shingles.tobytes())
                self.offsets.append(self.offsets[-1] + len(doc.shingles))
        doc.signature = doc.shingles = None
        pickle.dump(doc, self.docs, protocol=pickle.HIGHEST_PROTOCOL)

    def close(self) -> None:
        for fh in (self.docs, self.sigs, self.shingles):
            fh.close()

    def signatures(self) -> np.ndarray:
        n = len(self.ids)
        if n == 0:
            return np.empty((0, self.num_perm), dtype=np.uint32)
        return np.memmap(self.dir / "signatures.u32", dtype=np.uint32, mode="r", shape=(n, self.num_perm))

    def shingle_sets(self) -> Callable[[int], np.ndarray] | None:
        if len(self.offsets) != len(self.ids) + 1 or self.offsets[-1] == 0:
            return None
        flat = np.memmap(self.dir / "shingles.u32", dtype=np.uint32, mode="r")
        offsets = np.array(self.offsets, dtype=np.int64)
        return lambda i: np.asarray(flat[offsets[i] : offsets[i + 1]])

    def replay(self) -> Iterator[Document]:
        with open(self.dir / "docs.pkl", "rb") as fh:
            while True:
                try:
                    yield pickle.load(fh)
                except EOFError:
                    return


def use_disk(config: Config, input_bytes: int) -> bool:
    """The disk index when asked for, or automatically when the input exceeds the memory bound."""
    backend = config.dedup.backend
    return backend == "disk" or (backend == "auto" and input_bytes > config.dedup.memory_mb * 2**20)


class ClusteredDedup:
    """Pass 1 ``add`` each document in input order, then ``resolve``, then ``replay`` the decided documents."""

    def __init__(self, stats: Stats, config: Config, out: Path, disk: bool) -> None:
        self.stats, self.config, self.out, self.disk = stats, config, out, disk
        self.spill = Spill(out / WORK, config.dedup.num_perm)
        self.removed: dict[int, tuple[int, float]] = {}

    def add(self, doc: Document) -> None:
        self.spill.add(doc)

    def resolve(self) -> None:
        t0 = perf_counter()
        self._resolve()
        self.stats.seconds["near"] += perf_counter() - t0

    def _resolve(self) -> None:
        d = self.config.dedup
        self.spill.close()
        sigs = self.spill.signatures()
        if self.disk:
            pairs = DiskBands(self.spill.dir / "bands", d.lsh_threshold, d.num_perm, d.memory_mb).pairs(sigs)
        else:
            pairs = memory_pairs(np.asarray(sigs), d.lsh_threshold, d.num_perm, d.seed)
        shingles = self.spill.shingle_sets()
        verifier = Verifier(d.verify, d.score)

        def score(a: int, b: int) -> float:
            sa, sb = (shingles(a), shingles(b)) if shingles else (None, None)
            return verifier.score(sigs[a], sigs[b], sa, sb)

        key = survivor_key(d.keep, np.array(self.spill.lengths, dtype=np.int64))
        clusters = Clusterer(len(sigs), score, d.threshold, key).clusters(pairs)
        for survivor, members in clusters:
            for m, s in members:
                self.removed[m] = (survivor, s)
        if d.clusters:
            self._write_clusters(clusters)

    def _write_clusters(self, clusters: list) -> None:
        ids = self.spill.ids
        with open(self.out / "clusters.jsonl", "wb") as fh:
            for survivor, members in clusters:
                rec = {"survivor": ids[survivor], "size": len(members) + 1,
                       "members": [{"id": ids[m], "similarity": round(s, 4)} for m, s in members]}
                fh.write(orjson.dumps(rec) + b"\n")

    def survivors(self) -> frozenset[int]:
        """Input positions (``seq``) of documents that some removed document names as ``duplicate_of``.

        By position, not id: ids need not be unique, and a document sharing a survivor's id
        must not be protected with it."""
        named = {s for s, _ in self.removed.values()}
        return frozenset(seq for seq, pos in self.spill.positions.items() if pos in named)

    def replay(self) -> Iterator[Document]:
        """Pass 2: every spilled document in input order, near-duplicates marked."""
        positions, ids, exact = self.spill.positions, self.spill.ids, self.spill.exact
        for doc in self.spill.replay():
            pos = positions.get(doc.seq)
            if pos is not None and pos in self.removed:
                survivor, s = self.removed[pos]
                same_key = self.config.dedup.exact and exact[pos] == exact[survivor]
                reason = "exact_duplicate" if same_key else "near_duplicate"
                doc.remove(reason, ids[survivor], 1.0 if same_key else round(s, 4))
                self.stats.removed[reason] += 1
            yield doc

    def cleanup(self) -> None:
        shutil.rmtree(self.spill.dir, ignore_errors=True)
