"""The step interface: ``run_list(docs)`` processes a list of documents in place; the
base class owns the loop, stats and timing, a step implements ``process(doc)`` (or
``process_batch(docs)`` for a ``BatchStep``).

Steps never drop a document from the list: removing one means setting its
``reason``, so the writer can route it to ``removed/`` and nothing is lost.
Later steps pass removed documents over untouched.
"""
from __future__ import annotations

from time import perf_counter

from ..document import Document
from ..stats import Stats


class Step:
    name = "step"

    def __init__(self, stats: Stats) -> None:
        self.stats = stats

    def process(self, doc: Document) -> None:
        raise NotImplementedError

    def run_list(self, docs: list[Document]) -> None:
        """``process`` each document not removed yet, in order, and count the removals.

        One loop for the list (no generator and no two clock reads per document): the
        step's seconds are read once for the list."""
        process, removed = self.process, self.stats.removed
        t0 = perf_counter()
        for doc in docs:
            if doc.reason is None:
                process(doc)
                if doc.reason is not None:
                    removed[doc.reason] += 1
        self.stats.seconds[self.name] += perf_counter() - t0

    def run_one(self, doc: Document) -> None:
        """``run_list([doc])`` for a document not removed yet, without the list and the loop
        (the corpus-wide steps see the documents one at a time, ``Deduper.decide``)."""
        t0 = perf_counter()
        self.process(doc)
        self.stats.seconds[self.name] += perf_counter() - t0
        if doc.reason is not None:
            self.stats.removed[doc.reason] += 1


class BatchStep(Step):
    """A step that works on lists of documents at once (vectorized code)."""

    batch_size = 256

    def run_list(self, docs: list[Document]) -> None:
        """``process_batch`` on the documents not removed yet, ``batch_size`` documents of the list at a time."""
        for start in range(0, len(docs), self.batch_size):
            self._flush(docs[start:start + self.batch_size])

    def run_one(self, doc: Document) -> None:
        self.run_list([doc])

    def _flush(self, batch: list[Document]) -> None:
        live = [d for d in batch if d.reason is None]
        if live:
            t0 = perf_counter()
            self.process_batch(live)
            self.stats.seconds[self.name] += perf_counter() - t0

    def process_batch(self, docs: list[Document]) -> None:
        raise NotImplementedError


def run_all(steps: list[Step], docs: list[Document]) -> None:
    """Run a list of documents through the steps in order, each step over the whole list.

    Every step looks at one document (or one batch) at a time, so this gives what
    passing each document through all steps before the next would."""
    for step in steps:
        step.run_list(docs)
