"""The batched worker-side glue equals the per-document code it replaced: ``shingle_hashes_batch``,
``sorted_unique_segments``, ``SignStep.process_batch``, ``parse_fast``, ``repeated_paragraphs``."""
import dataclasses
from array import array

import numpy as np
import orjson
import pytest
import xxhash

from conftest import pure
from dedupe.config import Config
from dedupe.document import Document
from dedupe.io.readers import RawLine, parse_fast, record_fields
from dedupe.sketch.minhash import MinHasher, sorted_unique, sorted_unique_segments
from dedupe.stats import Stats
from dedupe.text import native
from dedupe.steps.local import SignStep
from dedupe.text.paragraphs import _assembly_repeats, repeated_paragraphs
from dedupe.text.shingle import shingle_hashes, shingle_hashes_batch, unpack


def _token_arrays(seed: int, n: int = 60) -> list[np.ndarray]:
    """Documents of 0 to 40 tokens from a small vocabulary (repeated shingles), some empty or shorter than an n-gram."""
    rng = np.random.default_rng(seed)
    vocab = rng.integers(0, 2**64, 12, dtype=np.uint64)
    return [vocab[rng.integers(0, len(vocab), int(rng.choice([0, 1, 3, 5, 6, 40])))] for _ in range(n)]


def _segments(flat: np.ndarray, ends: list[int]) -> list[np.ndarray]:
    return [flat[a:b] for a, b in zip([0] + ends, ends)]


@pytest.mark.parametrize("use_pure", [False, True])
@pytest.mark.parametrize("ngram", [1, 3, 5])
def test_shingle_hashes_batch_equals_per_document(use_pure, ngram):
    tokens = _token_arrays(ngram)
    with pure() if use_pure else _nothing():
        flat, ends = shingle_hashes_batch(tokens, ngram)
        expected = [shingle_hashes(t, ngram) for t in tokens]
    # a writable uint32 buffer: array('I') with the accelerator (no numpy on the pipeline's path), else numpy
    view = memoryview(flat)
    assert view.itemsize == 4 and view.format in ("I", "=I", "<I") and not view.readonly and len(ends) == len(tokens)
    assert (type(flat) is array) == (not use_pure and native.AVAILABLE)
    for got, want in zip(_segments(flat, ends), expected):
        assert want.dtype == np.uint32 and got.tobytes() == want.tobytes()
    with pytest.raises(ValueError):
        shingle_hashes_batch(tokens, 0)
    assert shingle_hashes_batch([], ngram)[1] == []


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.mark.parametrize("seed", range(5))
def test_sorted_unique_segments_equals_sorted_unique(seed):
    rng = np.random.default_rng(seed)
    sizes = rng.choice([0, 0, 1, 2, 7, 50], 40)
    segments = [rng.integers(0, 20, int(k)).astype(np.uint32) for k in sizes]
    flat = np.concatenate(segments)
    ends = np.cumsum(sizes).tolist()
    got = sorted_unique_segments(flat.copy(), ends)
    assert len(got) == len(segments)
    for g, s in zip(got, segments):
        want = sorted_unique(s)
        assert g.dtype == want.dtype and g.tobytes() == want.tobytes()
        assert g.base is None or g.base.size == g.size  # its own array, not a view of the batch
    assert sorted_unique_segments(np.empty(0, dtype=np.uint32), []) == []
    assert [len(x) for x in sorted_unique_segments(np.empty(0, dtype=np.uint32), [0, 0])] == [0, 0]
    same = sorted_unique_segments(np.full(9, 7, dtype=np.uint32), [4, 4, 9])
    assert [x.tolist() for x in same] == [[7], [], [7]]


def _old_sign(step: SignStep, docs: list[Document]) -> None:
    """``SignStep.process_batch`` as it was: per document shingles, signature of all of them, ``sorted_unique``."""
    for doc in docs:
        doc.exact_hash = xxhash.xxh3_64_intdigest(doc.tokens)
    shingles = [shingle_hashes(step._near_tokens(d), step.ngram) for d in docs]
    for doc, sig, sh in zip(docs, step.minhasher.signatures(shingles), shingles):
        doc.signature = sig
        if step.keep_shingles:
            doc.shingles = sorted_unique(sh)
    for doc in docs:
        doc.tokens = None


@pytest.mark.parametrize("use_pure", [False, True])
@pytest.mark.parametrize("verify", ["exact", "estimate"])
def test_sign_step_equals_the_old_one(use_pure, verify):
    config = Config()
    config = dataclasses.replace(config, dedup=dataclasses.replace(config.dedup, verify=verify, num_perm=32))
    step = SignStep(Stats(), config)
    tokens = [t for t in _token_arrays(7, 300) if len(t)]  # (EmptyFilter leaves no empty document)

    def docs():
        return [Document(str(k), "", "s", k, k, {}, tokens=t.copy()) for k, t in enumerate(tokens)]

    new, old = docs(), docs()
    with pure() if use_pure else _nothing():
        step.process_batch(new)
        _old_sign(step, old)
    for a, b in zip(new, old):
        assert a.exact_hash == b.exact_hash and a.tokens is None
        assert type(a.signature) is array and a.signature.typecode == "I"  # (what pack_results and the index take)
        assert len(a.signature) == 32 and a.signature.tobytes() == b.signature.tobytes()
        if verify == "exact":
            assert type(a.shingles) is array and a.shingles.tobytes() == b.shingles.tobytes()
        else:
            assert a.shingles is None and b.shingles is None


@pytest.mark.parametrize("use_pure", [False, True])
def test_sign_step_with_clitics_equals_the_old_one(use_pure):
    config = Config()
    config = dataclasses.replace(config, dedup=dataclasses.replace(config.dedup, clitics=True, num_perm=32))
    step = SignStep(Stats(), config)
    rng = np.random.default_rng(5)
    words = ["والكتاب", "كتاب", "بالبيت", "البيت", "و", "ال", "للطلاب", "مدرسة", "فالمدرسة", "ولد"]
    texts = ["\n".join(" ".join(rng.choice(words, int(rng.integers(1, 12)))) for _ in range(int(rng.integers(1, 4))))
             for _ in range(80)]

    def docs():
        return [Document(str(k), t, "s", k, k, {}, tokens=np.arange(3, dtype=np.uint64)) for k, t in enumerate(texts)]

    new, old = docs(), docs()
    with pure() if use_pure else _nothing():
        step.process_batch(new)
        _old_sign(step, old)
    for a, b in zip(new, old):
        assert a.signature.tobytes() == b.signature.tobytes() and a.shingles.tobytes() == b.shingles.tobytes()


def test_minhash_of_unique_shingles_is_the_same():
    rng = np.random.default_rng(3)
    hasher = MinHasher(64, 1)
    shingles = [rng.integers(0, 50, 200).astype(np.uint32) for _ in range(5)]
    with_repeats = hasher.signatures(shingles)
    assert np.array_equal(with_repeats, hasher.signatures([sorted_unique(s) for s in shingles]))
    with pure():
        assert np.array_equal(with_repeats, hasher.signatures([sorted_unique(s) for s in shingles]))


@pytest.mark.parametrize("raw", [
    b'{"text": "\xd9\x86\xd8\xb5", "id": 5}', b'{"text": "x", "id": null}', b'{"text": "x"}',
    b'{"text": "x", "id": "a\\u0000b"}', b'{"text": 3}', b'{"text": null}', b'{"body": "x"}', b'[1, 2]',
    b'"text"', b'{"text": "x", "id": [1, {"a": 2}]}', b'{"text": "x", "id": 1.5}', b'{"text": "x",}',
    b'{"text": "x", "id": true}',
])
def test_parse_fast_equals_record_fields(raw):
    item = RawLine("f.jsonl", 7, raw, True, 0)
    got = parse_fast(item, "text", "id")
    try:
        fields = record_fields(orjson.loads(raw), "text", "id", "f.jsonl", 7)
    except orjson.JSONDecodeError:
        fields = "malformed"
    if isinstance(fields, str):
        assert got is item
    else:
        assert isinstance(got, Document) and (got.text, got.id) == fields
        assert got.bytes_in == len(got.text.encode()) and not got.registered and got.seq == -1


def _old_assembly_order(dropped, keys, in_block_only=frozenset()):
    return _assembly_repeats(dropped, keys, in_block_only)


@pytest.mark.parametrize("use_pure", [False, True])
def test_repeated_paragraphs_shapes(use_pure):
    """Small documents with exact, short, refrain and near repeats: packed and tuple keys agree, and
    ``_assembly_repeats`` gives the same with and without the caller's ``order``."""
    rng = np.random.default_rng(11)
    vocab = rng.integers(1, 2**63, 30, dtype=np.uint64)
    base_lines = [vocab[rng.integers(0, 30, int(k))] for k in (0, 1, 3, 9, 12, 20, 0, 2)]
    with pure() if use_pure else _nothing():
        for trial in range(200):
            pick = rng.integers(0, len(base_lines), int(rng.integers(0, 14)))
            lines = [base_lines[p].copy() for p in pick]
            for line in lines:  # near repeats: one token changed
                if len(line) > 8 and rng.random() < 0.3:
                    line[int(rng.integers(0, len(line)))] = vocab[int(rng.integers(0, 30))]
            packed = [unpack(line.tobytes()) for line in lines]
            tuples = [tuple(int(x) for x in line) for line in lines]
            got = repeated_paragraphs(packed)
            assert got == repeated_paragraphs(tuples)
            order = [i for i, t in enumerate(packed) if t]
            if len(order) > 2:
                dropped = {i: ("repeat", order[0]) for i in order[1:3]}
                assert _assembly_repeats(dropped, packed, set(), order) == _old_assembly_order(dropped, packed)
