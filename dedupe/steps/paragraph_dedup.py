"""Cross-document paragraph dedup: a paragraph already kept in an earlier document is removed from later ones.

The Dolma / CCNet approach, on the match key: each line (paragraph) of a kept
document is hashed (xxh3 of its match-key tokens, computed in the workers by
``SignStep``); the first document in input order keeps it. Lines shorter than
``paragraph_min_tokens`` are never removed, so short common sentences ("والله
أعلم", a dateline) survive. A document left with fewer than
``paragraph_min_doc_tokens`` tokens is removed with reason
``too_short_after_paragraph_dedup`` rather than kept nearly empty.
It runs after document-level dedup, on survivors only, in input order: the
result does not depend on workers.
"""
from __future__ import annotations

from ..config import Config
from ..document import Document
from ..stats import Stats
from ..text.normalize import spaces

REASON = "too_short_after_paragraph_dedup"
COUNTER = "paragraphs_removed_across_documents"


class ParagraphDedup:
    """Seen-paragraph set over kept documents; ``apply`` edits or removes one document."""

    name = "paragraph_dedup"

    def __init__(self, stats: Stats, config: Config) -> None:
        self.stats = stats
        self.min_tokens = config.dedup.paragraph_min_tokens
        self.min_doc_tokens = config.dedup.paragraph_min_doc_tokens
        self.seen: set[int] = set()

    def apply(self, doc: Document, removable: bool = True) -> None:
        """Drop seen paragraphs; a document that would be left too short is removed, or, when it must
        stay (a cluster survivor others point at: ``removable=False``), kept whole."""
        paragraphs = doc.paragraphs or []
        drop = {i for i, h, n in paragraphs if n >= self.min_tokens and h in self.seen}
        if drop and sum(n for i, _, n in paragraphs if i not in drop) < self.min_doc_tokens:
            if removable:
                doc.remove(REASON)
                self.stats.removed[REASON] += 1
                return
            drop = set()
        if drop:
            doc.text = spaces("\n".join(line for i, line in enumerate(doc.text.split("\n")) if i not in drop))
            self.stats.add(COUNTER, len(drop))
        self.seen.update(h for _, h, n in paragraphs if n >= self.min_tokens)
        doc.paragraphs = None
