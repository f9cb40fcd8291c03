"""The streaming API makes the CLI's decisions."""
from dedupe import Config, deduplicate, run

from conftest import SAMPLES, read_jsonl_dir


def test_streaming_matches_cli(tmp_path, seeds):
    records = [{"id": n, "text": t} for n, t in seeds.items()]
    records += [{"id": "copy", "text": seeds["001_2d1c5e011f2ea13a.txt"].replace("أ", "ا")}]
    removed = []
    kept = list(deduplicate(records, Config(), removed=removed))
    assert [r["id"] for r in kept] == sorted(seeds)
    assert removed == [{"id": "copy", "reason": "exact_duplicate", "duplicate_of": "001_2d1c5e011f2ea13a.txt", "similarity": 1.0}]
    run(SAMPLES, tmp_path / "out", Config().replace(run={"quiet": True}))
    cli_texts = {r["id"]: r["text"] for r in read_jsonl_dir(tmp_path / "out" / "kept")}
    assert {r["id"]: r["text"] for r in kept} == cli_texts


def test_streaming_is_lazy():
    def endless():
        i = 0
        while True:
            yield {"text": f"وثيقة رقم {i} " + " ".join(f"كلمة{i}_{j}" for j in range(10))}
            i += 1

    stream = deduplicate(endless(), Config().replace(run={"batch_docs": 4}))
    assert [next(stream)["id"] for _ in range(3)] == ["0", "1", "2"]


def test_streaming_applies_paragraph_dedup_like_cli(tmp_path):
    shared = " ".join(f"كلمة{i}" for i in range(30))
    records = [
        {"id": "a", "text": shared + "\n" + " ".join(f"اولى{i}" for i in range(60))},
        {"id": "b", "text": shared + "\n" + " ".join(f"ثانية{i}" for i in range(60))},
    ]
    config = Config().replace(dedup={"paragraph_dedup": True})
    kept = list(deduplicate(records, config))
    assert [r["id"] for r in kept] == ["a", "b"]
    assert shared not in kept[1]["text"] and shared in kept[0]["text"]
