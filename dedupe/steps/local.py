"""Per-document steps: clean, strip chrome, drop in-document repeats, sign.

They depend only on the document itself, so they run in worker processes in
any order and give the same result.
"""
from __future__ import annotations

import numpy as np
import xxhash

from ..config import Config
from ..document import Document
from ..sketch.minhash import MinHasher
from ..stats import Stats
from ..text.boilerplate import strip_lines
from ..text.normalize import clean, spaces
from ..text.paragraphs import repeated_paragraphs
from ..text.shingle import TokenHasher, shingle_hashes
from .base import BatchStep, Step


class CleanStep(Step):
    """Corpus-safe normalization of the text (``dedupe.text.normalize.clean``)."""

    name = "clean"

    def __init__(self, stats: Stats, config: Config) -> None:
        super().__init__(stats)
        self.options = config.normalize.clean_options()

    def process(self, doc: Document) -> None:
        doc.text = clean(doc.text, self.options)


class StripStep(Step):
    """Remove site-chrome lines and repeated paragraphs; compute the match-key tokens."""

    name = "strip"

    def __init__(self, stats: Stats, config: Config) -> None:
        super().__init__(stats)
        self.cfg = config.boilerplate
        self.hasher = TokenHasher(config.normalize.key_options())

    def process(self, doc: Document) -> None:
        lines = doc.text.split("\n")
        drop: dict[int, str] = {}
        if self.cfg.strip:
            title = doc.record.get(self.cfg.title_field) if self.cfg.title_field else None
            verdicts = strip_lines(lines, title if isinstance(title, str) else None)
            drop = {i: rule for i, rule in enumerate(verdicts) if rule}
        line_tokens = [() if i in drop else self.hasher.line(line) for i, line in enumerate(lines)]
        n_chrome = len(drop)
        if self.cfg.repeats:
            for i, (reason, _) in repeated_paragraphs(line_tokens).items():
                drop[i] = reason
        if drop:
            doc.lines_stripped += n_chrome
            doc.paragraphs_removed += len(drop) - n_chrome
            self.stats.add("lines_stripped", n_chrome)
            self.stats.add("paragraphs_removed", len(drop) - n_chrome)
            if self.cfg.audit:
                doc.audit.extend((i + 1, drop[i], lines[i]) for i in sorted(drop))
            doc.text = spaces("\n".join(line for i, line in enumerate(lines) if i not in drop))
        kept = [t for i, t in enumerate(line_tokens) if i not in drop]
        doc.tokens = np.fromiter((h for t in kept for h in t), dtype=np.uint64)


class EmptyFilter(Step):
    """Remove documents with fewer match-key tokens than ``min_tokens`` left."""

    name = "empty"

    def __init__(self, stats: Stats, config: Config) -> None:
        super().__init__(stats)
        self.min_tokens = config.dedup.min_tokens

    def process(self, doc: Document) -> None:
        if len(doc.tokens) < self.min_tokens:
            doc.remove("empty_after_cleaning")


class SignStep(BatchStep):
    """Exact-match hash of the token stream and MinHash signature of its n-grams."""

    name = "sign"

    def __init__(self, stats: Stats, config: Config) -> None:
        super().__init__(stats)
        self.ngram = config.dedup.ngram
        self.near = config.dedup.near
        self.minhasher = MinHasher(config.dedup.num_perm, config.dedup.seed)

    def process_batch(self, docs: list[Document]) -> None:
        for doc in docs:
            doc.exact_hash = xxhash.xxh3_64_intdigest(doc.tokens.tobytes())
        if self.near:
            sigs = self.minhasher.signatures([shingle_hashes(d.tokens, self.ngram) for d in docs])
            for doc, sig in zip(docs, sigs):
                doc.signature = sig
        for doc in docs:
            doc.tokens = None  # not needed past this point; keeps IPC small


def local_steps(stats: Stats, config: Config) -> list[Step]:
    """The per-document steps, in pipeline order."""
    return [CleanStep(stats, config), StripStep(stats, config), EmptyFilter(stats, config), SignStep(stats, config)]
