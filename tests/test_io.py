"""Every input format and compression round-trips; bad records are quarantined, never lost."""
import bz2
import gzip
import lzma

import orjson
import pytest
import zstandard

from dedupe import Config, run
from dedupe.errors import BadInputError, ConfigError

from conftest import read_jsonl_dir

DOCS = [
    {"id": "a", "text": "الحرب في سوريا تدخل عامها السابع والمدنيون يدفعون الثمن", "lang": "ar"},
    {"id": "b", "text": "ارتفعت أسعار النفط اليوم بعد قرار أوبك خفض الإنتاج", "meta": {"outlet": "x"}},
]
COMPRESS = {"": lambda b: b, ".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress,
            ".zst": lambda b: zstandard.ZstdCompressor().compress(b)}


def _quiet(**sections):
    return Config().replace(run={"quiet": True}, **sections)


@pytest.mark.parametrize("ext", [".jsonl", ".ndjson", ".json"])
@pytest.mark.parametrize("comp", list(COMPRESS))
def test_jsonl_formats_round_trip(tmp_path, ext, comp):
    data = b"".join(orjson.dumps(d) + b"\n" for d in DOCS)
    src = tmp_path / "in" / f"docs{ext}{comp}"
    src.parent.mkdir()
    src.write_bytes(COMPRESS[comp](data))
    stats = run(src.parent, tmp_path / "out", _quiet())
    kept = read_jsonl_dir(tmp_path / "out" / "kept")
    assert kept == DOCS  # other fields preserved, text already clean
    assert stats["documents_in"] == 2


@pytest.mark.parametrize("comp", ["", ".gz", ".zst"])
def test_txt_files_one_document_each_with_relative_id(tmp_path, comp):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / f"x.txt{comp}").write_bytes(COMPRESS[comp](DOCS[0]["text"].encode()))
    run(tmp_path / "in", tmp_path / "out", _quiet())
    kept = read_jsonl_dir(tmp_path / "out" / "kept")
    assert [(r["id"], r["text"]) for r in kept] == [(f"sub/x.txt{comp}", DOCS[0]["text"])]


@pytest.mark.parametrize("compression,suffix", [("none", ".jsonl"), ("gzip", ".jsonl.gz"), ("zstd", ".jsonl.zst")])
def test_output_compression(tmp_path, compression, suffix):
    src = tmp_path / "d.jsonl"
    src.write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in DOCS))
    run(src, tmp_path / "out", _quiet(io={"compression": compression}))
    assert [p.name for p in (tmp_path / "out" / "kept").iterdir()] == [f"part-00000{suffix}"]
    assert read_jsonl_dir(tmp_path / "out" / "kept") == DOCS


def test_unknown_extension_skipped_with_warning(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.csv").write_text("a,b\n")
    (tmp_path / "in" / "d.jsonl").write_bytes(orjson.dumps(DOCS[0]) + b"\n")
    stats = run(tmp_path / "in", tmp_path / "out", Config())
    assert stats["documents_in"] == 1
    assert "notes.csv: unsupported extension" in capsys.readouterr().err


def test_bad_records_quarantined_with_file_and_line(tmp_path):
    lines = [
        orjson.dumps(DOCS[0]),
        b'{"id": "broken", "text": ',
        b'{"id": "notext"}',
        b'{"id": "num", "text": 5}',
        b"[1, 2]",
        b'{"id": "latin1", "text": "caf\xe9"}',
        orjson.dumps(DOCS[1]),
    ]
    (tmp_path / "d.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    stats = run(tmp_path / "d.jsonl", tmp_path / "out", _quiet())
    quarantined = read_jsonl_dir(tmp_path / "out" / "quarantine")
    assert [(q["source"], q["line"]) for q in quarantined] == [("d.jsonl", n) for n in (2, 3, 4, 5, 6)]
    assert "malformed JSON" in quarantined[0]["error"]
    assert "'text' missing" in quarantined[1]["error"]
    assert "not a string" in quarantined[2]["error"]
    assert "invalid UTF-8" in quarantined[4]["error"] and "\\xe9" in quarantined[4]["raw"]
    assert quarantined[0]["raw"] == '{"id": "broken", "text": '
    assert stats["documents_in"] == 7 and stats["documents_kept"] == 2 and stats["documents_quarantined"] == 5


def test_truncated_gzip_quarantined_and_run_goes_on(tmp_path):
    data = gzip.compress(b"".join(orjson.dumps({"id": i, "text": f"نص رقم {i} " * 20}) + b"\n" for i in range(200)))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a_bad.jsonl.gz").write_bytes(data[: len(data) // 2])
    (tmp_path / "in" / "b_good.jsonl").write_bytes(orjson.dumps(DOCS[0]) + b"\n")
    stats = run(tmp_path / "in", tmp_path / "out", _quiet())
    quarantined = read_jsonl_dir(tmp_path / "out" / "quarantine")
    assert len(quarantined) == 1 and "truncated" in quarantined[0]["error"]
    assert any(r["id"] == "a" for r in read_jsonl_dir(tmp_path / "out" / "kept"))
    assert stats["documents_quarantined"] == 1


def test_strict_stops_at_first_bad_record(tmp_path):
    (tmp_path / "d.jsonl").write_bytes(orjson.dumps(DOCS[0]) + b"\nnot json\n")
    with pytest.raises(BadInputError, match=r"d.jsonl:2: malformed JSON"):
        run(tmp_path / "d.jsonl", tmp_path / "out", Config().replace(run={"strict": True, "quiet": True}))


def test_missing_id_gets_file_and_line(tmp_path):
    (tmp_path / "d.jsonl").write_bytes(b'{"text": "\xd9\x86\xd8\xb5 \xd8\xa7\xd9\x88\xd9\x84"}\n\n{"text": "\xd8\xab\xd8\xa7\xd9\x86\xd9\x8a"}\n')
    run(tmp_path / "d.jsonl", tmp_path / "out", _quiet())
    assert [r["id"] for r in read_jsonl_dir(tmp_path / "out" / "kept")] == ["d.jsonl:1", "d.jsonl:3"]


def test_existing_output_refused_without_overwrite(tmp_path):
    (tmp_path / "d.jsonl").write_bytes(orjson.dumps(DOCS[0]) + b"\n")
    run(tmp_path / "d.jsonl", tmp_path / "out", _quiet())
    with pytest.raises(ConfigError, match="--overwrite"):
        run(tmp_path / "d.jsonl", tmp_path / "out", _quiet())
    run(tmp_path / "d.jsonl", tmp_path / "out", Config().replace(run={"quiet": True, "overwrite": True}))


def test_overwrite_replaces_every_old_part(tmp_path):
    """--overwrite moves the old parts aside and deletes them in the background: when the run returns
    only the new output is there (no old shard, no audit of the old run, no trash, a killed run's
    trash gone too), and it is complete."""
    out = tmp_path / "out"
    (tmp_path / "d.jsonl").write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in DOCS))
    run(tmp_path / "d.jsonl", out, _quiet(io={"shard_docs": 1}, boilerplate={"audit": True}))
    assert len(list((out / "kept").glob("part-*"))) > 1 and (out / "audit").is_dir()
    (out / ".trash-1-kept").mkdir()
    (out / ".trash-1-kept" / "part-00000.jsonl").write_text("old")
    (tmp_path / "e.jsonl").write_bytes(orjson.dumps(DOCS[0]) + b"\n")
    stats = run(tmp_path / "e.jsonl", out, Config().replace(run={"quiet": True, "overwrite": True}))
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["kept", "quarantine", "removed",
                                                                                   "stats.json"]
    assert not [p for p in out.iterdir() if p.name.startswith(".trash-")]
    assert [p.name for p in (out / "kept").iterdir() if p.name.startswith("part-")] == ["part-00000.jsonl"]
    assert read_jsonl_dir(out / "kept") == [{**DOCS[0], "text": read_jsonl_dir(out / "kept")[0]["text"]}]
    assert stats["documents_in"] == stats["documents_kept"] == 1


def test_shards_split_by_shard_docs(tmp_path):
    docs = [{"id": str(i), "text": f"وثيقة مختلفة رقم {i} " + "كلمة" * i} for i in range(7)]
    (tmp_path / "d.jsonl").write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in docs))
    run(tmp_path / "d.jsonl", tmp_path / "out", _quiet(io={"shard_docs": 3}))
    names = sorted(p.name for p in (tmp_path / "out" / "kept").iterdir())
    assert names == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    assert [r["id"] for r in read_jsonl_dir(tmp_path / "out" / "kept")] == [str(i) for i in range(7)]


@pytest.mark.parametrize("comp", ["", ".gz"])
def test_progress_moves_within_a_large_file(tmp_path, comp):
    from dedupe.executors.local import read_items
    from dedupe.io.listing import list_inputs

    data = b"".join(orjson.dumps({"id": i, "text": f"نص رقم {i} " * 30}) + b"\n" for i in range(2000))
    (tmp_path / f"d.jsonl{comp}").write_bytes(COMPRESS[comp](data))
    files = list_inputs([tmp_path])
    updates = []
    items = list(read_items(files, Config(), updates.append))
    assert len(items) == 2000
    assert len(updates) > 5  # not one jump at the end of the file
    assert sum(updates) == (tmp_path / f"d.jsonl{comp}").stat().st_size


@pytest.mark.parametrize("compression", ["none", "gzip", "zstd"])
def test_shard_manifests_hold_the_hash_of_the_file_on_disk(tmp_path, compression):
    """--resume trusts a completed shard by its manifest: size and xxh3 of the file as written (for
    uncompressed shards taken from the records' own hash, which is the same bytes)."""
    import json

    import xxhash

    src = tmp_path / "c.jsonl"
    src.write_bytes(b"".join(orjson.dumps({"id": str(i), "text": f"خبر رقم {i} عن مدينة الرقة"}) + b"\n"
                             for i in range(7)))
    run(src, tmp_path / "out", Config().replace(run={"quiet": True}, io={"shard_docs": 3, "compression": compression}))
    manifests = sorted((tmp_path / "out" / ".progress" / "kept").glob("*.json"))
    assert len(manifests) == 3
    for m in manifests:
        shard = tmp_path / "out" / "kept" / m.name[: -len(".json")]
        manifest = json.loads(m.read_text())
        assert manifest["bytes"] == shard.stat().st_size
        assert manifest["file_xxh3"] == xxhash.xxh3_64_hexdigest(shard.read_bytes())


def test_kept_record_floats_written_alike_whatever_the_orjson(tmp_path):
    """Floats of the input record come back in one spelling: orjson 3.11.7 changed 1e16 to 1e+16, and the
    requirement (orjson>=3.11.7) keeps every supported install on the new one, in and out of the workers."""
    record = {"id": "a", "text": "نص عربي للاختبار", "meta": {"big": 1e16, "small": 1e-7, "plain": 0.25, "n": 10 ** 18}}
    (tmp_path / "d.jsonl").write_bytes(orjson.dumps(record) + b"\n")
    outs = []
    for workers in (1, 2):
        out = tmp_path / f"o{workers}"
        run(tmp_path / "d.jsonl", out, Config().replace(run={"quiet": True, "workers": workers}))
        outs.append((out / "kept" / "part-00000.jsonl").read_bytes())
    assert outs[0] == outs[1]
    assert b'"big":1e+16,"small":1e-7,"plain":0.25,"n":1000000000000000000' in outs[0]
