"""The one piece of code that drives the per-document steps over a batch.

Every executor calls ``run_batch``; it is a pure function of the batch and the
config, so any number of workers computes the same documents.
"""
from __future__ import annotations

from ..config import Config
from ..document import Document, Quarantined
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
    """Apply the per-document steps to the documents of a batch; quarantined items pass through."""
    config = config or _CONFIG
    stats = Stats()
    steps = _STEPS.get(config)
    if steps is None:
        _STEPS.clear()
        steps = _STEPS[config] = local_steps(stats, config)
    for step in steps:
        step.stats = stats
    docs = [it for it in items if isinstance(it, Document)]
    list(chain(steps, docs))
    return items, stats


def run_worker_batch(items: list[Item]) -> tuple[list[Item], Stats]:
    """``run_batch`` in a pool worker, minus the input text inside each record.

    The kept record gets ``doc.text`` in that field (``kept_record``) and nothing
    else reads it, so sending it back would pickle the corpus a second time (~40%
    of the result bytes). Assigning ``None`` keeps the field where it was, so the
    output key order is unchanged. Only here: the records are the worker's own
    unpickled copies, never a caller's dicts (``api.deduplicate`` passes those).
    """
    items, stats = run_batch(items)
    field = _CONFIG.io.text_field
    for item in items:
        if isinstance(item, Document) and field in item.record:
            item.record[field] = None
    return items, stats
