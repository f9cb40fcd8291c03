"""MinHash signatures equal datasketch's; LSH finds planted near-duplicates."""
import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.sketch.lsh import BandIndex, DatasketchIndex, MemoryIndex, error_rates, optimal_param
from dedupe.sketch.minhash import MinHasher, jaccard
from dedupe.text.shingle import shingle_hashes


def test_signatures_equal_datasketch():
    rng = np.random.default_rng(1)
    docs = [rng.integers(0, 2**63, size=n, dtype=np.uint64) for n in (1, 4, 5, 50, 3000)]
    shingles = [shingle_hashes(d, 5) for d in docs]
    for num_perm, seed in ((128, 1), (64, 7)):
        sigs = MinHasher(num_perm, seed).signatures(shingles)
        for sh, sig in zip(shingles, sigs):
            ref = MinHash(num_perm=num_perm, seed=seed, hashfunc=lambda h: h)
            ref.update_batch([int(x) for x in sh])
            assert np.array_equal(ref.hashvalues, sig)


def test_estimated_jaccard_within_tolerance():
    rng = np.random.default_rng(2)
    base = rng.integers(0, 2**63, size=2000, dtype=np.uint64)
    a = np.unique(shingle_hashes(base, 1))
    b = a.copy()
    b[:400] = rng.integers(0, 2**32, size=400, dtype=np.uint32)  # replace 20% of the set
    true = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
    sig = MinHasher(256).signatures([a, b])
    assert abs(jaccard(sig[0], sig[1]) - true) < 0.08


def test_shingles_depend_on_order():
    t = np.arange(1, 8, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    assert not np.array_equal(shingle_hashes(t, 3), shingle_hashes(t[::-1], 3)[::-1])


def test_lsh_finds_planted_cluster_and_not_strangers():
    rng = np.random.default_rng(3)
    hasher = MinHasher(128)
    index = MemoryIndex(0.8, 128)
    base = rng.integers(0, 2**32, size=500, dtype=np.uint32)
    near = base.copy()
    near[:20] = rng.integers(0, 2**32, size=20, dtype=np.uint32)
    stranger = rng.integers(0, 2**32, size=500, dtype=np.uint32)
    sigs = hasher.signatures([base, near, stranger])
    index.insert(0, sigs[0])
    assert index.query(sigs[1]) == [0]
    assert index.query(sigs[2]) == []


def test_banding_favours_recall_because_candidates_are_verified():
    b, r = optimal_param(0.8, 128)
    assert b * r <= 128 and b >= 2
    candidate = lambda s: 1 - (1 - s**r) ** b
    assert candidate(0.8) > 0.9 and candidate(0.85) > 0.99 and candidate(0.3) < 0.01
    fp, fn = error_rates(0.8, b, r)
    assert fn < fp  # the opposite trade-off of datasketch's default weights
    assert optimal_param(0.99, 128)[0] >= 2  # MinHashLSH needs two bands


def test_band_index_gives_datasketch_candidates():
    """Our band dicts and datasketch's MinHashLSH return the same candidates for the same banding."""
    rng = np.random.default_rng(7)
    base = rng.integers(0, 2**32, size=(40, 128), dtype=np.uint32)
    sigs = [base[i % 40].copy() for i in range(200)]
    for i, sig in enumerate(sigs):  # variants: each shares a random subset of values with its base
        mask = rng.random(128) < (i % 7) / 7
        sig[mask] = rng.integers(0, 2**32, size=int(mask.sum()), dtype=np.uint32)
    for threshold in (0.5, 0.7, 0.9):
        ours, theirs = MemoryIndex(threshold, 128), DatasketchIndex(threshold, 128)
        dicts = MemoryIndex(threshold, 128, native=False)
        assert ours.params == theirs.params
        found = 0
        for key, sig in enumerate(sigs):
            got = ours.query(sig)
            assert got == theirs.query(sig) == dicts.query(sig)
            found += len(got)
            for index in (ours, theirs, dicts):
                index.insert(key, sig)
        assert found > 10  # the comparison saw real candidates, not only empty answers


@pytest.mark.skipif(BandIndex is None, reason="C extension dedupe._lsh not built")
@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([(16, 8), (2, 64), (9, 13), (32, 4)]), st.integers(50, 3000))
def test_c_band_index_equals_python_dicts(seed, banding, n):
    """The C index returns what the dicts return after every insert: shared and unshared bands,
    equal band values under different band numbers, keys out of order, growth past many resizes."""
    b, r = banding
    rng = np.random.default_rng(seed)
    alphabet = rng.integers(0, 2**32, size=rng.integers(2, 6), dtype=np.uint32)
    c, py = BandIndex(b, r), _dict_index(b, r)
    for i in range(n):
        kind = i % 3
        if kind == 0:  # few distinct values: bands collide within and across band numbers
            sig = rng.choice(alphabet, size=b * r)
        else:
            sig = rng.integers(0, 2**32, size=b * r, dtype=np.uint32)
            if kind == 1 and i > 3:
                sig[: r] = alphabet[0]
        sig = np.ascontiguousarray(sig, dtype=np.uint32)
        assert c.query(sig) == py.query(sig)
        key = int(rng.integers(0, 2**40))
        c.insert(key, sig)
        py.insert(key, sig)
    assert c.query(sig) == py.query(sig) and key in c.query(sig)


def _dict_index(b, r):
    """The pure-Python dict index with a given banding (MemoryIndex picks its banding from a threshold)."""
    index = MemoryIndex(0.8, 128, native=False)
    index.params = (b, r)
    index._band_type = np.dtype((np.void, 4 * r))
    index._tables = [{} for _ in range(b)]
    return index


def test_c_band_index_rejects_bad_signatures():
    if BandIndex is None:
        pytest.skip("C extension dedupe._lsh not built")
    index = BandIndex(16, 8)
    with pytest.raises(ValueError):
        index.query(np.zeros(127, dtype=np.uint32))
    with pytest.raises(ValueError):
        index.insert(1, np.zeros(128, dtype=np.uint64))
    with pytest.raises(ValueError):
        BandIndex(0, 8)


def test_banding_equals_datasketch_optimizer():
    """Our quadrature gives datasketch's (b, r) and error masses without importing scipy at run time."""
    from datasketch.lsh import _false_negative_probability, _false_positive_probability
    from datasketch.lsh import _optimal_param as ds_optimal_param

    from dedupe.sketch import lsh

    for num_perm in (16, 64, 128):
        for threshold in (0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
            for weights in ((0.5, 0.5), (0.05, 0.95)):
                assert lsh._optimal_param(threshold, num_perm, *weights) == ds_optimal_param(threshold, num_perm, *weights)
    for b, r in ((21, 6), (16, 8), (9, 13), (2, 64)):
        fp, fn = error_rates(0.7, b, r)
        assert abs(fp - _false_positive_probability(0.7, b, r)) < 1e-9
        assert abs(fn - _false_negative_probability(0.7, b, r)) < 1e-9


from hypothesis import given as _given, strategies as _st  # noqa: E402

from dedupe.sketch.minhash import sorted_unique  # noqa: E402


@_given(_st.lists(_st.integers(0, 2**32 - 1), max_size=300))
def test_sorted_unique_equals_numpy_unique(values):
    arr = np.array(values, dtype=np.uint32)
    got = sorted_unique(arr)
    assert got.dtype == np.uint32 and np.array_equal(got, np.unique(arr))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 60), max_size=80), st.lists(st.integers(0, 60), max_size=80), st.booleans())
def test_intersection_count_equals_numpy(xs, ys, wide):
    """The C merge count of two shingle sets equals numpy's intersect1d (the definition), on small
    alphabets (many shared values), empty sets, and values near the top of uint32."""
    from dedupe.sketch.verify import containment, exact_jaccard, intersection_count

    base = 2**32 - 61 if wide else 0
    a = np.unique(np.array([base + x for x in xs], dtype=np.uint32))
    b = np.unique(np.array([base + y for y in ys], dtype=np.uint32))
    expected = len(np.intersect1d(a, b, assume_unique=True))
    assert intersection_count(a, b) == expected == intersection_count(a.astype(np.uint64), b.astype(np.uint64))
    if BandIndex is not None:  # the C path was taken above: check it directly too
        from dedupe.sketch.lsh import intersection_size
        assert intersection_size(a, b) == expected
    if len(a) or len(b):
        assert exact_jaccard(a, b) == expected / (len(a) + len(b) - expected)
    if len(a) and len(b):
        assert containment(a, b) == expected / min(len(a), len(b))


def test_gauss_legendre_nodes_equal_numpy_leggauss():
    """The banding optimizer's quadrature nodes come from Newton's iteration, not LAPACK (whose
    OpenBLAS threads then spin for ~0.1 CPU-s): the same nodes and weights as numpy's."""
    from dedupe.sketch import lsh

    for n in (1, 2, 3, 9, 33, 65, 129, 257):
        x, w = lsh._gauss(n)
        ref_x, ref_w = np.polynomial.legendre.leggauss(n)
        assert np.allclose(x, ref_x, rtol=0, atol=1e-13) and np.allclose(w, ref_w, rtol=0, atol=1e-13)
        assert abs(w.sum() - 2) < 1e-12
