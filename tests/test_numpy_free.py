"""The pipeline's numpy-free path (C batch calls, ``array('I')`` rows) gives what the numpy code gives.

A run with the accelerator does not import numpy (~70 ms of serial start-up; see test_startup.py): the
signatures, shingle sets and their comparisons go through ``dedupe._native`` / ``dedupe._lsh`` batch
calls on plain buffers. Each is checked here against the numpy definition it replaces.
"""
from __future__ import annotations

import pickle
from array import array

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import needs_native, pure
from dedupe.executors import shard
from dedupe.sketch.minhash import MinHasher, jaccard, sorted_unique, unique_shingle_rows
from dedupe.sketch.verify import containment, exact_jaccard, intersection_count
from dedupe.text import native
from dedupe.text.shingle import shingle_hashes_batch

u32 = st.integers(0, 2**32 - 1)
#: segments of shingle hashes: spread values, and values from a tiny range (repeats, one crowded bucket)
segments = st.lists(st.one_of(st.lists(u32, max_size=300), st.lists(st.integers(0, 40), max_size=300),
                              st.lists(st.integers(2**31, 2**31 + 5), min_size=50, max_size=400)),
                    max_size=12)


def _flat(segs: list[list[int]]) -> tuple[array, list[int]]:
    flat = array("I", [v for s in segs for v in s])
    ends, n = [], 0
    for s in segs:
        n += len(s)
        ends.append(n)
    return flat, ends


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@settings(max_examples=150, deadline=None)
@given(segments, st.integers(1, 200), st.integers(0, 3))
def test_signature_rows_equal_the_numpy_signatures(segs, num_perm, seed):
    """``MinHasher.signature_rows`` (one C call per batch) = ``signatures`` (numpy) row by row, with and
    without the accelerator; an empty segment gets 0xFFFFFFFF everywhere."""
    hasher = MinHasher(num_perm, seed)
    flat, ends = _flat(segs)
    with pure():
        want = hasher.signatures([np.array(s, dtype=np.uint32) for s in segs])
    for context in (_nothing(), pure()):
        with context:
            rows = hasher.signature_rows(array("I", flat), ends)
        assert len(rows) == len(segs)
        for row, expected, s in zip(rows, want, segs):
            assert type(row) is array and row.typecode == "I" and len(row) == num_perm
            assert row.tobytes() == expected.tobytes()
            if not s:
                assert set(row) == {0xFFFFFFFF}


@settings(max_examples=150, deadline=None)
@given(segments)
def test_unique_shingle_rows_equal_numpy_unique(segs):
    """``unique_shingle_rows`` (the C bucket sort) = ``np.unique`` of each segment; the C path leaves flat as it was."""
    flat, ends = _flat(segs)
    before = flat.tobytes()
    for context in (_nothing(), pure()):
        copy = array("I", flat)
        with context:
            rows = unique_shingle_rows(copy, ends)
        for row, s in zip(rows, segs):
            assert type(row) is array and list(row) == np.unique(np.array(s, dtype=np.uint32)).tolist()
        if native.AVAILABLE and isinstance(context, _nothing):
            assert copy.tobytes() == before


@needs_native
def test_c_batch_calls_refuse_bad_ends():
    flat = array("I", range(10))
    for ends in ([5, 3], [11], [-1]):
        with pytest.raises(ValueError):
            native._native.minhash_batch(flat, ends, array("I", [1]), array("I", [0]))
        with pytest.raises(ValueError):
            native._native.sorted_unique_batch(flat, ends)
    with pytest.raises(ValueError):  # a and b of different lengths
        native._native.minhash_batch(flat, [10], array("I", [1, 3]), array("I", [0]))
    assert unique_shingle_rows(flat, []) == [] and MinHasher(8).signature_rows(flat, []) == []


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(u32, u32), min_size=1, max_size=130))
def test_jaccard_of_rows_equals_numpy(pairs):
    a = array("I", [x for x, _ in pairs])
    b = array("I", [x if k % 3 else y for k, (x, y) in enumerate(pairs)])
    want = float(np.count_nonzero(np.array(a) == np.array(b))) / len(a)
    assert jaccard(a, b) == want == jaccard(np.array(a, dtype=np.uint32), np.array(b, dtype=np.uint32))
    with pure():
        assert jaccard(a, b) == want
    assert jaccard(np.array(a, dtype=np.uint64), np.array(b, dtype=np.uint64)) == want  # (not uint32: the loop)
    with pytest.raises(ValueError):
        jaccard(a, a[:-1] if len(a) > 1 else array("I"))


@settings(max_examples=100, deadline=None)
@given(st.lists(u32, max_size=200), st.lists(u32, max_size=200))
def test_exact_scores_of_rows_equal_numpy(xs, ys):
    a, b = (array("I", sorted(set(v))) for v in (xs, ys))
    inter = len(np.intersect1d(np.array(a, dtype=np.uint32), np.array(b, dtype=np.uint32)))
    assert intersection_count(a, b) == inter == intersection_count(np.array(a, dtype=np.int64), np.array(b, dtype=np.int64))
    for fn in (exact_jaccard, containment):
        assert fn(a, b) == fn(np.array(a, dtype=np.uint32), np.array(b, dtype=np.uint32))


def test_packed_results_carry_rows_exactly():
    """Signatures and shingle sets go through pack_results / pickle / unpack_results as the same rows."""
    from dedupe.document import Document

    hasher = MinHasher(16)
    flat, ends = shingle_hashes_batch([memoryview(array("Q", range(k + 1)).tobytes()).cast("Q") for k in range(6)], 3)
    sigs, sets = hasher.signature_rows(flat, ends), unique_shingle_rows(flat, ends)
    docs = [Document(str(k), "", "s", k, k, {}, signature=sig, shingles=sh) for k, (sig, sh) in enumerate(zip(sigs, sets))]
    docs.insert(2, Document("x", "", "s", 9, 9, {}))  # unsigned: removed before signing
    got = shard.unpack_results(pickle.loads(pickle.dumps(shard.pack_results(docs))))
    for a, b in zip(got, docs):
        assert (a.signature is None) == (b.signature is None)
        if b.signature is not None:
            assert a.signature == b.signature and a.shingles == b.shingles and type(a.signature) is array
    with pytest.raises(ValueError):  # signatures of two lengths cannot share one row width
        shard.pack_results([docs[0], Document("y", "", "s", 1, 1, {}, signature=array("I", [1]))])


def test_dense_codes_without_the_accelerator_equal_the_c_table():
    sparse = (300, array("i", [5, 200, 7]).tobytes(), array("i", [-1, 65, 900]).tobytes(), [])
    want = list(range(300))
    want[5], want[200], want[7] = -1, 65, 900
    with pure():
        assert array("i", native.dense_codes(sparse)[0]).tolist() == want
    if native.AVAILABLE:
        assert array("i", native.dense_codes(sparse)[0]).tolist() == want


def test_sorted_unique_is_what_rows_hold():
    rng = np.random.default_rng(4)
    s = rng.integers(0, 100, 500).astype(np.uint32)
    flat, ends = array("I", s.tobytes()), [len(s)]
    assert unique_shingle_rows(flat, ends)[0].tobytes() == sorted_unique(s).tobytes()
