"""Cross-document paragraph dedup: a paragraph already kept in an earlier document (or a near copy of one)
is removed from later ones.

The Dolma / CCNet approach, on the match key, extended to near-duplicates:

* Workers (``ParagraphSigner``, called by ``SignStep``): each non-empty line of
  the stripped text is a paragraph; its match-key tokens give an xxh3 hash and a
  token count. A paragraph of at least ``paragraph_min_tokens`` tokens, when
  ``paragraph_threshold`` < 1, also gets its unique word ``paragraph_ngram``
  shingles (on the ``--clitics`` tokens when that is on) and a MinHash signature
  (``num_perm``, ``seed`` of the document level), which is reduced right there
  to its LSH band keys (``bands.band_hashes``, banding from ``optimal_param``
  at ``paragraph_lsh_threshold``). The signature itself never leaves the worker.
* Main process (``ParagraphDedup``), on documents that survived document-level
  dedup, in input order: a long-enough paragraph is removed when its hash equals
  a kept paragraph's (exact pre-check), else when an LSH candidate among kept
  paragraphs has an exact shingle Jaccard >= ``paragraph_threshold`` (the best
  candidate, earliest on ties, is named). Only paragraphs that stay are indexed,
  so a removal always points at text that is in the output: no chains.

Lines shorter than ``paragraph_min_tokens`` are never removed, so short common
sentences ("والله أعلم", a dateline) survive. A document left with fewer than
``paragraph_min_doc_tokens`` tokens is removed with reason
``too_short_after_paragraph_dedup`` rather than kept nearly empty (unless it
must stay: a cluster survivor others name; then it is kept whole).
The first document never loses a paragraph to a later one, and the result does
not depend on workers, batches or shards (decisions are made in input order).

Memory, per kept paragraph of >= ``paragraph_min_tokens`` tokens: one dict entry
for its hash and one list slot for its document (~100 bytes); in near mode also
its unique shingle hashes (uint32, 4 bytes per shingle: ~80 bytes for 20 tokens,
kept instead of the 512-byte signature, and what exact verification needs) and
``b`` band keys in one dict (~70 bytes each; b = 24 at the default 0.6 candidate
threshold and 128 permutations). A bucket is a single id until shared and holds
at most ``MAX_BUCKET`` ids. Measured on SaudiNewsNet (41.7k indexed paragraphs,
1.0M band keys): peak RSS 312 MB against 204 MB exact-only, 1.7 s in the main
process (benchmarks/results/paragraph_neardup.json).
"""
from __future__ import annotations

from dataclasses import dataclass
from time import perf_counter

import numpy as np
import xxhash

from ..config import Config
from ..document import Document
from ..sketch.bands import band_hashes
from ..sketch.lsh import optimal_param
from ..sketch.minhash import MinHasher, sorted_unique
from ..sketch.verify import exact_jaccard
from ..stats import Stats
from ..text.normalize import spaces
from ..text.shingle import TokenHasher, shingle_hashes

REASON = "too_short_after_paragraph_dedup"
#: All paragraphs removed across documents (exact and near).
COUNTER = "paragraphs_removed_across_documents"
#: Of those, the ones removed as near (not exact) duplicates.
NEAR_COUNTER = "paragraphs_near_removed_across_documents"
#: Audit rules of removed paragraphs.
RULE_EXACT, RULE_NEAR = "paragraph_duplicate", "paragraph_near_duplicate"
#: Paragraph ids kept per LSH bucket: a bucket of many similar-but-not-equal paragraphs stops growing
#: (bounds memory and verification time; a later paragraph still meets them through its other bands).
MAX_BUCKET = 64

_EMPTY_U32 = np.empty(0, dtype=np.uint32)


@dataclass(slots=True)
class ParagraphSigns:
    """One document's paragraphs as the workers send them (``Document.paragraphs``).

    ``lines``: (line index, xxh3 of the line's match-key tokens, token count) per non-empty line.
    Near mode only: ``signed`` maps a line index to its row in ``bands`` (uint64, one row of
    ``b`` band keys per long-enough paragraph) and to its unique shingles
    ``shingles[offsets[row]:offsets[row + 1]]``.
    """

    lines: list[tuple[int, int, int]]
    signed: dict[int, int] | None = None
    bands: np.ndarray | None = None
    shingles: np.ndarray | None = None
    offsets: np.ndarray | None = None

    def shingles_of(self, row: int) -> np.ndarray:
        return self.shingles[self.offsets[row] : self.offsets[row + 1]]


class ParagraphSigner:
    """Worker side: ``ParagraphSigns`` for a batch of documents (hashes; band keys and shingles in near mode)."""

    def __init__(self, config: Config) -> None:
        d = config.dedup
        key = config.normalize.key_options()
        self.hasher = TokenHasher(key)
        self.near = d.paragraph_near
        self.near_hasher = TokenHasher(key, clitics=True) if d.clitics and self.near else None
        self.min_tokens = d.paragraph_min_tokens
        self.ngram = d.paragraph_ngram
        if self.near:
            self.minhasher = MinHasher(d.num_perm, d.seed)
            self.b, self.r = optimal_param(d.paragraph_lsh_threshold, d.num_perm)

    def sign(self, docs: list[Document]) -> None:
        pending: list[tuple[Document, dict[int, int], list[np.ndarray]]] = []
        for doc in docs:
            lines, signed, shingles = [], {}, []
            for i, line in enumerate(doc.text.split("\n")):
                tokens = self.hasher.line_bytes(line)
                if not tokens:
                    continue
                n = len(tokens) // 8
                lines.append((i, xxhash.xxh3_64_intdigest(tokens), n))
                if self.near and n >= self.min_tokens:
                    if self.near_hasher is not None:
                        tokens = self.near_hasher.line_bytes(line)
                    sh = sorted_unique(shingle_hashes(np.frombuffer(tokens, dtype=np.uint64), self.ngram))
                    if len(sh):
                        signed[i] = len(shingles)
                        shingles.append(sh)
            doc.paragraphs = ParagraphSigns(lines)
            if self.near:
                pending.append((doc, signed, shingles))
        if not self.near:
            return
        flat = [sh for _, _, shingles in pending for sh in shingles]
        sigs = self.minhasher.signatures(flat)
        bands = np.empty((len(flat), self.b), dtype=np.uint64)
        for k in range(self.b):
            bands[:, k] = band_hashes(sigs, k, self.r)
        start = 0
        for doc, signed, shingles in pending:
            signs = doc.paragraphs
            signs.signed = signed
            signs.bands = bands[start : start + len(shingles)].copy()
            start += len(shingles)
            signs.offsets = np.cumsum([0, *map(len, shingles)], dtype=np.int64)
            signs.shingles = np.concatenate(shingles) if shingles else _EMPTY_U32


class ParagraphDedup:
    """Main-process side: index of the kept paragraphs; ``apply`` edits or removes one document."""

    name = "paragraph_dedup"

    def __init__(self, stats: Stats, config: Config) -> None:
        d = config.dedup
        self.stats = stats
        self.min_tokens = d.paragraph_min_tokens
        self.min_doc_tokens = d.paragraph_min_doc_tokens
        self.threshold = d.paragraph_threshold
        self.near = d.paragraph_near
        self.audit = config.boilerplate.audit
        self.seen: dict[int, int] = {}  # paragraph hash -> paragraph id of its first kept occurrence
        self.owner: list[int] = []  # paragraph id -> document number (into doc_ids)
        self.doc_ids: list[str] = []
        self.buckets: dict[int, int | list[int]] = {}  # band key -> paragraph id, or ids once shared
        self.shingles: dict[int, np.ndarray] = {}  # paragraph id -> unique shingle hashes (near mode)

    def _near_match(self, signs: ParagraphSigns, row: int) -> tuple[int, float] | None:
        """The kept paragraph this one is a near-duplicate of (best score, earliest on ties), if any."""
        keys = signs.bands[row].tolist()
        if self.buckets.keys().isdisjoint(keys):  # the common case, decided in C
            return None
        buckets = [b for b in map(self.buckets.get, keys) if b is not None]
        candidates: set[int] = set()
        for bucket in buckets:
            if isinstance(bucket, int):
                candidates.add(bucket)
            else:
                candidates.update(bucket)
        mine = signs.shingles_of(row)
        best, best_sim = -1, -1.0
        for pid in sorted(candidates):
            sim = exact_jaccard(mine, self.shingles[pid])
            if sim > best_sim:
                best, best_sim = pid, sim
                if sim >= 1.0:
                    break
        return (best, best_sim) if best_sim >= self.threshold else None

    def apply(self, doc: Document, removable: bool = True) -> None:
        """Drop seen paragraphs; a document that would be left too short is removed, or, when it must
        stay (a cluster survivor others point at: ``removable=False``), kept whole. Its time is
        ``step_seconds["paragraph_dedup"]`` (main process)."""
        t0 = perf_counter()
        try:
            self._apply(doc, removable)
        finally:
            self.stats.seconds[self.name] += perf_counter() - t0

    def _apply(self, doc: Document, removable: bool) -> None:
        signs: ParagraphSigns | None = doc.paragraphs
        doc.paragraphs = None
        if signs is None:
            return
        lines = signs.lines
        near = self.near and signs.bands is not None
        drop: dict[int, tuple[int, float, str]] = {}  # line index -> (matched paragraph id, similarity, rule)
        for i, h, n in lines:
            if n < self.min_tokens:
                continue
            pid = self.seen.get(h)
            if pid is not None:
                drop[i] = (pid, 1.0, RULE_EXACT)
            elif near and i in signs.signed:
                match = self._near_match(signs, signs.signed[i])
                if match is not None:
                    drop[i] = (*match, RULE_NEAR)
        if drop and sum(n for i, _, n in lines if i not in drop) < self.min_doc_tokens:
            if removable:
                doc.remove(REASON)
                self.stats.removed[REASON] += 1
                return
            drop = {}
        if drop:
            text_lines = doc.text.split("\n")
            if self.audit:
                for i, (pid, sim, rule) in sorted(drop.items()):
                    doc.audit.append((i + 1, rule, text_lines[i],
                                      {"duplicate_of": self.doc_ids[self.owner[pid]], "similarity": round(sim, 4)}))
            doc.text = spaces("\n".join(line for i, line in enumerate(text_lines) if i not in drop))
            self.stats.add(COUNTER, len(drop))
            n_near = sum(1 for *_, rule in drop.values() if rule == RULE_NEAR)
            if n_near:
                self.stats.add(NEAR_COUNTER, n_near)
        self._register(doc, signs, drop, near)

    def _register(self, doc: Document, signs: ParagraphSigns, drop: dict, near: bool) -> None:
        """Index the long-enough paragraphs the document keeps."""
        number = len(self.doc_ids)
        registered = False
        for i, h, n in signs.lines:
            if n < self.min_tokens or i in drop:
                continue
            pid = len(self.owner)
            self.owner.append(number)
            registered = True
            self.seen.setdefault(h, pid)
            row = signs.signed.get(i) if near else None
            if row is not None:
                self.shingles[pid] = signs.shingles_of(row).copy()
                keys = signs.bands[row].tolist()
                if self.buckets.keys().isdisjoint(keys):  # the common case: all new buckets, inserted in C
                    self.buckets.update(dict.fromkeys(keys, pid))
                else:
                    self._insert(keys, pid)
        if registered:
            self.doc_ids.append(doc.id)

    def _insert(self, keys: list[int], pid: int) -> None:
        """Add ``pid`` to the buckets of ``keys``: a bucket is one id, or a list of ids once shared."""
        buckets = self.buckets
        for key in keys:
            bucket = buckets.get(key)
            if bucket is None:
                buckets[key] = pid
            elif isinstance(bucket, int):
                if bucket != pid:
                    buckets[key] = [bucket, pid]
            elif len(bucket) < MAX_BUCKET and bucket[-1] != pid:
                bucket.append(pid)
