"""The one piece of code that drives the per-document steps over a batch.

Every executor calls ``run_batch``; it is a pure function of the batch and the
config, so any number of workers computes the same documents.
"""
from __future__ import annotations

import orjson

from ..config import Config
from ..document import Document, Quarantined
from ..text.native import utf8_len
from ..io.readers import RawLine, parse_fast
from ..stats import Stats
from ..steps.base import chain
from ..steps.local import local_steps

Item = Document | Quarantined

_CONFIG: Config | None = None
#: Steps built once per process and config: their caches (token hashes) stay warm.
_STEPS: dict[Config, list] = {}


def init_worker(config: Config) -> None:
    """Pool initializer: remember the config in the worker process."""
    global _CONFIG
    _CONFIG = config


def run_batch(items: list[Item], config: Config | None = None) -> tuple[list[Item], Stats]:
    """Apply the per-document steps to the documents of a batch; quarantined items pass through.

    ``RawLine`` items are parsed first (``parse_fast``); a line the fast path cannot
    take passes through unparsed, for the main process (``Reader.parse_raw``).
    """
    config = config or _CONFIG
    stats = Stats()
    steps = _STEPS.get(config)
    if steps is None:
        _STEPS.clear()
        steps = _STEPS[config] = local_steps(stats, config)
    for step in steps:
        step.stats = stats
    if any(type(it) is RawLine for it in items):  # JSON lines are parsed here, in the worker
        field, id_field = config.io.text_field, config.io.id_field
        items = [parse_fast(it, field, id_field) if type(it) is RawLine else it for it in items]
    docs = [it for it in items if isinstance(it, Document)]
    list(chain(steps, docs))
    return items, stats


def kept_record(doc: Document, config: Config) -> dict:
    """The input record with the cleaned text; ``id`` added when the input had none."""
    record = dict(doc.record)
    record[config.io.text_field] = doc.text
    record.setdefault("id", doc.id)
    return record


def run_worker_batch(items: list[Item]) -> tuple[list[Item], Stats]:
    """``run_batch`` in a pool worker, with what goes back to the main process slimmed.

    A document still standing gets its kept record serialized here (``payload``,
    the bytes the main process writes if dedup keeps it), and its text and record
    are dropped: pickling them back would cost the main process more than writing
    the bytes. When cross-document paragraph dedup is on, the main process may
    still edit the text, so only the input text inside the record is dropped (the
    kept record puts ``doc.text`` there; ``None`` keeps the field's position, so
    the output key order is unchanged). The records are the worker's own
    unpickled copies, never a caller's dicts (``api.deduplicate`` passes those).
    """
    items, stats = run_batch(items)
    config = _CONFIG
    field = config.io.text_field
    serialize = not config.dedup.paragraph_dedup
    for item in items:
        if not isinstance(item, Document):
            continue
        if serialize and not item.removed:
            item.payload = orjson.dumps(kept_record(item, config))
            item.bytes_out, item.chars = utf8_len(item.text), len(item.text)
            item.text = item.record = None
        elif field in item.record:
            item.record[field] = None
    return items, stats
