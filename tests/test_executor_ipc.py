"""What crosses the process boundary: packed tasks and results come back equal to what was packed."""
import pickle
from dataclasses import fields

import numpy as np
import orjson

from dedupe import Config
from dedupe.document import Document, Quarantined
from dedupe.executors import shard
from dedupe.io.readers import RawLine


def _assert_same(a, b):
    assert type(a) is type(b)
    for f in fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            assert isinstance(x, np.ndarray) and isinstance(y, np.ndarray), f.name
            assert x.dtype == y.dtype and np.array_equal(x, y), f.name
        else:
            assert x == y, f.name


def _raw(i, text):
    return RawLine("c.jsonl", i + 1, orjson.dumps({"id": f"d{i}", "text": text}), True, 0, i)


def test_worker_batch_round_trip_equals_in_process_batch(seeds):
    """A batch through pack_tasks -> worker -> pack_results -> pickle -> unpack_results equals the
    same batch processed in this process (text and record aside, which the worker drops on purpose)."""
    config = Config()
    texts = [*seeds.values(), "", "   ", *seeds.values(), "قصير جدا"]
    items = [_raw(i, t) for i, t in enumerate(texts)]
    items.insert(3, Quarantined("c.jsonl", 99, "malformed JSON", "{"))
    items.append(RawLine("c.jsonl", 50, b"{not json", True, 0, 50))  # left for the main process

    task = pickle.loads(pickle.dumps(shard.pack_tasks(items)))
    assert task[0] == "items"  # a Quarantined item keeps the batch as objects
    raw_only = [it for it in items if type(it) is RawLine]
    raw_task = pickle.loads(pickle.dumps(shard.pack_tasks(raw_only)))
    assert raw_task[0] == "raw" and all(type(s) is tuple for s in raw_task[1])
    for a, b in zip(shard.unpack_tasks(raw_task), raw_only):
        _assert_same(a, b)

    shard.init_worker(config)
    packed, _ = shard.run_worker_batch(task)
    got = shard.unpack_results(pickle.loads(pickle.dumps(packed)))
    shard.init_worker(config)
    expected, _ = shard.run_worker_batch(("items", items))  # the same worker code, not packed
    expected = shard.unpack_results(expected)
    reference, _ = shard.run_batch(list(items), config)

    assert len(got) == len(items)
    signed = [d for d in got if type(d) is Document and d.signature is not None]
    assert len(signed) >= 8 and any(d.removed for d in got if type(d) is Document)
    for a, b, ref in zip(got, expected, reference):
        _assert_same(a, b)
        if type(ref) is Document:
            assert a.id == ref.id and a.reason == ref.reason and a.exact_hash == ref.exact_hash
            if ref.signature is not None:
                assert np.array_equal(a.signature, ref.signature) and np.array_equal(a.shingles, ref.shingles)
                assert a.signature.base is None and a.shingles.base is None  # own copies, not views of the batch
            if not ref.removed:
                assert orjson.loads(a.payload) == {"id": ref.id, "text": ref.text}
        else:
            assert a == ref
