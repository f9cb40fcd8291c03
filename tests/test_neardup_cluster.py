"""Clustered near-dedup: exactly one survivor per cluster, no chaining, backends and workers agree."""
import numpy as np
import orjson
import pytest

from dedupe import Config, run
from dedupe.sketch.bands import DiskBands, memory_pairs
from dedupe.sketch.cluster import Clusterer, survivor_key
from dedupe.sketch.minhash import MinHasher
from dedupe.sketch.unionfind import UnionFind
from dedupe.sketch.verify import containment, exact_jaccard

from conftest import read_jsonl_dir


def _sets(rng, n_base=6, variants=3):
    """Base shingle sets with near copies (about 5% of shingles replaced)."""
    sets = []
    for _ in range(n_base):
        base = np.unique(rng.integers(0, 2**32, size=400, dtype=np.uint32))
        sets.append(base)
        for _ in range(variants):
            v = base.copy()
            v[rng.choice(len(v), 10, replace=False)] = rng.integers(0, 2**32, size=10, dtype=np.uint32)
            sets.append(np.unique(v))
    return sets


def test_unionfind_root_is_smallest():
    uf = UnionFind(6)
    uf.union(5, 3)
    uf.union(3, 1)
    uf.union(4, 2)
    assert uf.groups() == {1: [1, 3, 5], 2: [2, 4]}


def test_exact_jaccard_and_containment():
    a = np.arange(10, dtype=np.uint32)
    b = np.arange(5, 15, dtype=np.uint32)
    assert exact_jaccard(a, b) == pytest.approx(5 / 15)
    assert containment(a[:4], a) == 1.0


def test_disk_backend_finds_the_same_pairs_as_memory(tmp_path):
    rng = np.random.default_rng(4)
    sets = _sets(rng)
    sigs = MinHasher(128).signatures(sets)
    mem = memory_pairs(sigs, 0.7, 128)
    disk = DiskBands(tmp_path, 0.7, 128, memory_mb=16)
    disk.chunk = 5  # force several run files and a real merge
    assert np.array_equal(disk.pairs(sigs), mem)
    assert len(mem) > 0


@pytest.mark.parametrize("policy", ["first", "longest", "shortest"])
def test_exactly_one_survivor_per_cluster(policy):
    rng = np.random.default_rng(5)
    sets = _sets(rng)
    n = len(sets)
    pairs = [(i << 32) | j for i in range(n) for j in range(i + 1, n)]
    lengths = np.array([len(s) for s in sets])
    score = lambda a, b: exact_jaccard(sets[a], sets[b])
    clusters = Clusterer(n, score, 0.8, survivor_key(policy, lengths)).clusters(pairs)
    assert len(clusters) == 6
    removed = [m for _, members in clusters for m, _ in members]
    survivors = [s for s, _ in clusters]
    assert len(set(removed)) == len(removed) == n - 6
    assert not set(removed) & set(survivors)
    for survivor, members in clusters:
        assert len({survivor, *[m for m, _ in members]}) == 4  # the whole planted group, one survivor
        for m, s in members:
            assert s >= 0.8 and score(m, survivor) == s


def test_chain_is_split_not_closed():
    """A~B, B~C, C~D at 0.85 each but A and D far apart: members that do not verify against the survivor stay."""
    sets = [np.unique(np.arange(k * 80, k * 80 + 1000, dtype=np.uint32)) for k in range(4)]
    score = lambda a, b: exact_jaccard(sets[a], sets[b])
    assert score(0, 1) >= 0.8 and score(0, 2) < 0.8
    pairs = [(0 << 32) | 1, (1 << 32) | 2, (2 << 32) | 3]
    clusters = Clusterer(4, score, 0.8, survivor_key("first", np.zeros(4))).clusters(pairs)
    assert clusters == [(0, [(1, score(0, 1))]), (2, [(3, score(2, 3))])]


def _write(tmp_path, seeds):
    texts = list(seeds.values())
    records = []
    for k, t in enumerate(texts):
        records.append({"id": f"s{k}", "text": t})
        records.append({"id": f"s{k}-long", "text": t + "\nفقرة إضافية طويلة في آخر المقال تضاف إلى النسخة المعاد نشرها في صحيفة أخرى."})
        records.append({"id": f"s{k}-copy", "text": t})
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


@pytest.mark.parametrize("flags", [{"keep": "longest", "clusters": True}, {"backend": "disk", "clusters": True}])
def test_clustered_run_is_deterministic_and_names_survivors(tmp_path, seeds, flags):
    path = _write(tmp_path, seeds)
    outs = []
    for workers, shard in ((1, 100), (2, 2)):
        out = tmp_path / f"out-{workers}-{flags.get('keep', 'first')}"
        stats = run(path, out, Config().replace(dedup=flags, run={"workers": workers, "quiet": True}, io={"shard_docs": shard}))
        assert stats["documents_in"] == stats["documents_kept"] + sum(stats["documents_removed"].values())
        outs.append((read_jsonl_dir(out / "kept"), read_jsonl_dir(out / "removed"), (out / "clusters.jsonl").read_bytes()))
        assert not (out / ".work").exists()
    assert outs[0] == outs[1]
    kept, removed, clusters = outs[0]
    kept_ids = {r["id"] for r in kept}
    assert all(r["duplicate_of"] in kept_ids for r in removed)
    if flags.get("keep") == "longest":
        assert {f"s{k}-long" for k in range(len(seeds))} <= kept_ids
    for line in clusters.splitlines():
        c = orjson.loads(line)
        assert c["survivor"] in kept_ids and not {m["id"] for m in c["members"]} & kept_ids
