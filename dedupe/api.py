"""The Python API: the same pipeline as the CLI, for data loaders and notebooks."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator

from .config import Config
from .document import Document
from .executors.local import LocalExecutor, kept_record, paragraph_dedup
from .executors.shard import run_batch
from .stats import Stats
from .steps.dedup import Deduper


def run(inputs: str | Path | list[str | Path], output: str | Path, config: Config | None = None) -> dict:
    """Run a whole job, exactly as ``arabic-dedupe run``; returns the stats.json content.

    Worker processes default to ``"auto"`` (see ``RunConfig``); ``run={"workers": 1}``
    keeps the whole job in this process. The output does not depend on it.

    >>> stats = run("corpus_samples", "out", Config().replace(run={"workers": 2}))  # doctest: +SKIP
    """
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    return LocalExecutor(config or Config()).run(list(inputs), output)


def deduplicate(records: Iterable[dict[str, Any]], config: Config | None = None, *, removed: list | None = None) -> Iterator[dict[str, Any]]:
    """Stream records (dicts with a text field) and yield the kept ones, cleaned.

    Decisions are the CLI's in its default streaming mode: same cleaning,
    stripping, first-seen-survives dedup and (when enabled) paragraph dedup. Pass a list as ``removed`` to collect ``{"id", "reason",
    "duplicate_of", "similarity"}`` for every record that was dropped.
    Records whose text field is missing or not a string raise ``ValueError``.
    """
    config = config or Config()
    stats = Stats()
    paragraphs = paragraph_dedup(stats, config)
    paragraphs = paragraphs.apply if paragraphs else None
    deduper = Deduper(stats, config, finalize=paragraphs)
    text_field, id_field = config.io.text_field, config.io.id_field
    batch: list[Document] = []

    def flush() -> Iterator[dict[str, Any]]:
        docs, _ = run_batch(batch, config)
        for doc in docs:
            if not doc.removed:
                deduper.decide(doc)
            if not doc.removed:
                yield kept_record(doc, config)
            elif removed is not None:
                removed.append({"id": doc.id, "reason": doc.reason, "duplicate_of": doc.duplicate_of, "similarity": doc.similarity})

    for n, record in enumerate(records):
        text = record.get(text_field)
        if not isinstance(text, str):
            raise ValueError(f"record {n}: text field {text_field!r} is missing or not a string")
        doc_id = record.get(id_field)
        batch.append(Document(str(n) if doc_id is None else str(doc_id), text, "<records>", n, n, record))
        if len(batch) >= config.run.batch_docs:
            yield from flush()
            batch = []
    if batch:
        yield from flush()
