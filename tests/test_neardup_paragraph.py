"""Cross-document paragraph dedup and clitic-aware shingling."""
import orjson

from dedupe import Config, run
from dedupe.text.shingle import strip_clitics

from conftest import read_jsonl_dir

SHARED = "هذه فقرة مشتركة طويلة بما يكفي لكي تعد فقرة مكررة بين مقالين مختلفين تماما في الموضوع والمصدر والتاريخ والكاتب والصحيفة"
OWN = "وهذه فقرة خاصة بالمقال رقم {k} تتحدث عن موضوع مختلف لا يتكرر في أي مقال آخر من مقالات هذه المجموعة الصغيرة أبدا ولا بأي شكل " * 2


def _corpus(tmp_path):
    records = [{"id": "a", "text": SHARED + "\n" + OWN.format(k="الأول")},
               {"id": "b", "text": OWN.format(k="الثاني") + "\n" + SHARED},
               {"id": "c", "text": SHARED}]
    path = tmp_path / "p.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def test_paragraph_kept_in_first_document_only(tmp_path):
    for flags in ({}, {"clusters": True}):
        out = tmp_path / f"out{len(flags)}"
        stats = run(_corpus(tmp_path), out, Config().replace(dedup={"paragraph_dedup": True, **flags}, run={"quiet": True}))
        kept = {r["id"]: r["text"] for r in read_jsonl_dir(out / "kept")}
        removed = {r["id"]: r["reason"] for r in read_jsonl_dir(out / "removed")}
        assert SHARED in kept["a"] and SHARED not in kept["b"] and "الثاني" in kept["b"]
        assert removed == {"c": "too_short_after_paragraph_dedup"}  # never silently emptied
        assert stats["paragraphs_removed_across_documents"] == 1


def test_paragraph_dedup_off_by_default(tmp_path):
    out = tmp_path / "out"
    run(_corpus(tmp_path), out, Config().replace(run={"quiet": True}))
    assert all(SHARED in r["text"] for r in read_jsonl_dir(out / "kept"))


def test_strip_clitics():
    assert strip_clitics("والحكومه") == strip_clitics("الحكومه") == strip_clitics("حكومه") == "حكومه"
    assert strip_clitics("و") == "" and strip_clitics("ولد") == "ولد" and strip_clitics("كتاب") == "كتاب"
    assert strip_clitics("للطلاب") == "طلاب"
