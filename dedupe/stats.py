"""Counters and timers per step, mergeable across batches and processes."""
from __future__ import annotations

from collections import Counter
from typing import Any


class Stats:
    """Named counters plus seconds spent per step; ``merge`` adds another Stats in."""

    def __init__(self) -> None:
        self.counters: Counter[str] = Counter()
        self.removed: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()

    def add(self, name: str, n: int = 1) -> None:
        self.counters[name] += n

    def merge(self, other: "Stats") -> None:
        self.counters.update(other.counters)
        self.removed.update(other.removed)
        self.seconds.update(other.seconds)

    def to_dict(self) -> dict[str, Any]:
        """The stats.json body (settings and totals are added by the executor)."""
        c = self.counters
        return {
            "documents_in": c["documents_in"],
            "documents_kept": c["documents_kept"],
            "documents_removed": dict(sorted(self.removed.items())),
            "documents_quarantined": c["documents_quarantined"],
            "lines_stripped": c["lines_stripped"],
            "lines_trimmed": c["lines_trimmed"],
            "paragraphs_removed": c["paragraphs_removed"],
            "paragraphs_removed_across_documents": c["paragraphs_removed_across_documents"],
            "bytes_in": c["bytes_in"],
            "bytes_out": c["bytes_out"],
            "step_seconds": {k: round(v, 3) for k, v in sorted(self.seconds.items())},
        }

    def accounted(self) -> bool:
        c = self.counters
        return c["documents_in"] == c["documents_kept"] + sum(self.removed.values()) + c["documents_quarantined"]
