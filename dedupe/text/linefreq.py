"""Corpus statistics for site chrome: lines that many documents of one source share.

The CCNet approach (Wenzek et al. 2019): a footer, a byline or a translator credit
is printed on many pages of the same site, an article sentence almost never is.
A first pass counts, per source (an outlet or a domain), in how many *distinct*
documents each line's match-key hash occurs; the second pass strips the lines
counted in at least ``min_docs`` documents.

Memory is bounded: the counter holds at most ``max_entries`` hashes (about 100
bytes each in CPython). When it is full it is pruned by *lossy counting*: every
entry at the current prune level is dropped and the level rises by one. Counts are
therefore never over-estimated, only under-estimated for lines first seen after a
prune that were pruned before; the approximation errs towards keeping a line,
which is the side content precision wants. ``CommonLines`` keeps only the hashes
that passed the threshold, small enough to ship to every worker.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import urlparse

import xxhash

from .normalize import DEFAULT_KEY, KeyOptions

#: Documents of one source that must share a line before it counts as chrome there.
MIN_DOCS = 10
#: Only lines of at most this many key words are counted: long lines are never chrome here.
MAX_WORDS = 30
#: Single-word lines are left to the lexicon (``'العناوين:'`` is a heading in one article, chrome in another).
MIN_WORDS = 2
MAX_ENTRIES = 2_000_000
#: Whole-document hashes remembered to skip exact copies (a reprinted article is not chrome).
MAX_DOCS_SEEN = 1_000_000

_SOURCE_FIELDS = ("outlet", "site", "domain", "source_name", "publisher")


def source_of(record: Mapping[str, Any], path: str | None = None) -> str:
    """The source a document's lines are counted under: a metadata field, else the url's
    domain, else the input directory.

    >>> source_of({"meta": {"outlet": "okaz"}})
    'okaz'
    >>> source_of({"url": "https://www.almayadeen.net/news/x"})
    'www.almayadeen.net'
    >>> source_of({}, "data/okaz/part-1.jsonl")
    'data/okaz'
    """
    meta = record.get("meta")
    for where in (meta if isinstance(meta, Mapping) else {}, record):
        for name in _SOURCE_FIELDS:
            value = where.get(name)
            if isinstance(value, str) and value.strip():
                return value.strip()
        url = where.get("url")
        if isinstance(url, str) and "//" in url:
            host = urlparse(url).netloc
            if host:
                return host.lower()
    return str(Path(path).parent) if path else ""


def line_hash(source: str, key: str) -> int:
    """64-bit hash of a line's match key within a source."""
    return xxhash.xxh3_64_intdigest(f"{source}\x00{key}".encode())


@dataclass
class LineFrequency:
    """First-pass counter: ``add`` every document, then ``common()`` for the second pass."""

    min_docs: int = MIN_DOCS
    max_words: int = MAX_WORDS
    max_entries: int = MAX_ENTRIES
    key: KeyOptions = DEFAULT_KEY
    counts: dict[int, int] = field(default_factory=dict, repr=False)
    prune_level: int = 0
    documents: int = 0
    _docs_seen: set[int] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        if self.min_docs < 2:
            raise ValueError(f"min_docs must be >= 2, got {self.min_docs}; a line in one document is not shared")
        if self.max_entries < 1000:
            raise ValueError(f"max_entries must be >= 1000, got {self.max_entries}; 2,000,000 takes about 200 MB")

    def keys(self, lines: Iterable[str]) -> set[str]:
        """Distinct countable match keys of a document's lines."""
        out = set()
        for line in lines:
            k = self.key.key_of_clean(line)
            n = k.count(" ") + 1 if k else 0
            if MIN_WORDS <= n <= self.max_words:
                out.add(k)
        return out

    def add(self, source: str, lines: Iterable[str]) -> None:
        """Count one document (its cleaned lines) under ``source``."""
        keys = self.keys(lines)
        if not keys:
            return
        doc = xxhash.xxh3_64_intdigest("\n".join(sorted(keys)).encode())
        if doc in self._docs_seen:
            return
        if len(self._docs_seen) >= MAX_DOCS_SEEN:
            self._docs_seen.clear()
        self._docs_seen.add(doc)
        self.documents += 1
        counts = self.counts
        for k in keys:
            h = line_hash(source, k)
            counts[h] = counts.get(h, 0) + 1
        if len(counts) > self.max_entries:
            self._prune()

    def _prune(self) -> None:
        while len(self.counts) > self.max_entries // 2:
            self.prune_level += 1
            self.counts = {h: n for h, n in self.counts.items() if n > self.prune_level}

    def merge(self, other: LineFrequency) -> None:
        """Add the counts of another counter (a first pass run per shard)."""
        for h, n in other.counts.items():
            self.counts[h] = self.counts.get(h, 0) + n
        self.documents += other.documents
        if len(self.counts) > self.max_entries:
            self._prune()

    def common(self) -> CommonLines:
        """The lines that reached ``min_docs`` documents of their source."""
        hashes = frozenset(h for h, n in self.counts.items() if n >= self.min_docs)
        return CommonLines(hashes, self.max_words, self.key)


@dataclass(frozen=True)
class CommonLines:
    """Second-pass lookup: is this line chrome by corpus statistics?"""

    hashes: frozenset[int]
    max_words: int = MAX_WORDS
    key: KeyOptions = DEFAULT_KEY

    def is_common(self, source: str, line: str) -> bool:
        """True when ``line`` occurred in at least ``min_docs`` distinct documents of ``source``."""
        if not self.hashes:
            return False
        k = self.key.key_of_clean(line)
        n = k.count(" ") + 1 if k else 0
        return MIN_WORDS <= n <= self.max_words and line_hash(source, k) in self.hashes

    def __len__(self) -> int:
        return len(self.hashes)

    def save(self, path: str | Path) -> None:
        """Write the hashes as a ``.npy`` array (8 bytes a line)."""
        import numpy as np

        np.save(Path(path), np.array(sorted(self.hashes), dtype=np.uint64))

    @classmethod
    def load(cls, path: str | Path, max_words: int = MAX_WORDS, key: KeyOptions = DEFAULT_KEY) -> CommonLines:
        import numpy as np

        return cls(frozenset(int(h) for h in np.load(Path(path))), max_words, key)
