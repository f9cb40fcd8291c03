"""Output independent of workers and shard size; every document accounted for."""
import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedupe import Config, run

from conftest import read_jsonl_dir

WORDS = "الرقة داعش قوات سوريا الديمقراطية التحالف الدولي مدينة المرصد السوري معركة تنظيم الفرات عناصر".split()


def _records(seeds):
    records = []
    for i, (name, text) in enumerate(sorted(seeds.items())):
        records.append({"id": name, "text": text})
        records.append({"id": f"{name}-copy", "text": text.replace("ة", "ه")})
        records.append({"id": f"{name}-half", "text": "\n".join(text.split("\n")[: 3 + i])})
    return records


def _output_bytes(out, part):
    return b"".join(p.read_bytes() for p in sorted((out / part).glob("part-*")))


def test_same_output_for_any_workers_and_shard_size(tmp_path, seeds):
    src = tmp_path / "c.jsonl"
    src.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in _records(seeds)))
    outs = []
    for i, (workers, shard_docs, batch) in enumerate([(1, 100, 256), (2, 100, 2), (2, 1, 3), (1, 4, 1)]):
        out = tmp_path / f"out{i}"
        run(src, out, Config().replace(run={"quiet": True, "workers": workers, "batch_docs": batch,
                                            "block_bytes": 1000 * batch}, io={"shard_docs": shard_docs}))
        outs.append((_output_bytes(out, "kept"), _output_bytes(out, "removed")))
    assert all(o == outs[0] for o in outs)
    assert outs[0][1]  # the copies were removed, so the comparison covers removed/ too


lines = st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=0, max_size=40).map(" ".join),
    st.text(max_size=30),
)
documents = st.lists(lines, min_size=0, max_size=6).map("\n".join)
raw_lines = st.one_of(
    documents.map(lambda t: orjson.dumps({"text": t})),
    st.binary(max_size=40),
    st.just(b'{"id": 1}'),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(raw_lines, raw_lines.map(lambda b: b)), min_size=1, max_size=25), st.data())
def test_every_document_accounted_for(tmp_path_factory, lines_, data):
    # duplicate some lines so exact and near dedup have work to do
    extra = data.draw(st.lists(st.sampled_from(lines_), max_size=5))
    tmp = tmp_path_factory.mktemp("acct")
    body = [l.replace(b"\n", b" ").replace(b"\r", b" ") for l in lines_ + extra]
    (tmp / "c.jsonl").write_bytes(b"\n".join(body) + b"\n")
    stats = run(tmp / "c.jsonl", tmp / "out", Config().replace(run={"quiet": True}))
    kept = read_jsonl_dir(tmp / "out" / "kept")
    removed = read_jsonl_dir(tmp / "out" / "removed")
    quarantined = read_jsonl_dir(tmp / "out" / "quarantine")
    n_records = sum(1 for l in body if l.strip())
    assert stats["documents_in"] == n_records
    assert len(kept) + len(removed) + len(quarantined) == n_records
    kept_ids = {r["id"] for r in kept}
    for r in removed:
        if r["duplicate_of"] is not None:
            assert r["duplicate_of"] in kept_ids


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=12, max_size=40), min_size=1, max_size=8, unique_by=lambda ws: frozenset(ws)))
def test_unique_documents_never_removed_as_duplicates(tmp_path_factory, docs):
    # documents with pairwise different word sets share few 5-grams; make them surely distinct
    texts = [" ".join(ws) + f" وثيقة{i} " + " ".join(f"كلمة{i}x{j}" for j in range(30)) for i, ws in enumerate(docs)]
    tmp = tmp_path_factory.mktemp("uniq")
    (tmp / "c.jsonl").write_bytes(b"".join(orjson.dumps({"id": str(i), "text": t}) + b"\n" for i, t in enumerate(texts)))
    stats = run(tmp / "c.jsonl", tmp / "out", Config().replace(run={"quiet": True}))
    assert stats["documents_kept"] == len(texts)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.lists(st.sampled_from(WORDS), min_size=0, max_size=30).map(" ".join), min_size=1, max_size=12),
    st.lists(st.integers(0, 11), max_size=6),
    st.integers(1, 5),
    st.integers(1, 7),
)
def test_output_independent_of_workers_shards_and_batches(tmp_path_factory, texts, copies, shard_docs, batch_docs):
    # exact and near copies (one word changed) of random documents, then two runs that differ only in execution
    records = [{"id": str(i), "text": t} for i, t in enumerate(texts)]
    for n, c in enumerate(copies):
        if c < len(texts):
            records.append({"id": f"copy{n}", "text": texts[c].replace("الرقة", "الرقه", 1) + " ختام"})
    tmp = tmp_path_factory.mktemp("det")
    (tmp / "c.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    base = Config().replace(run={"quiet": True})
    run(tmp / "c.jsonl", tmp / "a", base)
    run(tmp / "c.jsonl", tmp / "b", base.replace(run={"workers": 2, "batch_docs": batch_docs, "quiet": True,
                                                      "block_bytes": 97 * batch_docs}, io={"shard_docs": shard_docs}))
    for part in ("kept", "removed"):
        assert _output_bytes(tmp / "a", part) == _output_bytes(tmp / "b", part)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.lists(st.lists(st.sampled_from(WORDS), min_size=18, max_size=30).map(" ".join), min_size=1, max_size=3),
             min_size=2, max_size=8),
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 2), st.integers(0, 7)), max_size=8),
    st.integers(1, 5),
    st.integers(1, 7),
    st.sampled_from([{}, {"keep": "longest"}]),
)
def test_paragraph_near_dedup_independent_of_workers_shards_and_batches(tmp_path_factory, docs, plants, shard_docs,
                                                                        batch_docs, mode):
    # documents of random topic paragraphs; near copies (one word changed) of paragraphs planted in other documents
    paragraphs = [list(d) for d in docs]
    for src, k, dst in plants:
        if src < len(docs) and dst < len(docs) and k < len(docs[src]):
            paragraphs[dst].append(docs[src][k].replace("الرقة", "الرقه", 1) + " ختام")
    records = [{"id": str(i), "text": "\n".join(p)} for i, p in enumerate(paragraphs)]
    tmp = tmp_path_factory.mktemp("pdet")
    (tmp / "c.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    base = Config().replace(run={"quiet": True}, dedup={"paragraph_dedup": True, "paragraph_threshold": 0.6, **mode},
                            boilerplate={"audit": True})
    a = run(tmp / "c.jsonl", tmp / "a", base)
    b = run(tmp / "c.jsonl", tmp / "b", base.replace(run={"workers": 2, "batch_docs": batch_docs, "quiet": True,
                                                          "block_bytes": 211 * batch_docs}, io={"shard_docs": shard_docs}))
    for part in ("kept", "removed", "audit"):
        assert read_jsonl_dir(tmp / "a" / part) == read_jsonl_dir(tmp / "b" / part)
    for key in ("paragraphs_removed_across_documents", "paragraphs_near_removed_across_documents", "documents_removed"):
        assert a[key] == b[key]
