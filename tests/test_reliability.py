"""Issue 6: every kind of broken input is quarantined or handled as documented, the run goes on,
nothing is lost; write errors stop cleanly; an interrupted run resumes to byte-identical output."""
import bz2
import errno
import gzip
import io
import lzma
import os
import signal
import subprocess
import sys
import time
import tracemalloc

import orjson
import pytest
import zstandard

import dedupe.io.readers as readers
import dedupe.io.writer as writer_mod
from dedupe import Config, run
from dedupe.cli import build_parser, main
from dedupe.errors import OutputError, ResumeError
from dedupe.io.listing import InputFile, list_inputs
from dedupe.io.readers import ENCODING_FIELD, Reader
from dedupe.io.writer import PROGRESS, ShardedWriter

from conftest import ROOT, read_jsonl_dir

AR = "ارتفعت أسعار النفط اليوم بعد قرار أوبك خفض الإنتاج في الاجتماع الأخير"
AR2 = "الحرب في سوريا تدخل عامها السابع والمدنيون يدفعون الثمن كل يوم"
GOOD = orjson.dumps({"id": "good", "text": AR})
COMPRESS = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress,
            ".zst": lambda b: zstandard.ZstdCompressor().compress(b)}


def _cfg(**run_opts):
    return Config().replace(run={"quiet": True, **run_opts})


def _outputs(out):
    return {p: read_jsonl_dir(out / p) for p in ("kept", "removed", "quarantine")}


def _accounted(stats, out):
    o = _outputs(out)
    assert stats["documents_in"] == len(o["kept"]) + len(o["removed"]) + len(o["quarantine"])
    return o


def _read(path, **kw):
    """Items of one file through the Reader, with the warnings it gave."""
    warnings = []
    reader = Reader(warn=warnings.append, **kw)
    kind, comp = ("txt" if ".txt" in path.name else "jsonl"), next((c for c in COMPRESS if path.name.endswith(c)), None)
    return list(reader.read(InputFile(path, path.name, kind, comp))), warnings, reader


# ---------------------------------------------------------------- decoding

def test_legacy_cp1256_jsonl_line_decoded_and_recorded(tmp_path):
    legacy = orjson.dumps({"id": "old", "text": AR2}).decode().encode("cp1256")
    (tmp_path / "d.jsonl").write_bytes(GOOD + b"\n" + legacy + b"\n")
    o = _accounted(run(tmp_path / "d.jsonl", tmp_path / "out", _cfg()), tmp_path / "out")
    assert [(r["id"], r["text"], r.get(ENCODING_FIELD)) for r in o["kept"]] == [("good", AR, None), ("old", AR2, "cp1256")]


@pytest.mark.parametrize("workers", [1, 2])
def test_near_duplicates_found_among_legacy_encoded_lines(tmp_path, workers):
    """Lines the main process decodes (not UTF-8) keep their input position: a near copy of the first
    is removed as its duplicate even with another legacy line between them (all used to share -1)."""
    first = " ".join([AR, AR2, AR.replace("اليوم", "أمس")])
    other = " ".join([AR2, AR2.replace("الحرب", "المعارك"), "وقال مراقبون إن الوضع يزداد سوءا"])
    lines = [{"id": "a", "text": first}, {"id": "b", "text": other}, {"id": "c", "text": first + " وأضاف"}]
    for encoding in ("utf-8", "cp1256"):
        src = tmp_path / f"{encoding}.jsonl"
        src.write_bytes(b"".join(orjson.dumps(r).decode().encode(encoding) + b"\n" for r in lines))
        o = _accounted(run(src, tmp_path / encoding, _cfg(workers=workers)), tmp_path / encoding)
        assert [r["id"] for r in o["kept"]] == ["a", "b"]
        assert [(r["id"], r["reason"], r["duplicate_of"]) for r in o["removed"]] == [("c", "near_duplicate", "a")]


def test_legacy_iso8859_6_txt_decoded_whole_file(tmp_path):
    text = "وقال المتحدث إن الاجتماع سيعقد غدا\nوأضاف أن الوفد سيصل صباحا"
    (tmp_path / "old.txt").write_bytes(text.encode("iso8859_6"))
    o = _accounted(run(tmp_path / "old.txt", tmp_path / "out", _cfg()), tmp_path / "out")
    assert [(r["text"], r[ENCODING_FIELD]) for r in o["kept"]] == [(text, "iso8859_6")]


@pytest.mark.parametrize("raw", [
    b'{"id": "latin1", "text": "caf\xe9 cr\xe8me br\xfbl\xe9e"}',  # Latin-1, not Arabic
    b'{"id": "noise", "text": "' + bytes(range(0xC1, 0xFF)) * 3 + b'"}',  # cp1256-decodable noise
    b'{"id": "nospace", "text": "' + bytes(range(0xC1, 0xD7)) * 3 + b'"}',  # Arabic letters, but no word has 66 letters
    b'{"id": "ctl", "text": "\xc7\xe1\x01\x02\xd3\xe1\xc7\xe3"}',  # control characters
])
def test_invalid_utf8_without_arabic_evidence_is_quarantined(tmp_path, raw):
    (tmp_path / "d.jsonl").write_bytes(GOOD + b"\n" + raw + b"\n")
    o = _accounted(run(tmp_path / "d.jsonl", tmp_path / "out", _cfg()), tmp_path / "out")
    assert [r["id"] for r in o["kept"]] == ["good"]
    (q,) = o["quarantine"]
    assert q["line"] == 2 and q["error"].startswith("invalid UTF-8 at byte") and "Arabic code page" in q["error"]
    assert "\\x" in q["raw"]  # raw bytes escaped, never replaced


def test_random_binary_never_decoded_as_arabic(tmp_path):
    data = bytes((i * 7919 + 13) % 256 for i in range(5000)).replace(b"\x00", b"\x01")
    (tmp_path / "x.txt").write_bytes(data)
    o = _accounted(run(tmp_path / "x.txt", tmp_path / "out", _cfg()), tmp_path / "out")
    assert o["kept"] == [] and len(o["quarantine"]) == 1


# ---------------------------------------------------------------- each bad input, through run()

def test_malformed_json_missing_and_non_string_text_among_good_lines(tmp_path):
    lines = [GOOD, b'{"id": "x", "text": ', b'{"id": "y"}', b'{"id": "z", "text": ["a"]}', b'"just a string"',
             orjson.dumps({"id": "good2", "text": AR2})]
    (tmp_path / "d.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    o = _accounted(run(tmp_path / "d.jsonl", tmp_path / "out", _cfg()), tmp_path / "out")
    assert [r["id"] for r in o["kept"]] == ["good", "good2"]
    assert [q["line"] for q in o["quarantine"]] == [2, 3, 4, 5]
    assert ["malformed JSON" in o["quarantine"][0]["error"], "missing" in o["quarantine"][1]["error"],
            "not a string (list)" in o["quarantine"][2]["error"], "JSON object" in o["quarantine"][3]["error"]] == [True] * 4


def test_empty_files_documented_handling(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(b"")
    (tmp_path / "in" / "b.jsonl").write_bytes(b"")
    (tmp_path / "in" / "c.jsonl").write_bytes(b"\n  \n\r\n")  # blank lines are not records
    (tmp_path / "in" / "d.jsonl").write_bytes(GOOD + b"\n")
    stats = run(tmp_path / "in", tmp_path / "out", _cfg())
    o = _accounted(stats, tmp_path / "out")
    # an empty .txt is a document (nothing silently dropped): removed as empty_after_cleaning
    assert [(r["id"], r["reason"]) for r in o["removed"]] == [("a.txt", "empty_after_cleaning")]
    assert [r["id"] for r in o["kept"]] == ["good"] and stats["documents_in"] == 2


def test_empty_file_warnings_from_reader(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\xef\xbb\xbf \n")
    (tmp_path / "b.jsonl").write_bytes(b"\n\n")
    for name in ("a.txt", "b.jsonl"):
        _, warnings, reader = _read(tmp_path / name)
        assert len(warnings) == 1 and "empty" in warnings[0] and name in warnings[0]
        assert reader.notes["empty_files"] == 1


def test_binary_files(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (tmp_path / "in" / "b.jsonl").write_bytes(b"\x00\x01\x02\n\xff\xfe\x00{\n")  # binary named .jsonl
    (tmp_path / "in" / "c.jsonl").write_bytes(gzip.compress(GOOD))  # gzip without the .gz name
    (tmp_path / "in" / "d.jsonl").write_bytes(GOOD + b"\n")
    o = _accounted(run(tmp_path / "in", tmp_path / "out", _cfg()), tmp_path / "out")
    assert [r["id"] for r in o["kept"]] == ["good"]
    assert o["quarantine"][0]["source"] == "a.txt" and "binary" in o["quarantine"][0]["error"]
    assert {q["source"] for q in o["quarantine"]} == {"a.txt", "b.jsonl", "c.jsonl"}
    assert all(isinstance(q["raw"], str) for q in o["quarantine"])


@pytest.mark.parametrize("comp", list(COMPRESS))
@pytest.mark.parametrize("kind", ["jsonl", "txt"])
def test_truncated_compressed_file_one_quarantine_record_and_run_goes_on(tmp_path, comp, kind):
    if kind == "jsonl":
        body = b"".join(orjson.dumps({"id": i, "text": f"{AR} {i} " * 30}) + b"\n" for i in range(300))
    else:
        body = ((AR + "\n") * 2000).encode()
    data = COMPRESS[comp](body)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / f"a_bad.{kind}{comp}").write_bytes(data[: len(data) // 2])
    (tmp_path / "in" / "b_good.jsonl").write_bytes(orjson.dumps({"id": "b", "text": AR2}) + b"\n")
    stats = run(tmp_path / "in", tmp_path / "out", _cfg())
    o = _accounted(stats, tmp_path / "out")
    assert len(o["quarantine"]) == 1 and "truncated" in o["quarantine"][0]["error"]
    assert o["quarantine"][0]["source"] == f"a_bad.{kind}{comp}"
    assert "b" in {r["id"] for r in o["kept"]}
    if kind == "jsonl" and comp != ".bz2":  # records before the cut were read (bz2 loses its whole 900 kB block)
        assert stats["documents_in"] > 2


def test_single_50mb_line_is_read_with_bounded_memory(tmp_path):
    big = tmp_path / "big.jsonl"
    with open(big, "wb") as fh:
        fh.write(b'{"id": "big", "text": "' + "كلمة ".encode() * 5_800_000 + b'"}\n')  # 52 MB
        fh.write(GOOD + b"\n")
    assert big.stat().st_size > 50_000_000
    tracemalloc.start()
    try:
        items, _, _ = _read(big, max_record_bytes=1 << 20)  # over the limit: skipped in chunks
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20
    assert isinstance(items[0], readers.Quarantined) and "max_record_bytes" in items[0].error
    assert len(items[0].raw) <= readers.RAW_PREVIEW and items[1].id == "good"
    items, _, _ = _read(big)  # under the default 64 MiB limit: a document
    assert [type(i).__name__ for i in items] == ["Document", "Document"] and len(items[0].text) == 5 * 5_800_000


@pytest.mark.skipif(not os.environ.get("DEDUPE_SLOW"), reason="set DEDUPE_SLOW=1: the full pipeline over 50 MB takes ~20 s")
def test_single_50mb_line_through_the_pipeline(tmp_path):
    (tmp_path / "big.jsonl").write_bytes(orjson.dumps({"id": "big", "text": "كلمة " * 5_800_000}) + b"\n")
    stats = run(tmp_path / "big.jsonl", tmp_path / "out", _cfg())
    assert stats["documents_kept"] == 1


def test_over_limit_record_quarantined_through_run(tmp_path):
    (tmp_path / "d.jsonl").write_bytes(orjson.dumps({"id": "big", "text": AR * 2000}) + b"\n" + GOOD + b"\n")
    cfg = Config().replace(run={"quiet": True}, io={"max_record_bytes": 10_000})
    o = _accounted(run(tmp_path / "d.jsonl", tmp_path / "out", cfg), tmp_path / "out")
    assert [r["id"] for r in o["kept"]] == ["good"] and o["quarantine"][0]["line"] == 1


def test_crlf_and_bom_give_the_same_documents_as_plain_lf(tmp_path):
    text = AR + "\n" + AR2
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "crlf.txt").write_bytes(text.replace("\n", "\r\n").encode())
    (tmp_path / "in" / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode())
    (tmp_path / "in" / "both.jsonl").write_bytes(b"\xef\xbb\xbf" + orjson.dumps({"id": "j1", "text": text}) + b"\r\n"
                                                 + orjson.dumps({"id": "j2", "text": text.replace("\n", "\r\n")}) + b"\r\n")
    o = _accounted(run(tmp_path / "in", tmp_path / "out", _cfg()), tmp_path / "out")
    # all four are the same document: the first survives, the others are exact duplicates
    assert [r["text"] for r in o["kept"]] == [text] and len(o["removed"]) == 3
    assert all(ENCODING_FIELD not in r for r in o["kept"])
    assert not any("\ufeff" in r["id"] or "\r" in r["text"] for r in o["kept"])


def test_utf16_txt_with_bom_is_decoded(tmp_path):
    (tmp_path / "w.txt").write_bytes(b"\xff\xfe" + AR.encode("utf-16-le"))
    o = _accounted(run(tmp_path / "w.txt", tmp_path / "out", _cfg()), tmp_path / "out")
    assert [(r["text"], r[ENCODING_FIELD]) for r in o["kept"]] == [(AR, "utf-16-le")]


def test_unreadable_file_is_quarantined(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_bytes(GOOD + b"\n")
    (tmp_path / "in" / "b.jsonl").write_bytes(GOOD + b"\n")
    real_open = open

    def deny(path, *args, **kwargs):  # root ignores chmod 000: deny b.jsonl like the kernel would
        if str(path).endswith("b.jsonl"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(readers, "open", deny, raising=False)
    o = _accounted(run(tmp_path / "in", tmp_path / "out", _cfg()), tmp_path / "out")
    assert o["quarantine"] == [{"source": "b.jsonl", "line": None, "error": "cannot open: Permission denied", "raw": ""}]
    assert [r["id"] for r in o["kept"]] == ["good"]


def test_read_error_mid_file_is_quarantined_and_run_goes_on(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_bytes(GOOD + b"\n" + b"x" * 100_000 + b"\n")
    (tmp_path / "in" / "b.jsonl").write_bytes(orjson.dumps({"id": "b", "text": AR2}) + b"\n")
    real_open = open

    class FailingDisk(io.RawIOBase):  # a bad sector after the first 4 KiB
        def __init__(self, path):
            self.fh, self.pos = real_open(path, "rb", buffering=0), 0

        def readable(self):
            return True

        def readinto(self, buf):
            if self.pos > 4096:
                raise OSError(errno.EIO, "Input/output error")
            n = self.fh.readinto(buf)
            self.pos += n
            return n

    def flaky(path, *args, **kwargs):
        return io.BufferedReader(FailingDisk(path), 4096) if str(path).endswith("a.jsonl") else real_open(path, *args, **kwargs)

    monkeypatch.setattr(readers, "open", flaky, raising=False)
    o = _accounted(run(tmp_path / "in", tmp_path / "out", _cfg()), tmp_path / "out")
    assert [r["id"] for r in o["kept"]] == ["good", "b"]
    (q,) = o["quarantine"]
    assert (q["source"], q["line"]) == ("a.jsonl", 2) and "Input/output error" in q["error"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads chmod 000 files; the monkeypatched test covers the path")
def test_unreadable_file_chmod_000(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_bytes(GOOD + b"\n")
    (tmp_path / "in" / "b.jsonl").write_bytes(GOOD + b"\n")
    os.chmod(tmp_path / "in" / "b.jsonl", 0)
    try:
        o = _accounted(run(tmp_path / "in", tmp_path / "out", _cfg()), tmp_path / "out")
    finally:
        os.chmod(tmp_path / "in" / "b.jsonl", 0o644)
    assert [q["source"] for q in o["quarantine"]] == ["b.jsonl"] and "Permission denied" in o["quarantine"][0]["error"]


def test_symlink_loops_dangling_links_and_fifos_are_skipped_with_warnings(tmp_path, capsys):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "sub" / "a.jsonl").write_bytes(GOOD + b"\n")
    (d / "sub" / "loop").symlink_to(d)  # directory loop
    (d / "x.jsonl").symlink_to(d / "y.jsonl")  # file loop x -> y -> x
    (d / "y.jsonl").symlink_to(d / "x.jsonl")
    (d / "dangling.jsonl").symlink_to(d / "nowhere.jsonl")
    os.mkfifo(d / "pipe.jsonl")  # would block a reader forever
    (d / "alias.jsonl").symlink_to(d / "sub" / "a.jsonl")  # the same file twice: read once
    warnings = []
    files = list_inputs([d], warn=warnings.append)
    assert [f.name for f in files] == ["alias.jsonl"]
    text = "\n".join(warnings)
    for what in ("loop: symlinked directory not followed", "x.jsonl: broken or looping symlink",
                 "dangling.jsonl: broken or looping symlink", "pipe.jsonl: not a regular file"):
        assert what in text
    stats = run(d, tmp_path / "out", Config())
    assert stats["documents_in"] == 1 and stats["documents_kept"] == 1
    assert "looping symlink" in capsys.readouterr().err


def test_duplicate_ids_across_files_are_separate_documents(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_bytes(orjson.dumps({"id": "same", "text": AR}) + b"\n")
    (tmp_path / "in" / "b.jsonl").write_bytes(orjson.dumps({"id": "same", "text": AR2}) + b"\n"
                                              + orjson.dumps({"id": "same", "text": AR}) + b"\n")
    o = _accounted(run(tmp_path / "in", tmp_path / "out", _cfg()), tmp_path / "out")
    assert [(r["id"], r["text"]) for r in o["kept"]] == [("same", AR), ("same", AR2)]
    # removed/ names file and line, so a repeated id stays unambiguous
    assert [(r["source"], r["line"], r["duplicate_of"]) for r in o["removed"]] == [("b.jsonl", 2, "same")]
    warnings, reader = [], Reader(warn=None)
    reader.warn = warnings.append
    for name in ("a.jsonl", "b.jsonl"):
        list(reader.read(InputFile(tmp_path / "in" / name, name, "jsonl", None)))
    assert reader.duplicate_ids == 2 and all("id 'same' was used before" in w for w in warnings)
    assert len(warnings) == 1  # once per file: b.jsonl:1 (b.jsonl:2 is counted, not shown)


def test_legacy_file_warns_once_and_counts_every_record(tmp_path):
    lines = [orjson.dumps({"id": i, "text": f"{AR2} {i}"}).decode().encode("cp1256") for i in range(30)]
    (tmp_path / "old.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    items, warnings, reader = _read(tmp_path / "old.jsonl")
    assert [i.record[ENCODING_FIELD] for i in items] == ["cp1256"] * 30
    assert reader.notes["legacy_encoding"] == 30 and len(warnings) == 1 and "old.jsonl:1: not UTF-8" in warnings[0]


def test_id_tracker_merges_runs():
    tracker = readers.IdTracker(pending_max=4)
    assert [tracker.seen(str(i)) for i in range(10)] == [False] * 10
    assert all(tracker.seen(str(i)) for i in range(10)) and len(tracker.sorted) == 8


STRICT_CASES = {
    "malformed": (b"d.jsonl", GOOD + b"\n{oops\n", "d.jsonl:2: malformed JSON"),
    "undecodable": (b"d.jsonl", GOOD + b'\n{"text": "caf\xe9"}\n', "d.jsonl:2: invalid UTF-8"),
    "no text": (b"d.jsonl", b'{"id": 1}\n', "d.jsonl:1: text field 'text' missing"),
    "binary txt": (b"d.txt", b"\x00\x01", "d.txt: binary content"),
    "truncated": (b"d.jsonl.gz", gzip.compress(GOOD * 500)[:100], "d.jsonl.gz:1: corrupt or truncated"),
}


@pytest.mark.parametrize("case", list(STRICT_CASES))
def test_strict_stops_at_first_bad_input_with_exit_2(tmp_path, capsys, case):
    name, data, message = STRICT_CASES[case]
    (tmp_path / name.decode()).write_bytes(data)
    assert main(["run", str(tmp_path / name.decode()), "-o", str(tmp_path / "out"), "--strict", "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and err.count("\n") == 0


def test_quarantine_warnings_are_rate_limited(tmp_path, capsys):
    (tmp_path / "d.jsonl").write_bytes(b"".join(b"{bad %d\n" % i for i in range(100)) + GOOD + b"\n")
    stats = run(tmp_path / "d.jsonl", tmp_path / "out", Config())
    err = capsys.readouterr().err.splitlines()
    assert stats["documents_quarantined"] == 100 and 20 <= len(err) <= 22
    assert all(len(line) < 400 for line in err)


# ---------------------------------------------------------------- write errors

class _FullDisk:
    """A file whose writes fail with ENOSPC once the shared ``budget[0]`` bytes are used up."""

    def __init__(self, fh, budget):
        self.fh, self.budget = fh, budget if isinstance(budget, list) else [budget]

    def write(self, data):
        self.budget[0] -= len(data)
        if self.budget[0] < 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.fh.write(data)

    def __getattr__(self, name):
        return getattr(self.fh, name)


@pytest.mark.parametrize("compression", ["none", "gzip"])
def test_disk_full_stops_with_one_line_and_no_incomplete_shard(tmp_path, monkeypatch, capsys, compression):
    docs = [{"id": str(i), "text": f"{AR} {i} " + " ".join(f"كلمة{i}x{j}" for j in range(20))} for i in range(50)]
    (tmp_path / "d.jsonl").write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in docs))
    real_open, budget = open, [6000 if compression == "none" else 1500]  # bytes the disk holds for kept/

    def full_open(path, mode="r", *args, **kwargs):
        fh = real_open(path, mode, *args, **kwargs)
        return _FullDisk(fh, budget) if "w" in mode and "kept" in str(path) else fh

    monkeypatch.setattr(writer_mod, "open", full_open, raising=False)
    code = main(["run", str(tmp_path / "d.jsonl"), "-o", str(tmp_path / "out"), "--shard-docs", "5",
                 "--compression", compression, "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 1 and err.count("\n") == 0 and "No space left on device" in err and "kept" in err
    kept = tmp_path / "out" / "kept"
    assert not list(kept.glob(".*.tmp"))  # no temporary left behind
    shards = sorted(kept.glob("part-*"))
    assert shards  # some shards were completed before the disk filled
    for shard in shards:  # ...and every shard under a final name is complete
        assert len(read_jsonl_dir_one(shard)) == 5
    assert not (tmp_path / "out" / "stats.json").exists()


def read_jsonl_dir_one(path):
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return [orjson.loads(line) for line in data.splitlines()]


def test_writer_error_leaves_no_temporary_and_raises_output_error(tmp_path):
    w = ShardedWriter(tmp_path / "kept", 10)
    w.write({"a": 1})
    w._out = _FullDisk(w._raw, 0)  # the next write fails as on a full disk
    with pytest.raises(OutputError, match="cannot write .*part-00000.jsonl.tmp"):
        w.write({"a": 2})
    assert list((tmp_path / "kept").iterdir()) == []


@pytest.mark.parametrize("compression", ["none", "gzip", "zstd"])
def test_sync_behind_writes_the_same_bytes(tmp_path, monkeypatch, compression):
    """The background syncs every SYNC_BEHIND bytes change nothing in the shards or manifests written."""
    records = [{"i": i, "text": f"{AR} {i}" * (i % 7 + 1)} for i in range(300)]

    def write(name):
        with ShardedWriter(tmp_path / name, 120, compression=compression, fingerprint="f") as w:
            for r in records:
                w.write(r)

    write("a")  # (8 MiB between syncs: none in this output)
    synced = []
    real = os.fdatasync
    monkeypatch.setattr(writer_mod, "SYNC_BEHIND", 200)
    monkeypatch.setattr(os, "fdatasync", lambda fd: (synced.append(fd), real(fd)))
    write("b")
    assert synced  # the background syncs ran
    files = {name: {p.name: p.read_bytes() for p in sorted((tmp_path / name).iterdir())} for name in "ab"}
    assert files["a"] == files["b"] and len(files["a"]) == 3  # same shards, no temporary left
    progress = [{p.name: p.read_bytes() for p in (tmp_path / PROGRESS / name).iterdir()} for name in "ab"]
    assert progress[0] == progress[1]  # same manifests
    assert [orjson.loads(line) for p in sorted((tmp_path / "b").glob("part-*")) for line in
            read_jsonl_dir_lines(p)] == records


def read_jsonl_dir_lines(path):
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    elif path.suffix == ".zst":
        data = zstandard.ZstdDecompressor().stream_reader(data).read()
    return data.splitlines()


def test_failed_background_sync_is_an_output_error_at_close(tmp_path, monkeypatch):
    """A background sync that fails (an I/O error of the disk) fails the shard's close: one OutputError
    naming the shard, no temporary file, nothing under a final name."""
    def broken(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(writer_mod, "SYNC_BEHIND", 50)
    monkeypatch.setattr(os, "fdatasync", broken)
    w = ShardedWriter(tmp_path / "kept", 1000)
    for i in range(20):
        w.write({"i": i, "pad": "x" * 20})
    with pytest.raises(OutputError, match="cannot write .*part-00000.jsonl.*Input/output error"):
        w.close()
    assert list((tmp_path / "kept").iterdir()) == []


def test_interrupted_shard_is_not_left_under_any_name(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with ShardedWriter(tmp_path / "kept", 3) as w:
            for i in range(4):
                w.write({"i": i})
            raise KeyboardInterrupt
    assert [p.name for p in (tmp_path / "kept").iterdir()] == ["part-00000.jsonl"]


# ---------------------------------------------------------------- resume

def _write_all(directory, records, **kw):
    with ShardedWriter(directory, 3, **kw) as w:
        for r in records:
            w.write(r)
    return w


def test_writer_resume_keeps_completed_shards_and_finishes(tmp_path):
    records = [{"i": i} for i in range(10)]
    ref = tmp_path / "ref" / "kept"
    _write_all(ref, records, fingerprint="f")
    out = tmp_path / "out" / "kept"
    with pytest.raises(KeyboardInterrupt):  # killed while writing shard 2
        with ShardedWriter(out, 3, fingerprint="f") as w:
            for r in records[:8]:
                w.write(r)
            raise KeyboardInterrupt
    (out / ".part-00002.jsonl.tmp").write_bytes(b'{"i": 6}\n')  # what SIGKILL leaves
    (out / "part-00001.jsonl").write_bytes(b"")  # a completed shard whose file was damaged afterwards
    before = (out / "part-00000.jsonl").stat().st_mtime_ns
    w = _write_all(out, records, resume=True, fingerprint="f")
    assert w.shards_reused == 1 and (out / "part-00000.jsonl").stat().st_mtime_ns == before
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {p.name: p.read_bytes() for p in ref.iterdir()}


def test_writer_resume_rewrites_on_other_fingerprint_and_drops_leftover_shards(tmp_path):
    out = tmp_path / "kept"
    _write_all(out, [{"i": i} for i in range(10)], fingerprint="old")
    w = _write_all(out, [{"j": i} for i in range(4)], resume=True, fingerprint="new")
    assert w.shards_reused == 0 and sorted(p.name for p in out.iterdir()) == ["part-00000.jsonl", "part-00001.jsonl"]
    assert sorted(p.name for p in (tmp_path / PROGRESS / "kept").iterdir()) == ["part-00000.jsonl.json", "part-00001.jsonl.json"]


def test_writer_resume_refuses_a_completed_shard_it_does_not_reproduce(tmp_path):
    out = tmp_path / "kept"
    _write_all(out, [{"i": i} for i in range(3)], fingerprint="f")
    with pytest.raises(ResumeError, match="--overwrite"):
        _write_all(out, [{"i": -i} for i in range(3)], resume=True, fingerprint="f")


def _corpus(path, n=3000):
    import random

    rnd = random.Random(7)
    vocab = [f"كلمة{i}" for i in range(3000)]
    lines = []
    for i in range(n):
        if i % 10 == 9:
            lines.append(lines[rnd.randrange(len(lines))])  # duplicates
        elif i % 97 == 0:
            lines.append(b'{"id": "broken", "text": ')  # bad lines
        else:
            lines.append(orjson.dumps({"id": str(i), "text": " ".join(rnd.choice(vocab) for _ in range(60))}))
    path.write_bytes(b"\n".join(lines) + b"\n")


def _parts(out):
    return {f"{part}/{p.name}": p.read_bytes() for part in ("kept", "removed", "quarantine") for p in sorted((out / part).glob("part-*"))}


#: runs the CLI with the writers in resume mode: the executor wiring of --resume, done from outside
DRIVER = """
import functools, sys
import dedupe.executors.local as L
from dedupe.io.writer import ShardedWriter
L.ShardedWriter = functools.partial(ShardedWriter, resume=True, fingerprint="test")
L.prepare_output = lambda out, *a, **k: out.mkdir(parents=True, exist_ok=True)
from dedupe.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _kill_mid_run(cmd, out, cwd):
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not (out / "kept" / "part-00003.jsonl").exists():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.005)
    assert proc.poll() is None, "the run finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (out / "stats.json").exists()


def _resume_test(tmp_path, cmd_for):
    src = tmp_path / "c.jsonl"
    _corpus(src)
    args = [str(src), "--shard-docs", "50", "--quiet"]
    subprocess.run([sys.executable, "-m", "dedupe", "run", *args, "-o", str(tmp_path / "ref")], check=True, cwd=ROOT)
    out = tmp_path / "out"
    _kill_mid_run(cmd_for(args, out, first=True), out, ROOT)
    done = len(list((out / "kept").glob("part-*")))
    assert 4 <= done < len(list((tmp_path / "ref" / "kept").glob("part-*")))
    subprocess.run(cmd_for(args, out, first=False), check=True, cwd=ROOT)
    assert _parts(out) == _parts(tmp_path / "ref")
    stats = orjson.loads((out / "stats.json").read_bytes())
    ref_stats = orjson.loads((tmp_path / "ref" / "stats.json").read_bytes())
    for key in ("documents_in", "documents_kept", "documents_removed", "documents_quarantined"):
        assert stats[key] == ref_stats[key]


def test_sigkill_then_resume_is_byte_identical_writer_level(tmp_path):
    """The writer's resume logic under a real SIGKILL, with the executor wired from a driver script."""
    _resume_test(tmp_path, lambda args, out, first: [sys.executable, "-c", DRIVER, "run", *args, "-o", str(out)])


_HAS_RESUME = "--resume" in build_parser()._subparsers._group_actions[0].choices["run"].format_help()


def test_sigkill_then_cli_resume_is_byte_identical(tmp_path):
    if not _HAS_RESUME:
        pytest.xfail("needs executor --resume")
    def cmd(args, out, first):
        return [sys.executable, "-m", "dedupe", "run", *args, "-o", str(out), *([] if first else ["--resume"])]
    _resume_test(tmp_path, cmd)


def test_existing_output_refused_unless_overwrite_or_resume(tmp_path, capsys):
    if not _HAS_RESUME:
        pytest.xfail("needs executor --resume")
    (tmp_path / "d.jsonl").write_bytes(GOOD + b"\n")
    base = ["run", str(tmp_path / "d.jsonl"), "-o", str(tmp_path / "out"), "--quiet"]
    assert main(base) == 0
    assert main(base) == 2 and "--overwrite" in capsys.readouterr().err
    assert main([*base, "--resume"]) == 0
    assert main([*base, "--overwrite"]) == 0


def test_accounting_failure_is_an_error_not_a_warning(tmp_path, monkeypatch, capsys):
    from dedupe.executors.local import LocalExecutor

    (tmp_path / "d.jsonl").write_bytes(GOOD + b"\n" + orjson.dumps({"id": "b", "text": AR2}) + b"\n")
    real_emitter = LocalExecutor._emitter

    def losing_emitter(self, *args, **kwargs):  # a bug that forgets to count one kept document
        emit, lost = real_emitter(self, *args, **kwargs), []

        def emit_and_lose(item):
            emit(item)
            if item is not None and item.reason is None and not lost:
                self.stats.counters["documents_kept"] -= 1
                lost.append(item)
        return emit_and_lose

    monkeypatch.setattr(LocalExecutor, "_emitter", losing_emitter)
    assert main(["run", str(tmp_path / "d.jsonl"), "-o", str(tmp_path / "out"), "--quiet"]) == 1
    assert "documents in (2) != kept + removed + quarantined" in capsys.readouterr().err


def test_reader_notes_reach_the_user_and_stats(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(b"")
    (tmp_path / "in" / "b.jsonl").write_bytes(GOOD + b"\n" + orjson.dumps({"id": "good", "text": AR2}).decode().encode("cp1256") + b"\n")
    stats = run(tmp_path / "in", tmp_path / "out", Config())
    if "input_notes" not in stats:
        pytest.xfail("needs the executor to pass warn= to Reader and write reader.notes (issue 6 patch)")
    err = capsys.readouterr().err
    assert "a.txt: empty file" in err and "b.jsonl:2: not UTF-8, decoded as cp1256" in err
    assert "b.jsonl:2: id 'good' was used before" in err
    assert stats["input_notes"] == {"duplicate_ids": 1, "empty_files": 1, "legacy_encoding": 1}
