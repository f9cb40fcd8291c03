"""The one piece of code that drives the per-document steps over a batch.

Every executor calls ``run_batch``; it is a pure function of the batch and the
config, so any number of workers computes the same documents.
"""
from __future__ import annotations

from array import array
from dataclasses import fields
from operator import attrgetter

import orjson

from ..config import Config
from ..document import Document, Quarantined
from ..text.native import utf8_len
from ..io.readers import RawLine, block_lines, parse_fast, read_range
from ..stats import Stats
from ..steps.base import run_all
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
    run_all(steps, docs)
    return items, stats


def kept_record(doc: Document, config: Config) -> dict:
    """The input record with the cleaned text; ``id`` added when the input had none."""
    record = dict(doc.record)
    record[config.io.text_field] = doc.text
    record.setdefault("id", doc.id)
    return record


#: Document fields in ``__init__`` order, and the two arrays ``pack_results`` sends per batch instead.
_FIELDS = tuple(f.name for f in fields(Document))
_SIG, _SHINGLES = _FIELDS.index("signature"), _FIELDS.index("shingles")
#: A Document's fields as a tuple (``Document(*document_state(doc))`` is an equal copy): pickled in C,
#: where pickling a slotted dataclass calls its Python ``__getstate__`` (and ``__setstate__`` back).
document_state = attrgetter(*_FIELDS)
_RAW_FIELDS = ("source", "line", "raw", "complete", "file_no")
_raw_state = attrgetter(*_RAW_FIELDS)


def pack_tasks(items: list[Item]) -> tuple[str, list]:
    """A batch as it goes to a worker: ``RawLine`` items as plain tuples (``unpack_tasks``).

    Pickling a slotted dataclass calls its Python ``__getstate__`` / ``__setstate__``
    once per object; tuples of str, int and bytes are pickled in C.
    """
    if all(type(it) is RawLine for it in items):
        return "raw", [_raw_state(it) for it in items]
    return "items", items


def unpack_tasks(packed: tuple) -> list[Item]:
    """The items of a task: ``pack_tasks``'s, or the lines of a block of a JSON-lines file
    (``Reader.read_blocks``), sent as the offset and length to read it at."""
    kind, items = packed
    if kind == "range":
        source, file_no, first_line, path, offset, length = items
        return block_lines(read_range(path, offset, length), source, file_no, first_line, _CONFIG.io.max_record_bytes)
    return [RawLine(*state) for state in items] if kind == "raw" else items


def pack_results(items: list[Item]) -> tuple[list, tuple[bytes, int] | None, bytes | None, list[int]]:
    """A worker's processed batch as it goes back to the main process (``unpack_results``).

    Each Document becomes the tuple of its fields; the signatures travel as one
    bytes object (their uint32 values one after the other) with their common length, and the
    shingle sets as one bytes object too (with their lengths), so the batch
    pickles as a few large buffers instead of two small arrays and one Python-level
    ``__getstate__`` per document. In a document's tuple the signature and shingle
    fields hold its row / its rank among the shingle sets (None: none).
    Quarantined items and unparsed lines pass as themselves.
    """
    out: list = []
    signatures: list = []
    shingles: list = []
    for item in items:
        if type(item) is not Document:
            out.append(item)
            continue
        state = list(document_state(item))
        if item.signature is not None:
            state[_SIG] = len(signatures)
            signatures.append(item.signature)
        if item.shingles is not None:
            state[_SHINGLES] = len(shingles)
            shingles.append(item.shingles)
        out.append(tuple(state))
    lengths = [len(s) for s in shingles]
    flat_shingles = None
    if shingles:
        flat_shingles = b"".join(shingles)
        if len(flat_shingles) != 4 * sum(lengths):
            raise ValueError("pack_results needs uint32 shingle sets")
    packed_signatures = None
    if signatures:
        width = len(signatures[0])
        joined = b"".join(signatures)  # (bytes: pickled as they are)
        if len(joined) != 4 * width * len(signatures):
            raise ValueError("pack_results needs uint32 signatures of one length")
        packed_signatures = (joined, width)
    return (out, packed_signatures, flat_shingles, lengths)


def unpack_results(packed: tuple[list, tuple[bytes, int] | None, bytes | None, list[int]]) -> list[Item]:
    """The items ``pack_results`` packed, equal field by field to the worker's (signatures and shingle
    sets as ``array('I')`` rows, what ``MinHasher.signature_rows`` and ``unique_shingle_rows`` make).

    Every signature and shingle set gets its own copy of its row (a view would keep
    its whole batch's buffer alive as long as one kept document of the batch is).
    """
    out, signatures, shingles, lengths = packed
    starts = [0]
    for n in lengths:
        starts.append(starts[-1] + n)
    width = 0
    if signatures is not None:
        joined, width = signatures
        signatures = array("I", joined)
    if shingles is not None:
        shingles = array("I", shingles)
    items: list[Item] = []
    for state in out:
        if type(state) is not tuple:
            items.append(state)
            continue
        doc = Document(*state)
        k = doc.signature
        if k is not None:
            doc.signature = signatures[k * width:(k + 1) * width]  # (an array's slice is a copy)
        if doc.shingles is not None:
            k = doc.shingles
            doc.shingles = shingles[starts[k]:starts[k + 1]]
        items.append(doc)
    return items


def run_worker_batch(packed_items: tuple) -> tuple[tuple, Stats]:
    """``run_batch`` in a pool worker, on a task (``pack_tasks`` batch or block of JSON lines,
    see ``unpack_tasks``), with what goes back to the main process slimmed and packed (``pack_results``).

    A document still standing gets its kept record serialized here (``payload``,
    the bytes the main process writes if dedup keeps it), and its text and record
    are dropped: pickling them back would cost the main process more than writing
    the bytes. When cross-document paragraph dedup is on, the main process may
    still edit the text, so only the input text inside the record is dropped (the
    kept record puts ``doc.text`` there; ``None`` keeps the field's position, so
    the output key order is unchanged). The records are the worker's own
    unpickled copies, never a caller's dicts (``api.deduplicate`` passes those).
    """
    items, stats = run_batch(unpack_tasks(packed_items))
    config = _CONFIG
    field = config.io.text_field
    serialize = not config.dedup.paragraph_dedup
    for item in items:
        if not isinstance(item, Document):
            continue
        if serialize and not item.removed:
            item.payload = orjson.dumps(kept_record(item, config), option=orjson.OPT_APPEND_NEWLINE)
            item.bytes_out, item.chars = utf8_len(item.text), len(item.text)
            item.text = item.record = None
        elif field in item.record:
            item.record[field] = None
    return pack_results(items), stats
