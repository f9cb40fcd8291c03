"""Disk index (external sort of band hashes) and the clustered spill: same pairs and outputs as the
reference, memory that does not grow with the corpus."""
import collections

import numpy as np
import orjson
import pytest

from dedupe import Config, run
from dedupe.executors.clustered import RowFile, Spill
from dedupe.sketch.bands import DiskBands, band_hashes, block_pairs, bucket_pairs, memory_pairs

from conftest import read_jsonl_dir


def reference_pairs(sigs: np.ndarray, b: int, r: int) -> np.ndarray:
    """The definition: per band, bucket the positions by band hash, ``bucket_pairs`` of each bucket."""
    out: set[int] = set()
    for band in range(b):
        buckets = collections.defaultdict(list)
        for i, h in enumerate(band_hashes(sigs, band, r).tolist()):
            buckets[h].append(i)
        for members in buckets.values():
            if len(members) > 1:
                out.update(bucket_pairs(sorted(members)))
    return np.array(sorted(out), dtype=np.uint64)


def _collision_heavy(n=3000, seed=1):
    """Signatures over a tiny alphabet (many random collisions) plus big identical groups:
    a 70-member bucket (> MAX_BUCKET_PAIRS: linked as a star) and one of 43% of the rows."""
    rng = np.random.default_rng(seed)
    sigs = rng.integers(0, 40, size=(n, 128), dtype=np.uint32)
    sigs[10:80] = sigs[9]
    sigs[n // 2 : n * 14 // 15] = sigs[n // 2 - 1]
    return sigs


def test_block_pairs_equals_bucket_pairs():
    rng = np.random.default_rng(0)
    h = np.sort(rng.integers(0, 300, size=5000).astype(np.uint64))
    h[100:300] = h[100]  # one bucket over MAX_BUCKET_PAIRS
    i = np.arange(len(h), dtype=np.uint32)
    order = np.lexsort((i, h))
    h, i = h[order], i[order]
    expected = []
    for value in np.unique(h):
        members = i[h == value].tolist()
        if len(members) > 1:
            expected.extend(bucket_pairs(members))
    assert np.array_equal(np.unique(block_pairs(h, i)), np.unique(np.array(expected, dtype=np.uint64)))
    assert len(block_pairs(h[:1], i[:1])) == 0 and len(block_pairs(h[:0], i[:0])) == 0


@pytest.mark.parametrize("chunk", [None, 5, 700, 1400])
@pytest.mark.parametrize("threshold", [0.7, 0.5])
def test_disk_pairs_equal_the_definition(tmp_path, chunk, threshold):
    """One run, many runs, runs read in several blocks, a bucket spanning blocks of one run."""
    sigs = _collision_heavy() if chunk != 5 else _collision_heavy(n=300)
    disk = DiskBands(tmp_path, threshold, 128, memory_mb=16)
    if chunk:
        disk.chunk = chunk
    got = disk.pairs(sigs)
    assert np.array_equal(got, reference_pairs(sigs, disk.b, disk.r))
    assert len(got) > 0 and not list(tmp_path.glob("*.bin"))  # run files removed


def test_disk_pairs_match_memory_backend_on_near_copies(tmp_path):
    from dedupe.sketch.minhash import MinHasher

    rng = np.random.default_rng(4)
    sets = []
    for _ in range(30):
        base = np.unique(rng.integers(0, 2**32, size=300, dtype=np.uint32))
        sets.append(base)
        v = base.copy()
        v[:10] = rng.integers(0, 2**32, size=10, dtype=np.uint32)
        sets.append(np.unique(v))
    sigs = MinHasher(128).signatures(sets)
    disk = DiskBands(tmp_path, 0.7, 128, memory_mb=1)
    disk.chunk = 7
    assert np.array_equal(disk.pairs(sigs), memory_pairs(sigs, 0.7, 128))


def test_disk_pairs_read_signatures_in_bounded_blocks(tmp_path):
    """Signatures are read ``read_rows`` rows at a time, whatever the corpus size."""
    sigs = _collision_heavy(n=2000)

    class Reader:
        def __init__(self):
            self.largest = 0

        def __len__(self):
            return len(sigs)

        def __getitem__(self, key):
            block = sigs[key]
            self.largest = max(self.largest, len(block))
            return block

    disk = DiskBands(tmp_path, 0.7, 128, memory_mb=16)
    disk.read_rows = 300
    reader = Reader()
    assert np.array_equal(disk.pairs(reader), reference_pairs(sigs, disk.b, disk.r))
    assert reader.largest == 300
    # the budget: band buffers about half of memory_mb, signature blocks a quarter
    big = DiskBands(tmp_path, 0.7, 128, memory_mb=256)
    assert big.chunk * big.b * 12 <= 256 * 2**20 // 2 and big.read_rows * 128 * 4 <= 256 * 2**20 // 4


def test_rowfile_reads_rows_and_blocks(tmp_path):
    data = np.arange(40, dtype=np.uint32).reshape(10, 4)
    path = tmp_path / "rows.u32"
    data.tofile(path)
    rows = RowFile(path, np.uint32, 4)
    assert len(rows) == 10
    assert np.array_equal(rows[3], data[3]) and np.array_equal(rows[2:5], data[2:5])
    assert np.array_equal(rows[:], data) and rows[8:20].shape == (2, 4) and rows[5:5].shape == (0, 4)
    flat = RowFile(path, np.uint32)
    assert np.array_equal(flat.read(7, 9), [7, 8])
    rows.close()
    flat.close()


def test_spill_keeps_typed_arrays_and_reads_back(tmp_path):
    from dedupe.document import Document

    spill = Spill(tmp_path / "w", 4)
    for k in range(5):
        doc = Document(id=f"d{k}-é", text="x" * k, source="s", line=k, seq=10 + k, record={})
        if k != 2:  # a removed document is spilled but not signed
            doc.signature = np.full(4, k, dtype=np.uint32)
            doc.shingles = np.arange(k + 1, dtype=np.uint32)
            doc.exact_hash = 2**64 - 1 - k
        else:
            doc.remove("empty_after_cleaning")
        spill.add(doc)
    spill.close()
    assert len(spill) == 4 and list(spill.seqs) == [10, 11, 13, 14] and list(spill.lengths) == [0, 1, 3, 4]
    assert spill.exact[3] == 2**64 - 1 - 4
    sigs = spill.signatures()
    assert len(sigs) == 4 and sigs[2].tolist() == [3] * 4
    shingles = spill.shingle_sets()
    assert shingles(2).tolist() == [0, 1, 2, 3]
    id_of = spill.id_of()
    assert [id_of(i) for i in range(4)] == ["d0-é", "d1-é", "d3-é", "d4-é"]
    assert [d.id for d in spill.replay()] == [f"d{k}-é" for k in range(5)]
    spill.release()


def _corpus(tmp_path, seeds, copies=3):
    records = []
    for k, t in enumerate(seeds.values()):
        records.append({"id": f"s{k}", "text": t})
        for c in range(copies):
            records.append({"id": f"s{k}-v{c}", "text": t + f"\nسطر إضافي رقم {c} في آخر المقال المعاد نشره في صحيفة أخرى اليوم."})
        records.append({"id": f"s{k}", "text": t})  # a repeated id: positions, not ids, decide
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


@pytest.mark.parametrize("small_runs", [False, True])
def test_disk_index_output_equals_in_memory_clustered(tmp_path, seeds, monkeypatch, small_runs):
    import dedupe.executors.clustered as clustered

    if small_runs:  # many run files, read and merged in several blocks
        class Small(DiskBands):
            def __init__(self, *args):
                super().__init__(*args)
                self.chunk, self.read_rows = 4, 3

        monkeypatch.setattr(clustered, "DiskBands", Small)
    path = _corpus(tmp_path, seeds)
    outs = {}
    for name, dedup in {"memory": {"clusters": True},
                        "disk": {"clusters": True, "backend": "disk", "memory_mb": 16}}.items():
        out = tmp_path / name
        run(path, out, Config().replace(dedup=dedup, run={"workers": 1, "quiet": True}))
        outs[name] = (read_jsonl_dir(out / "kept"), read_jsonl_dir(out / "removed"),
                      (out / "clusters.jsonl").read_bytes())
        assert not (out / ".work").exists()
    assert outs["memory"] == outs["disk"]
    kept, removed, _ = outs["disk"]
    assert removed and {r["duplicate_of"] for r in removed} <= {r["id"] for r in kept}



@pytest.mark.skipif(__import__("dedupe.sketch.lsh", fromlist=["x"]).verify_exact is None, reason="C accelerator not built")
@pytest.mark.parametrize("containment", [False, True])
def test_verify_exact_in_c_equals_verify_pairs(tmp_path, containment):
    """Scoring all candidate pairs in one C call (``Spill.verify_exact``) gives, float for float, what
    ``verify_pairs`` gives with the Python reads and scores: empty sets, equal sets, disjoint and
    overlapping ones, the same first member in a run of pairs and not."""
    from dedupe.document import Document
    from dedupe.executors.clustered import verify_pairs
    from dedupe.sketch.verify import containment as contain, exact_jaccard

    rng = np.random.default_rng(7)
    sets = [np.unique(rng.integers(0, 60, size=rng.integers(0, 40))).astype(np.uint32) for _ in range(200)]
    sets += [sets[5].copy(), np.empty(0, dtype=np.uint32), np.arange(1000, dtype=np.uint32)]
    spill = Spill(tmp_path / "work", 8)
    for k, sh in enumerate(sets):
        spill.add(Document(f"d{k}", "", "t", k, k, {}, signature=np.zeros(8, dtype=np.uint32), shingles=sh))
    spill.close()
    n = len(sets)
    codes = sorted({int(a) << 32 | int(b) for a, b in rng.integers(0, n, size=(3000, 2)) if a < b}
                   | {5 << 32 | n - 3, (n - 2) << 32 | n - 1, 0 << 32 | n - 2})
    pairs = np.array(codes, dtype=np.uint64)
    fn = contain if containment else exact_jaccard
    read = spill.shingle_sets()
    assert all(np.array_equal(read(k), sets[k]) for k in range(n))
    want = verify_pairs(pairs, lambda a, b: fn(read(a), read(b)))
    got = spill.verify_exact(pairs, containment)
    assert got is not None and got.dtype == np.float64
    assert got.tolist() == want.tolist()
    spill.release()
