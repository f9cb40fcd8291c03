"""The CLI contract: flags, exit codes, outputs, one real subprocess run."""
import json
import subprocess
import sys

import orjson
import pytest

from tqdm import tqdm

from dedupe.cli import main

from conftest import SAMPLES, read_jsonl_dir


def test_run_on_samples_in_process(tmp_path, capsys):
    assert main(["run", str(SAMPLES), "-o", str(tmp_path / "out"), "--workers", "2", "--compression", "gzip"]) == 0
    summary = capsys.readouterr().out
    assert "documents in: 5" in summary and "kept: 5" in summary and "MB/s" in summary
    stats = json.loads((tmp_path / "out" / "stats.json").read_text())
    for key in ("documents_in", "documents_kept", "documents_removed", "documents_quarantined",
                "lines_stripped", "paragraphs_removed", "bytes_in", "bytes_out", "seconds", "settings"):
        assert key in stats
    assert stats["settings"]["run"]["workers"] == 2 and stats["settings"]["io"]["compression"] == "gzip"
    assert len(read_jsonl_dir(tmp_path / "out" / "kept")) == 5


def test_bad_usage_exits_2(tmp_path, capsys):
    assert main(["run", str(tmp_path / "missing"), "-o", str(tmp_path / "out")]) == 2
    assert "input not found" in capsys.readouterr().err
    assert main(["run", str(SAMPLES), "-o", str(tmp_path / "out"), "--threshold", "1.5"]) == 2
    assert "--threshold must be in (0, 1]" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["run", str(SAMPLES)])  # no -o
    assert exc.value.code == 2


def test_strict_exit_2_names_file_and_line(tmp_path, capsys):
    (tmp_path / "d.jsonl").write_bytes(b'{"text": "\xd9\x86\xd8\xb5"}\n{oops\n')
    assert main(["run", str(tmp_path / "d.jsonl"), "-o", str(tmp_path / "out"), "--strict"]) == 2
    assert "d.jsonl:2: malformed JSON" in capsys.readouterr().err


def test_text_and_id_fields(tmp_path):
    (tmp_path / "d.jsonl").write_bytes(orjson.dumps({"doc": "k1", "body": "نص عربي قصير"}) + b"\n")
    assert main(["run", str(tmp_path / "d.jsonl"), "-o", str(tmp_path / "out"), "--text-field", "body",
                 "--id-field", "doc", "--quiet"]) == 0
    assert read_jsonl_dir(tmp_path / "out" / "kept") == [{"doc": "k1", "body": "نص عربي قصير", "id": "k1"}]


def test_config_file_and_flag_override(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[dedup]\nthreshold = 0.9\nnum_perm = 64\n[io]\nshard_docs = 2\n')
    assert main(["run", str(SAMPLES), "-o", str(tmp_path / "out"), "--config", str(cfg), "--threshold", "0.7", "--quiet"]) == 0
    settings = json.loads((tmp_path / "out" / "stats.json").read_text())["settings"]
    assert settings["dedup"]["threshold"] == 0.7 and settings["dedup"]["num_perm"] == 64
    assert len(list((tmp_path / "out" / "kept").glob("part-*"))) == 3


def test_audit_lists_stripped_lines_with_rules(tmp_path):
    assert main(["run", str(SAMPLES), "-o", str(tmp_path / "out"), "--audit", "--quiet"]) == 0
    audit = read_jsonl_dir(tmp_path / "out" / "audit")
    rules = {(a["id"], a["text"]): a["rule"] for a in audit}
    assert rules[("001_2d1c5e011f2ea13a.txt", "شارك")] == "lexicon"
    assert rules[("000_8719b47e0c97273b.txt", audit[0]["text"])] == "repeat"


def test_real_subprocess_run(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "dedupe", "run", str(SAMPLES), "-o", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "kept: 5" in proc.stdout
    help_text = subprocess.run([sys.executable, "-m", "dedupe", "run", "--help"], capture_output=True, text=True).stdout
    for flag in ("--workers", "--threshold", "--compression", "--shard-docs", "--text-field", "--id-field", "--strict", "--quiet"):
        assert flag in help_text


def test_subprocess_exit_codes_and_piped_summary(tmp_path):
    """``python -m dedupe`` ends with ``os._exit`` (``cli.entry``): the exit code and the summary
    printed to a pipe (block-buffered) still reach the caller, and every output is complete."""
    run = [sys.executable, "-m", "dedupe", "run"]
    bad = subprocess.run(run + [str(tmp_path / "missing"), "-o", str(tmp_path / "o")], capture_output=True, text=True)
    assert bad.returncode == 2 and "input not found" in bad.stderr
    usage = subprocess.run(run + [str(SAMPLES)], capture_output=True, text=True)  # argparse: no -o
    assert usage.returncode == 2 and "-o" in usage.stderr
    (tmp_path / "d.jsonl").write_bytes(b'{"text": "\xd9\x86\xd8\xb5"}\n{oops\n')
    strict = subprocess.run(run + [str(tmp_path / "d.jsonl"), "-o", str(tmp_path / "s"), "--strict"],
                            capture_output=True, text=True)
    assert strict.returncode == 2 and "d.jsonl:2: malformed JSON" in strict.stderr
    ok = subprocess.run(run + [str(SAMPLES), str(tmp_path / "d.jsonl"), "-o", str(tmp_path / "out"), "--workers", "2"],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "documents in: 7   kept: 6" in ok.stdout and "quarantined: 1" in ok.stdout
    stats = json.loads((tmp_path / "out" / "stats.json").read_text())
    assert stats["documents_kept"] == len(read_jsonl_dir(tmp_path / "out" / "kept")) == 6
    assert len(read_jsonl_dir(tmp_path / "out" / "quarantine")) == 1


def test_key_keep_turns_a_match_key_step_off(tmp_path):
    (tmp_path / "d.jsonl").write_bytes(
        orjson.dumps({"id": "a", "text": "ذهب الطالب إلى المدرسة في الصباح الباكر مع أصدقائه"}) + b"\n"
        + orjson.dumps({"id": "b", "text": "ذهب الطالب إلى المدرسه في الصباح الباكر مع أصدقائه"}) + b"\n")
    assert main(["run", str(tmp_path / "d.jsonl"), "-o", str(tmp_path / "o1"), "--quiet"]) == 0
    assert [r["id"] for r in read_jsonl_dir(tmp_path / "o1" / "removed")] == ["b"]
    assert main(["run", str(tmp_path / "d.jsonl"), "-o", str(tmp_path / "o2"), "--quiet", "--key-keep", "teh_marbuta",
                 "--threshold", "0.99"]) == 0
    assert read_jsonl_dir(tmp_path / "o2" / "removed") == []
    settings = json.loads((tmp_path / "o2" / "stats.json").read_text())["settings"]
    assert "teh_marbuta" not in settings["normalize"]["key_unify"]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_progress_bar_on_a_terminal_reaches_the_input_size(tmp_path, capsys, monkeypatch, workers):
    """On a terminal the run shows a byte progress bar that ends at 100 % (JSON lines sent in blocks,
    .txt files item by item); with --quiet, or when stderr is not a terminal, nothing is drawn."""
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.jsonl").write_bytes(b"".join(orjson.dumps({"id": str(i), "text": f"نص رقم {i} " * 30}) + b"\n"
                                           for i in range(300)))
    (src / "b.txt").write_text((SAMPLES / sorted(p.name for p in SAMPLES.glob("*.txt"))[0]).read_text(encoding="utf-8"),
                               encoding="utf-8")
    size = sum(p.stat().st_size for p in src.iterdir())
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["run", str(src), "-o", str(tmp_path / "out"), "--workers", workers]) == 0
    err = capsys.readouterr().err
    shown = tqdm.format_sizeof(size)
    assert "dedupe: 100%" in err and f"| {shown}/{shown} [" in err
    assert main(["run", str(src), "-o", str(tmp_path / "q"), "--workers", workers, "--quiet"]) == 0
    assert "dedupe:" not in capsys.readouterr().err
