"""The C band index (dedupe._lsh.BandIndex) returns exactly the candidates of the pure-Python dicts.

The C index hashes a chunk of bands, prefetches their slots, then probes them; an insert makes room for all
its bands before it places any. These tests drive it through MemoryIndex as NearDedup does (query, then
insert) against MemoryIndex(native=False): planted shared bands, exact copies (all 21 bands equal),
duplicate keys, many rehashes, bandings of more than one chunk of bands.
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dedupe.sketch.lsh import BandIndex, MemoryIndex

pytestmark = pytest.mark.skipif(BandIndex is None, reason="C extension dedupe._lsh not built")


def _pair(b=None, r=None):
    """(C, dicts) MemoryIndex pair: the default banding (0.7, 128 -> 21 x 6) or a given one."""
    c, py = MemoryIndex(0.7, 128), MemoryIndex(0.7, 128, native=False)
    assert c._native is not None and py._native is None
    if b is not None:
        c._native = BandIndex(b, r)
        py.params = (b, r)
        py._band_type = np.dtype((np.void, 4 * r))
        py._tables = [{} for _ in range(b)]
    return c, py


def _signatures(rng, n, b, r):
    """n signatures of b bands x r rows: fresh ones, near-copies sharing a random subset of an earlier
    signature's bands, exact copies, and a few whose bands all hold the same values."""
    sigs = []
    for i in range(n):
        sig = rng.integers(0, 2**32, size=b * r, dtype=np.uint32)
        kind = rng.integers(0, 6) if sigs else 0
        if kind in (1, 2):  # planted shared bands
            src = sigs[rng.integers(0, len(sigs))]
            for band in np.flatnonzero(rng.random(b) < rng.uniform(0.05, 0.6)):
                sig[band * r : (band + 1) * r] = src[band * r : (band + 1) * r]
        elif kind == 3:  # an exact copy: every band equal
            sig = sigs[rng.integers(0, len(sigs))].copy()
        elif kind == 4 and i % 5 == 0:  # one band's values repeated under every band number
            sig = np.tile(rng.integers(0, 3, size=r, dtype=np.uint32), b)
        sigs.append(sig)
    return sigs


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 2500))
@example(seed=0, n=6000)  # 126k buckets: the slot table grows from 1024 to 262144 slots, 8 rehashes
def test_default_banding_equals_dicts(seed, n):
    """21 x 6, as NearDedup runs it: query then insert; keys repeat and span int64."""
    rng = np.random.default_rng(seed)
    c, py = _pair()
    assert c.params == (21, 6)
    sigs = _signatures(rng, n, 21, 6)
    keys = rng.integers(-(2**63), 2**63 - 1, size=max(1, n // 3), dtype=np.int64).tolist()
    for i, sig in enumerate(sigs):
        got = c.query(sig)
        assert got == py.query(sig)
        key = keys[i % len(keys)] if i % 4 == 0 else i  # duplicate keys, large and negative ones
        c.insert(key, sig)
        py.insert(key, sig)
    for sig in sigs[:: max(1, n // 50)]:  # after all the growth: every earlier signature finds the same keys
        assert c.query(sig) == py.query(sig)
        assert c.query(sig)  # at least itself (or the key inserted with it)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([(1, 128), (33, 3), (64, 2), (40, 1), (7, 13)]), st.integers(1, 1500))
def test_other_bandings_equal_dicts(seed, banding, n):
    """More bands than one chunk of 32 (33, 40, 64), one-row bands, odd row widths (record padding)."""
    b, r = banding
    rng = np.random.default_rng(seed)
    c, py = _pair(b, r)
    for i, sig in enumerate(_signatures(rng, n, b, r)):
        assert c.query(sig) == py.query(sig)
        c.insert(i % 997, sig)
        py.insert(i % 997, sig)


def test_exact_copies_and_cross_band_values():
    """All 21 bands equal: every copy is a candidate, sorted, each key once. Equal values under another band
    number are another bucket: no candidate."""
    rng = np.random.default_rng(5)
    c, py = _pair()
    sig = rng.integers(0, 2**32, size=128, dtype=np.uint32)
    keys = rng.permutation(3000)[:60].tolist()
    for k in keys:
        c.insert(k, sig)
        py.insert(k, sig)
        c.insert(k, sig)  # the same key twice: still reported once
        py.insert(k, sig)
    assert c.query(sig) == py.query(sig) == sorted(keys)
    shifted = sig.copy()
    shifted[:120] = np.roll(sig[:126], 6)[:120]  # band j of `sig` placed under band number j + 1
    shifted[120:] = rng.integers(0, 2**32, size=8, dtype=np.uint32)
    assert c.query(shifted) == py.query(shifted) == []
    same = np.tile(sig[:6], 22)[:128]  # one band's values under every band number: shares band 0 only
    assert c.query(same) == py.query(same) == sorted(keys)


def test_signatures_that_are_not_contiguous_uint32_are_converted():
    """The wrapper hands the array to C as it is and falls back to np.ascontiguousarray(uint32) when the buffer
    is refused: same candidates as the dicts for strided, uint64 and list signatures."""
    rng = np.random.default_rng(9)
    c, py = _pair()
    base = rng.integers(0, 2**32, size=(40, 128), dtype=np.uint32)
    for k, sig in enumerate(base):
        c.insert(k, sig)
        py.insert(k, sig)
    wide = np.zeros((40, 256), dtype=np.uint32)
    wide[:, ::2] = base
    for sig in (wide[3, ::2], base[4].astype(np.uint64), base[5].tolist(), np.asfortranarray(base)[6]):
        assert c.query(sig) == py.query(sig) != []
    c.insert(100, base[7].astype(np.uint64))
    py.insert(100, base[7].astype(np.uint64))
    c.insert(101, wide[8, ::2])
    py.insert(101, wide[8, ::2])
    assert c.query(base[7]) == py.query(base[7]) == [7, 100]
    assert c.query(base[8]) == py.query(base[8]) == [8, 101]


def test_errors_and_failed_inserts_change_nothing():
    index = BandIndex(21, 6)
    sig = np.arange(126, dtype=np.uint32)
    index.insert(1, sig)
    assert index.query(sig) == [1]
    before = index.nbytes
    with pytest.raises(ValueError, match="at least 126 values"):
        index.insert(2, sig[:125])
    with pytest.raises(ValueError, match="contiguous uint32"):
        index.insert(2, sig.astype(np.uint64))
    with pytest.raises(TypeError):
        index.insert("2", sig)
    with pytest.raises(ValueError, match="at least 126 values"):
        index.query(sig[:125])
    assert index.query(sig) == [1] and index.nbytes == before
    with pytest.raises(ValueError, match="at least 126 values"):  # through the wrapper's fallback: same error
        MemoryIndex(0.7, 128).query(sig[:125])
    with pytest.raises(RuntimeError, match="already initialized"):
        index.__init__(21, 6)
    with pytest.raises(RuntimeError, match="was not called"):
        BandIndex.__new__(BandIndex).query(sig)
    for bands, rows in ((0, 6), (21, 0), (2**31, 1)):
        with pytest.raises(ValueError):
            BandIndex(bands, rows)


def test_nbytes_covers_the_buckets_and_nodes():
    rng = np.random.default_rng(11)
    index = BandIndex(21, 6)
    start = index.nbytes
    n = 4000
    for k in range(n):
        index.insert(k, rng.integers(0, 2**32, size=126, dtype=np.uint32))
    buckets = nodes = n * 21  # random signatures: no shared band
    # at least: a 16-byte slot per bucket at half load, the band values, a 16-byte node per (key, band)
    assert index.nbytes >= 2 * 16 * buckets + buckets * 6 * 4 + nodes * 16 > start
