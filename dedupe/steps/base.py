"""The step interface: ``run(docs) -> docs``; the base class owns the loop, stats and timing.

Steps never drop a document from the stream: removing one means setting its
``reason``, so the writer can route it to ``removed/`` and nothing is lost.
Later steps pass removed documents through untouched.
"""
from __future__ import annotations

from time import perf_counter
from typing import Iterable, Iterator

from ..document import Document
from ..stats import Stats


class Step:
    name = "step"

    def __init__(self, stats: Stats) -> None:
        self.stats = stats

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        seconds = self.stats.seconds
        for doc in docs:
            if not doc.removed:
                t0 = perf_counter()
                self.process(doc)
                seconds[self.name] += perf_counter() - t0
                if doc.removed:
                    self.stats.removed[doc.reason] += 1
            yield doc

    def process(self, doc: Document) -> None:
        raise NotImplementedError

    def run_list(self, docs: list[Document]) -> None:
        """``run`` over a whole list in place, without a generator and two clock reads per
        document: the same documents processed in the same order, the same counts; the
        step's seconds are read once for the list."""
        process, removed = self.process, self.stats.removed
        t0 = perf_counter()
        for doc in docs:
            if doc.reason is None:
                process(doc)
                if doc.reason is not None:
                    removed[doc.reason] += 1
        self.stats.seconds[self.name] += perf_counter() - t0


class BatchStep(Step):
    """A step that works on lists of documents at once (vectorized code)."""

    batch_size = 256

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= self.batch_size:
                yield from self._flush(batch)
                batch = []
        if batch:
            yield from self._flush(batch)

    def _flush(self, batch: list[Document]) -> list[Document]:
        live = [d for d in batch if not d.removed]
        if live:
            t0 = perf_counter()
            self.process_batch(live)
            self.stats.seconds[self.name] += perf_counter() - t0
        return batch

    def process_batch(self, docs: list[Document]) -> None:
        raise NotImplementedError

    def run_list(self, docs: list[Document]) -> None:
        """``run`` over a whole list in place: the same batches of ``batch_size``."""
        for start in range(0, len(docs), self.batch_size):
            self._flush(docs[start:start + self.batch_size])


def run_all(steps: list[Step], docs: list[Document]) -> None:
    """Run a list of documents through the steps in order, each step over the whole list
    (``Step.run_list``); the same result as consuming ``chain``, as every step works on one
    document (or one batch) at a time."""
    for step in steps:
        step.run_list(docs)


def chain(steps: list[Step], docs: Iterable[Document]) -> Iterator[Document]:
    """Run documents through steps in order, lazily."""
    for step in steps:
        docs = step.run(docs)
    return iter(docs)
