"""Clustered near-dedup: two passes through a work directory instead of one streaming decision.

Used when a survivor other than the first is wanted (``--keep``), when clusters
are to be listed (``--clusters``) or when the disk index is chosen.

Pass 1 (in input order, signatures computed by the workers): every document is
spilled to ``OUTDIR/.work/docs.pkl``; the signatures, ids (and, for ``--verify
exact``, the shingle sets) of the documents still in the running go to flat
files, read back with plain reads (``RowFile``) rather than memory maps, so the
resident set does not grow with the corpus; per document only a few 8-byte
fields stay in memory.
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
from array import array
from time import perf_counter
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import orjson

from ..config import Config
from ..document import Document
from ..io.rowfile import RowFile
from ..sketch.bands import DiskBands, memory_pairs
from ..sketch.cluster import Clusterer, survivor_key
from ..sketch.lsh import verify_exact
from ..sketch.verify import Verifier
from ..stats import Stats
from .shard import document_state
from .workdir import WORK

#: Buffer of each spill file, written and read back sequentially.
SPILL_BUFFER = 1 << 20


class Spill:
    """Append-only files of pass 1: pickled documents, signatures, shingle sets, ids.

    What pass 2 and the clustering need of each signed document is kept in typed
    arrays of 8 bytes per field (input position, text length, match-key hash,
    offsets into the shingle and id files), not Python objects; signatures,
    shingle sets and ids are read back from their files as needed (``RowFile``).
    """

    def __init__(self, workdir: Path, num_perm: int) -> None:
        self.dir = workdir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.num_perm = num_perm
        # 1 MiB buffers: a document's pickle (its kept record included) is a few KB, and the default
        # 8 KiB buffer made about one write system call per document
        self.docs = open(self.dir / "docs.pkl", "wb", SPILL_BUFFER)
        self.sigs = open(self.dir / "signatures.u32", "wb", SPILL_BUFFER)
        self.shingles = open(self.dir / "shingles.u32", "wb", SPILL_BUFFER)
        self.id_file = open(self.dir / "ids.utf8", "wb", SPILL_BUFFER)
        self.offsets = array("q", [0])  # shingle-file offset of each signed document (+ the end)
        self.id_offsets = array("q", [0])
        self.seqs = array("q")  # input position (doc.seq) of each signed document, increasing
        self.lengths = array("q")
        self.exact = array("Q")
        self._readers: list[RowFile] = []
        self._shingles: RowFile | None = None

    def __len__(self) -> int:
        return len(self.seqs)

    def add(self, doc: Document) -> None:
        if not doc.removed and doc.signature is not None:
            self.seqs.append(doc.seq)
            self.lengths.append(doc.length())
            self.exact.append(doc.exact_hash)
            raw_id = doc.id.encode("utf-8", "surrogatepass")
            self.id_file.write(raw_id)
            self.id_offsets.append(self.id_offsets[-1] + len(raw_id))
            self.sigs.write(doc.signature.tobytes())
            if doc.shingles is not None:
                self.shingles.write(doc.shingles.tobytes())
                self.offsets.append(self.offsets[-1] + len(doc.shingles))
        doc.signature = doc.shingles = None
        # its fields as a tuple: 3-4x cheaper to pickle and load than the slotted dataclass
        pickle.dump(document_state(doc), self.docs, protocol=pickle.HIGHEST_PROTOCOL)

    def close(self) -> None:
        for fh in (self.docs, self.sigs, self.shingles, self.id_file):
            fh.close()

    def _reader(self, name: str, dtype, width: int = 1) -> RowFile:
        reader = RowFile(self.dir / name, dtype, width)
        self._readers.append(reader)
        return reader

    def signatures(self) -> RowFile:
        """Row ``i``: the signature of signed document ``i`` (read from the file)."""
        return self._reader("signatures.u32", np.uint32, self.num_perm)

    def _shingle_file(self) -> RowFile | None:
        """The shingle file, opened once; None when not every signed document wrote its set (or none did)."""
        if len(self.offsets) != len(self.seqs) + 1 or self.offsets[-1] == 0:
            return None
        if self._shingles is None:
            self._shingles = self._reader("shingles.u32", np.uint32)
        return self._shingles

    def shingle_sets(self) -> Callable[[int], np.ndarray] | None:
        flat = self._shingle_file()
        if flat is None:
            return None
        offsets = np.frombuffer(self.offsets, dtype=np.int64)
        return lambda i: flat.read(int(offsets[i]), int(offsets[i + 1]))

    def verify_exact(self, pairs: np.ndarray, containment: bool) -> np.ndarray | None:
        """The exact score of every candidate pair (``i << 32 | j`` codes, sorted) from the shingle file in one
        C call (``dedupe._lsh.verify_exact``, the twin of ``verify_pairs`` with ``shingle_sets``' reads);
        None without the C code or without shingle sets."""
        flat = self._shingle_file() if verify_exact is not None else None
        if flat is None:
            return None
        codes = np.ascontiguousarray(pairs, dtype=np.uint64)
        return np.frombuffer(verify_exact(flat.fd, self.offsets, codes, containment), dtype=np.float64)

    def id_of(self) -> Callable[[int], str]:
        """``id_of(i)``: the id of signed document ``i``."""
        raw = self._reader("ids.utf8", np.uint8)
        offsets = np.frombuffer(self.id_offsets, dtype=np.int64)
        return lambda i: raw.read(int(offsets[i]), int(offsets[i + 1])).tobytes().decode("utf-8", "surrogatepass")

    def replay(self) -> Iterator[Document]:
        # (the default buffer: the unpickler peeks up to 128 KiB ahead for each document, copying what a
        # larger buffer holds; with 1 MiB the replay cost 0.5 CPU-s more on 160 MB)
        with open(self.dir / "docs.pkl", "rb") as fh:
            while True:
                try:
                    state = pickle.load(fh)
                except EOFError:
                    return
                yield Document(*state)

    def release(self) -> None:
        for reader in self._readers:
            reader.close()
        self._readers.clear()
        self._shingles = None


#: Candidate pairs decoded to Python ints at a time while verifying.
VERIFY_BLOCK = 1 << 16


def verify_pairs(pairs: np.ndarray, score: Callable[[int, int], float]) -> np.ndarray:
    """Score of every candidate pair (``i << 32 | j`` codes) as a float64 array aligned with ``pairs``."""
    scores = np.empty(len(pairs), dtype=np.float64)
    for start in range(0, len(pairs), VERIFY_BLOCK):
        codes = pairs[start : start + VERIFY_BLOCK].tolist()
        scores[start : start + len(codes)] = [score(c >> 32, c & 0xFFFFFFFF) for c in codes]
    return scores


def scored_lookup(pairs: np.ndarray, scores: np.ndarray, score: Callable[[int, int], float]) -> Callable[[int, int], float]:
    """``score`` that answers from the already scored (sorted) candidate pairs when it can."""
    n = len(pairs)

    def lookup(a: int, b: int) -> float:
        code = (a << 32) | b
        k = int(np.searchsorted(pairs, np.uint64(code)))
        if k < n and int(pairs[k]) == code:
            return float(scores[k])
        return score(a, b)

    return lookup


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
            pairs = memory_pairs(sigs[:], d.lsh_threshold, d.num_perm, d.seed)
        shingles = self.spill.shingle_sets()
        verifier = Verifier(d.verify, d.score)
        last: list = [-1, None]  # the shingle set of the last first member: pairs come sorted by it

        def score(a: int, b: int) -> float:
            if shingles and verifier.mode == "exact":
                if last[0] != a:
                    last[0], last[1] = a, shingles(a)
                return verifier.score(None, None, last[1], shingles(b))
            return verifier.score(sigs[a], sigs[b], None, None)

        scores = self.spill.verify_exact(pairs, d.score == "containment") if shingles and verifier.mode == "exact" \
            else None
        if scores is None:
            scores = verify_pairs(pairs, score)
        key = survivor_key(d.keep, np.frombuffer(self.spill.lengths, dtype=np.int64))
        # only the links that verify go to the clusterer (the others would only fill its score cache,
        # a Python dict entry per candidate); a pair it asks about again is looked up here
        clusters = Clusterer(len(sigs), scored_lookup(pairs, scores, score), d.threshold, key).clusters(
            pairs[scores >= d.threshold])
        for survivor, members in clusters:
            for m, s in members:
                self.removed[m] = (survivor, s)
        if d.clusters:
            self._write_clusters(clusters)

    def _write_clusters(self, clusters: list) -> None:
        id_of = self.spill.id_of()
        with open(self.out / "clusters.jsonl", "wb") as fh:
            for survivor, members in clusters:
                rec = {"survivor": id_of(survivor), "size": len(members) + 1,
                       "members": [{"id": id_of(m), "similarity": round(s, 4)} for m, s in members]}
                fh.write(orjson.dumps(rec) + b"\n")

    def survivors(self) -> frozenset[int]:
        """Input positions (``seq``) of documents that some removed document names as ``duplicate_of``.

        By position, not id: ids need not be unique, and a document sharing a survivor's id
        must not be protected with it."""
        named = {s for s, _ in self.removed.values()}
        return frozenset(self.spill.seqs[pos] for pos in named)

    def replay(self) -> Iterator[Document]:
        """Pass 2: every spilled document in input order, near-duplicates marked.

        Documents come back in the order they were added, so the next signed position is
        found by walking ``seqs`` alongside."""
        seqs, exact, id_of = self.spill.seqs, self.spill.exact, self.spill.id_of()
        nxt = 0
        for doc in self.spill.replay():
            pos = None
            if nxt < len(seqs) and seqs[nxt] == doc.seq:
                pos, nxt = nxt, nxt + 1
            if pos is not None and pos in self.removed:
                survivor, s = self.removed[pos]
                same_key = self.config.dedup.exact and exact[pos] == exact[survivor]
                reason = "exact_duplicate" if same_key else "near_duplicate"
                doc.remove(reason, id_of(survivor), 1.0 if same_key else round(s, 4))
                self.stats.removed[reason] += 1
            yield doc

    def cleanup(self) -> None:
        self.spill.release()
        shutil.rmtree(self.spill.dir, ignore_errors=True)
