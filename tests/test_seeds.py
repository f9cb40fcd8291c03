"""The five seed articles against GOLD.md (tests/data/GOLD.md), through the whole pipeline."""
from dedupe import Config, clean, run

from conftest import SAMPLES, read_jsonl_dir

# 1-based raw line numbers from GOLD.md
GOLD = {
    "000_8719b47e0c97273b.txt": {"keep": range(1, 7), "chrome": []},
    "001_2d1c5e011f2ea13a.txt": {
        "keep": [1, 6, 7, 9, 11, 12, 13, 14, 15, 16, 17, 19, 21, 22, 23, 24, 25, 26, 27, 29, *range(31, 39)],
        "chrome": [3, 4, 8, 18, 28, 40],
    },
    "002_f8a55f972cacf096.txt": {"keep": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "chrome": [12, 13]},
    "003_1f64b06ffc53c375.txt": {
        "keep": [3, 9, 11, 13, 15, 19, 21, 23, 25, 27, 31, 33],
        "chrome": [1, 7, 37, 39, 41, 43],
    },
    "004_9dd80b9f0afc2990.txt": {"keep": [1, *range(3, 17)], "chrome": [2]},
}


def _outputs(tmp_path, **run_overrides):
    config = Config().replace(run={"quiet": True, **run_overrides})
    stats = run(SAMPLES, tmp_path / "out", config)
    kept = {r["id"]: r for r in read_jsonl_dir(tmp_path / "out" / "kept")}
    return stats, kept


def test_all_five_seeds_kept_and_nothing_removed(tmp_path):
    stats, kept = _outputs(tmp_path)
    assert sorted(kept) == sorted(GOLD)
    assert stats["documents_in"] == 5 and stats["documents_kept"] == 5
    assert stats["documents_removed"] == {} and stats["documents_quarantined"] == 0


def test_gold_lines(tmp_path, seeds):
    _, kept = _outputs(tmp_path)
    for name, gold in GOLD.items():
        raw_lines = seeds[name].split("\n")
        out_lines = kept[name]["text"].split("\n")
        for n in gold["keep"]:
            line = clean(raw_lines[n - 1])
            assert out_lines.count(line) == 1, f"{name}:{n} content line missing or repeated: {line[:60]}"
        for n in gold["chrome"]:
            line = clean(raw_lines[n - 1])
            assert line not in out_lines, f"{name}:{n} chrome line kept: {line}"


def test_seed_000_body_appears_once(tmp_path, seeds):
    _, kept = _outputs(tmp_path)
    raw = seeds["000_8719b47e0c97273b.txt"].split("\n")
    assert kept["000_8719b47e0c97273b.txt"]["text"] == clean("\n".join(raw[:6]))


def test_seed_002_headline_once(tmp_path, seeds):
    _, kept = _outputs(tmp_path)
    headline = clean(seeds["002_f8a55f972cacf096.txt"].split("\n")[8])
    assert kept["002_f8a55f972cacf096.txt"]["text"].split("\n").count(headline) == 1


def test_stats_count_stripped_lines_and_repeats(tmp_path):
    stats, _ = _outputs(tmp_path)
    # 000: 5 repeats; 001: 6 chrome; 002: 1 repeat + 2 chrome; 003: 6 chrome (+ line 5 either way); 004: 1 near repeat
    assert stats["paragraphs_removed"] == 7
    assert 14 <= stats["lines_stripped"] <= 15
