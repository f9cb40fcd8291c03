"""Corpus-wide steps: exact and near-duplicate removal, first seen survives.

They run in one process, in input order, so the decision for a document depends
only on the documents before it: the result is the same whatever the number of
workers that computed the signatures.
"""
from __future__ import annotations

from typing import Callable, Sequence

from ..config import Config
from ..document import Document
from ..sketch.lsh import DatasketchIndex, MemoryIndex
from ..sketch.verify import Verifier
from ..stats import Stats
from .base import Step


class ExactDedup(Step):
    """Remove documents whose match key equals a kept document's (xxh3-64 of the key tokens)."""

    name = "exact"

    def __init__(self, stats: Stats, config: Config) -> None:
        super().__init__(stats)
        self.seen: dict[int, str] = {}

    def process(self, doc: Document) -> None:
        first = self.seen.get(doc.exact_hash)
        if first is not None:
            doc.remove("exact_duplicate", first, 1.0)

    def register(self, doc: Document) -> None:
        self.seen.setdefault(doc.exact_hash, doc.id)


class NearDedup(Step):
    """Remove documents whose similarity with a kept document reaches the threshold.

    Candidates come from the LSH index of *kept* documents only (banding tuned
    for ``candidate_threshold``), and each is verified against its own signature
    or shingle set, so a removed document always names a survivor it is similar
    to: no chains through removed documents.
    """

    name = "near"

    def __init__(self, stats: Stats, config: Config) -> None:
        super().__init__(stats)
        d = config.dedup
        self.threshold = d.threshold
        index = DatasketchIndex if d.backend == "datasketch" else MemoryIndex
        self.index = index(d.lsh_threshold, d.num_perm, d.seed)
        self.verifier = Verifier(d.verify, d.score)
        self.signatures: dict[int, Sequence[int]] = {}  # array('I') rows (MinHasher.signature_rows)
        self.shingles: dict[int, Sequence[int]] = {}  # array("I") sets (unique_shingle_rows)
        self.ids: dict[int, str] = {}

    def process(self, doc: Document) -> None:
        best, best_sim = None, -1.0
        for key in self.index.query(doc.signature):
            sim = self.verifier.score(doc.signature, self.signatures[key], doc.shingles, self.shingles.get(key))
            if sim > best_sim:
                best, best_sim = key, sim
        if best is not None and best_sim >= self.threshold:
            doc.remove("near_duplicate", self.ids[best], round(best_sim, 4))

    def register(self, doc: Document) -> None:
        self.index.insert(doc.seq, doc.signature)
        self.signatures[doc.seq] = doc.signature
        if doc.shingles is not None:
            self.shingles[doc.seq] = doc.shingles
        self.ids[doc.seq] = doc.id


def global_steps(stats: Stats, config: Config) -> list[Step]:
    steps: list[Step] = []
    if config.dedup.exact:
        steps.append(ExactDedup(stats, config))
    if config.dedup.near:
        steps.append(NearDedup(stats, config))
    return steps


class Deduper:
    """Runs the corpus-wide steps on documents in order and registers survivors.

    ``finalize`` (cross-document paragraph dedup) runs on a survivor before it is
    registered, so a document it removes is never named as ``duplicate_of``.
    """

    def __init__(self, stats: Stats, config: Config, finalize: Callable[[Document], None] | None = None) -> None:
        self.steps = global_steps(stats, config)
        self.finalize = finalize

    def decide(self, doc: Document) -> Document:
        """Run the corpus-wide steps on a document; register it if it stays."""
        for step in self.steps:  # a step passes over a document an earlier one removed
            if doc.reason is None:
                step.run_one(doc)
        if doc.reason is None and self.finalize:
            self.finalize(doc)
        if doc.reason is None:
            for step in self.steps:
                step.register(doc)
        return doc
