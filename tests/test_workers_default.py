"""``workers = "auto"`` by default: how it resolves, how it is spelled, and that the output does not change."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dedupe import config as config_module
from dedupe.api import run
from dedupe.cli import build_parser, config_from_args, main
from dedupe.config import AUTO_WORKERS_MAX, Config, RunConfig, available_cpus
from dedupe.errors import ConfigError

from conftest import SAMPLES


def test_default_is_auto():
    assert RunConfig().workers == "auto" and Config().run.workers == "auto"


@pytest.mark.parametrize("given, expected", [("auto", "auto"), (" AUTO ", "auto"), ("Auto", "auto"), (1, 1), (3, 3), ("4", 4)])
def test_workers_spellings(given, expected):
    assert RunConfig(workers=given).workers == expected


@pytest.mark.parametrize("bad", [0, -2, "0", "x", "", 1.5, True, None])
def test_bad_workers_are_refused(bad):
    with pytest.raises(ConfigError, match="--workers"):
        RunConfig(workers=bad)


def test_auto_resolution(monkeypatch):
    big = config_module.AUTO_WORKERS_MIN_BYTES
    for cpus, expected in ((1, 1), (2, 2), (3, 3), (AUTO_WORKERS_MAX, AUTO_WORKERS_MAX), (64, AUTO_WORKERS_MAX)):
        monkeypatch.setattr(config_module, "available_cpus", lambda n=cpus: n)
        assert RunConfig().resolved_workers(big) == expected
        assert RunConfig().resolved_workers() == expected  # size unknown: by CPUs only
        assert RunConfig().resolved_workers(big - 1) == 1  # small input: in-process
    monkeypatch.setattr(config_module, "available_cpus", lambda: 64)
    for n in (1, 2, 16):  # an explicit count is used as given, whatever the input size and CPUs
        assert RunConfig(workers=n).resolved_workers(0) == n
        assert RunConfig(workers=n).resolved_workers(10 * big) == n


def test_available_cpus_follows_the_affinity_mask(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3, 5}, raising=False)
    assert available_cpus() == 3
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert available_cpus() == 1
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert available_cpus() == 6


def test_cli_and_toml_spellings(tmp_path, capsys):
    parser = build_parser()
    assert config_from_args(parser.parse_args(["run", "x", "-o", "y"])).run.workers == "auto"
    assert config_from_args(parser.parse_args(["run", "x", "-o", "y", "--workers", "auto"])).run.workers == "auto"
    assert config_from_args(parser.parse_args(["run", "x", "-o", "y", "--workers", "3"])).run.workers == 3
    for bad in ("0", "two", "1.5"):
        with pytest.raises(SystemExit) as exc:
            parser.parse_args(["run", "x", "-o", "y", "--workers", bad])
        assert exc.value.code == 2
        assert "--workers" in capsys.readouterr().err
    for value, expected in (('"auto"', "auto"), ("2", 2)):
        (tmp_path / "c.toml").write_text(f"[run]\nworkers = {value}\n")
        assert Config.from_toml(tmp_path / "c.toml").run.workers == expected
        # a flag overrides the file
        args = parser.parse_args(["run", "x", "-o", "y", "--config", str(tmp_path / "c.toml"), "--workers", "1"])
        assert config_from_args(args).run.workers == 1
    (tmp_path / "c.toml").write_text("[run]\nworkers = 0\n")
    with pytest.raises(ConfigError, match="--workers must be >= 1"):
        Config.from_toml(tmp_path / "c.toml")


def test_help_says_auto():
    text = subprocess.run([sys.executable, "-m", "dedupe", "run", "--help"], capture_output=True, text=True).stdout
    assert "--workers N|auto" in text and "Default auto" in text


def _outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("part-*"))}


def test_stats_record_the_workers_used(tmp_path, capsys):
    assert main(["run", str(SAMPLES), "-o", str(tmp_path / "auto"), "--quiet"]) == 0
    stats = json.loads((tmp_path / "auto" / "stats.json").read_text())
    assert stats["settings"]["run"]["workers"] == "auto"
    assert stats["workers"] == 1  # five small documents: in-process
    assert main(["run", str(SAMPLES), "-o", str(tmp_path / "two"), "--quiet", "--workers", "2"]) == 0
    stats = json.loads((tmp_path / "two" / "stats.json").read_text())
    assert stats["settings"]["run"]["workers"] == 2 and stats["workers"] == 2
    assert _outputs(tmp_path / "auto") == _outputs(tmp_path / "two")


def test_auto_with_a_pool_gives_the_same_bytes(tmp_path, monkeypatch, seeds):
    """``auto`` past the size threshold on a multi-CPU machine runs a pool; the output is still that of one worker."""
    src = tmp_path / "c.jsonl"
    lines = [json.dumps({"id": f"{name}-{i}", "text": text}, ensure_ascii=False)
             for i in range(3) for name, text in seeds.items()]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = run(src, tmp_path / "one", Config().replace(run={"workers": 1, "quiet": True, "batch_docs": 2}))
    monkeypatch.setattr(config_module, "AUTO_WORKERS_MIN_BYTES", 0)
    monkeypatch.setattr(config_module, "available_cpus", lambda: 3)
    auto = run(src, tmp_path / "auto", Config().replace(run={"quiet": True, "batch_docs": 2}))
    assert one["workers"] == 1 and auto["workers"] == 3
    assert auto["settings"]["run"]["workers"] == "auto"
    assert _outputs(tmp_path / "one") == _outputs(tmp_path / "auto") != {}
    assert one["documents_kept"] == auto["documents_kept"] and one["documents_removed"] == auto["documents_removed"]
