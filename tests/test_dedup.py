"""Near-duplicate variants of a seed are removed and name their survivor; distinct seeds stay."""
import random

import orjson

from dedupe import Config, run
from dedupe.text.chardata import DIACRITICS

from conftest import read_jsonl_dir

BASE = "004_9dd80b9f0afc2990.txt"


def respell(text: str) -> str:
    """Hamza/alef, yeh/alef maksura and teh marbuta/heh swapped wherever they occur."""
    return text.translate(str.maketrans({"أ": "ا", "إ": "ا", "ى": "ي", "ة": "ه", "آ": "ا"}))


def add_diacritics(text: str, seed: int = 0) -> str:
    rng = random.Random(seed)
    marks = [c for c in DIACRITICS if c in "\u064e\u064f\u0650\u0651\u0652"]
    return "".join(c + rng.choice(marks) if "\u0621" <= c <= "\u064a" and rng.random() < 0.5 else c for c in text)


def add_tatweel(text: str) -> str:
    return text.replace("ت", "ـتـ").replace("س", "سـ")


def other_chrome(text: str) -> str:
    return "الرئيسية\nالجمعة 17 مارس 2017 - 10:20 ص\n" + text + "\nشارك\nطباعة\nاقرأ أيضا: أخبار أخرى عن سوريا"


def drop_paragraph(text: str) -> str:
    lines = text.split("\n")
    return "\n".join(lines[:6] + lines[7:])


def presentation_forms(text: str) -> str:
    return text.replace("لا", "\ufefb").replace("ا", "\ufe8d")


VARIANTS = {
    "respelled": respell,
    "diacritics": add_diacritics,
    "tatweel": add_tatweel,
    "chrome": other_chrome,
    "dropped": drop_paragraph,
    "presentation": presentation_forms,
}


def _corpus(tmp_path, seeds):
    records = [{"id": name, "text": text} for name, text in seeds.items()]
    records += [{"id": f"variant-{k}", "text": f(seeds[BASE])} for k, f in VARIANTS.items()]
    (tmp_path / "c.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return tmp_path / "c.jsonl"


def test_variants_removed_with_duplicate_of_and_seeds_kept(tmp_path, seeds):
    stats = run(_corpus(tmp_path, seeds), tmp_path / "out", Config().replace(run={"quiet": True}))
    kept = [r["id"] for r in read_jsonl_dir(tmp_path / "out" / "kept")]
    removed = {r["id"]: r for r in read_jsonl_dir(tmp_path / "out" / "removed")}
    assert kept == sorted(seeds)
    assert set(removed) == {f"variant-{k}" for k in VARIANTS}
    for r in removed.values():
        assert r["duplicate_of"] == BASE
        assert r["reason"] in ("exact_duplicate", "near_duplicate")
        assert r["similarity"] >= 0.8
    # orthographic variants have the same match key as the original: exact duplicates
    for k in ("respelled", "diacritics", "tatweel", "presentation", "chrome"):
        assert removed[f"variant-{k}"]["reason"] == "exact_duplicate", k
    assert removed["variant-dropped"]["reason"] == "near_duplicate"
    assert stats["documents_removed"] == {"exact_duplicate": 5, "near_duplicate": 1}


def test_first_seen_survives(tmp_path, seeds):
    text = seeds[BASE]
    records = [{"id": "late", "text": drop_paragraph(text)}, {"id": "orig", "text": text}]
    (tmp_path / "c.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    run(tmp_path / "c.jsonl", tmp_path / "out", Config().replace(run={"quiet": True}))
    assert [r["id"] for r in read_jsonl_dir(tmp_path / "out" / "kept")] == ["late"]
    assert read_jsonl_dir(tmp_path / "out" / "removed")[0]["duplicate_of"] == "late"


def test_higher_threshold_keeps_the_dropped_paragraph_variant(tmp_path, seeds):
    config = Config().replace(run={"quiet": True}, dedup={"threshold": 0.99})
    run(_corpus(tmp_path, seeds), tmp_path / "out", config)
    assert "variant-dropped" in [r["id"] for r in read_jsonl_dir(tmp_path / "out" / "kept")]


def test_empty_documents_removed_with_reason(tmp_path):
    records = [{"id": "e1", "text": ""}, {"id": "e2", "text": " \u200b\u0640 \n"}, {"id": "e3", "text": "شارك\nطباعة"}]
    (tmp_path / "c.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    stats = run(tmp_path / "c.jsonl", tmp_path / "out", Config().replace(run={"quiet": True}))
    removed = read_jsonl_dir(tmp_path / "out" / "removed")
    assert [(r["id"], r["reason"], r["duplicate_of"]) for r in removed] == [
        ("e1", "empty_after_cleaning", None), ("e2", "empty_after_cleaning", None), ("e3", "empty_after_cleaning", None)]
    assert stats["documents_removed"] == {"empty_after_cleaning": 3}
