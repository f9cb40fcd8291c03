"""Fast self-checks of the benchmark code (no corpus needed).

Why: the labels are only as good as two invariants - orthographic variants must
leave the reference match key unchanged, and the evaluator must score the
"perfect" removal set as P = R = 1 and penalise losing a whole cluster.
"""

import json
import random

import pytest

from benchmarks.neardup import variants as V
from benchmarks.neardup.evaluate import evaluate
from benchmarks.neardup.truth_key import jaccard, match_key, text_shingles

TEXT = ("قال مسؤولون أفغان إن 14 جنديا أفغانيا قتلوا في حادث إطلاق نيران صديقة اليوم (الاثنين)، "
        "عندما نفذت قوات حلف شمال الأطلسي ضربة جوية على نقطة تفتيش في إقليم لوغار.\n"
        "وأوضح المتحدث أن الطائرة استهدفت المبنى عن طريق الخطأ في الساعة 10 صباحاً.\n"
        "وأضاف أن التحقيق جارٍ لمعرفة ملابسات الحادث مع الجانب الأمريكي.\n"
        "ولم يصدر تعليق فوري من الحلف على الحادثة حتى الآن.\n"
        "وكانت حوادث مماثلة قد وقعت خلال السنوات الماضية وأثارت توتراً بين كابول وواشنطن.")


def test_match_key_folds_orthography():
    assert match_key("أَحْمَدُ إلى مدرسةٍ ١٢ ﻻ") == match_key("احمد الي مدرسه 12 لا")
    assert match_key("ﺍﻟﻤﻤﻠﻜﺔ") == "المملكه"
    assert match_key("كـتـاب «مهم»، ی ک") == "كتاب مهم ي ك"


@pytest.mark.parametrize("kind", list(V.ORTHOGRAPHIC))
def test_orthographic_variants_keep_match_key(kind):
    variant = V.ORTHOGRAPHIC[kind](TEXT, random.Random(0))
    assert variant != TEXT
    assert match_key(variant) == match_key(TEXT)


@pytest.mark.parametrize("kind", list(V.STRUCTURAL) + ["combo"])
def test_structural_variants_change_text(kind):
    assert V.is_eligible(kind, TEXT)
    variant, _ = V.make_variant(kind, TEXT, random.Random(0))
    assert variant != TEXT
    assert jaccard(text_shingles(variant), text_shingles(TEXT)) < 1.0


def test_evaluator_perfect_and_cluster_loss():
    truth = {"docs": ["a", "b", "c", "x", "y"],
             "pairs": [{"a": "a", "b": "b", "jaccard": 0.9, "kind": "natural"},
                       {"a": "a", "b": "c", "jaccard": 0.85, "kind": "natural"},
                       {"a": "x", "b": "y", "jaccard": 0.6, "kind": "few_words"}]}
    perfect = evaluate(truth, {"b", "c"})
    assert perfect["precision"] == 1.0 and perfect["recall"] == 1.0
    lost = evaluate(truth, {"a", "b", "c"})
    assert lost["correct_removals"] == 0 and lost["false_positives"]["whole_cluster_removed"] == 3
    below = evaluate(truth, {"y"})
    assert below["precision"] == 0.0 and below["false_positives"]["best_pair_below_threshold"] == 1


def test_jaccard_basics():
    assert jaccard(set(), set()) == 1.0
    assert jaccard(text_shingles(TEXT), text_shingles(TEXT)) == 1.0


# ------------------------------------------------------------- second truth: on the pipeline's stripped text

COPYRIGHT = "جميع الحقوق محفوظة © 2015"
FOLLOW = "تابعونا على تويتر"
OTHER = ("أعلنت وزارة الصحة عن افتتاح مستشفى جديد في مدينة جدة بسعة خمسمائة سرير، "
         "ويضم أقساما متخصصة في أمراض القلب والأورام وجراحة الأطفال.\n"
         "وقال الوزير إن المشروع يأتي ضمن خطة لتطوير الخدمات الصحية في المنطقة الغربية.")


def test_pipeline_text_is_what_the_pipeline_keeps():
    """The stripped truth's text is exactly the text the pipeline keeps (and compares)."""
    from dedupe.api import deduplicate

    from benchmarks.neardup.stripped_truth import PipelineText

    records = [{"id": "a", "text": TEXT + "\n" + COPYRIGHT, "title": "x"},
               {"id": "b", "text": "  " + OTHER + "\n\n\n" + FOLLOW}]
    kept = {r["id"]: r["text"] for r in deduplicate([dict(r) for r in records])}
    stage = PipelineText()
    assert set(kept) == {"a", "b"}
    for i, rec in enumerate(records):
        assert stage(dict(rec), i) == kept[rec["id"]]
    assert COPYRIGHT not in stage(records[0])  # the chrome line itself is gone


def _bench(texts: dict[str, str], pairs: list[dict]):
    from benchmarks.neardup.truth_key import jaccard as jac, text_shingles as sh

    records = [{"id": d, "text": t} for d, t in texts.items()]
    for p in pairs:
        p.setdefault("jaccard", round(jac(sh(texts[p["a"]]), sh(texts[p["b"]])), 6))
    return records, {"docs": list(texts), "pairs": pairs, "params": {}}


def test_stripped_truth_rescores_pairs_and_finds_new_ones():
    from benchmarks.neardup.stripped_truth import build

    texts = {"orig": TEXT, "orig#other_chrome": TEXT + "\nخبر عاجل\nاقرأ المزيد", "x": OTHER,
             "y": OTHER + "\nرابط الخبر", "z": "نص آخر لا علاقة له بما سبق ولا يشبه أي وثيقة أخرى هنا أبدا"}
    records, raw = _bench(texts, [{"a": "orig", "b": "orig#other_chrome", "kind": "other_chrome", "detail": "d"}])
    # stand-in for the stripper: drop the known chrome lines (the test is about the truth, not the rules)
    chrome = {"خبر عاجل", "اقرأ المزيد", "رابط الخبر"}
    stripped = {d: "\n".join(l for l in t.split("\n") if l not in chrome) for d, t in texts.items()}
    truth = build(records, raw, texts=stripped)
    by_pair = {(p["a"], p["b"]): p for p in truth["pairs"]}
    planted = by_pair[("orig", "orig#other_chrome")]
    assert planted["kind"] == "other_chrome" and planted["detail"] == "d"
    assert planted["jaccard"] == 1.0 and planted["jaccard_raw"] < 1.0
    new = by_pair[("x", "y")]  # not in the given truth.json: found by the LSH pass over the stripped texts
    assert new == {"a": "x", "b": "y", "jaccard": 1.0, "kind": "natural", "new": True}
    assert not any("z" in (p["a"], p["b"]) for p in truth["pairs"])
    assert truth["docs"] == raw["docs"] and truth["params"]["definition"] == "stripped"
    assert truth["params"]["counts"]["docs_changed_by_stage"] == 2


def test_stripped_truth_kind_of_new_pairs_with_a_variant_is_derived():
    from benchmarks.neardup.stripped_truth import build

    texts = {"a": TEXT, "b#few_words": TEXT + "\nتابعونا"}
    records, raw = _bench(texts, [])
    truth = build(records, raw, texts={"a": TEXT, "b#few_words": TEXT})
    assert [(p["kind"], p["jaccard"]) for p in truth["pairs"]] == [("derived", 1.0)]


def test_stripped_truth_rejects_other_documents():
    from benchmarks.neardup.stripped_truth import build

    records, raw = _bench({"a": TEXT}, [])
    with pytest.raises(ValueError):
        build(records + [{"id": "extra", "text": OTHER}], raw, texts={"a": TEXT, "extra": OTHER})


def test_evaluate_side_by_side_and_caveat(tmp_path, capsys):
    """A removal the raw truth calls a false positive (other chrome) is correct under the stripped one;
    the CLI prints both, lists that removal and prints the circularity caveat."""
    from benchmarks.neardup import evaluate as ev
    from benchmarks.neardup.stripped_truth import CAVEAT

    raw = {"docs": ["a", "b", "c", "d", "d#tatweel"],
           "pairs": [{"a": "a", "b": "b", "jaccard": 0.77, "kind": "natural"},
                     {"a": "a", "b": "c", "jaccard": 0.9, "kind": "natural"},
                     {"a": "d", "b": "d#tatweel", "jaccard": 1.0, "kind": "tatweel"}]}
    stripped = {"docs": raw["docs"],
                "pairs": [{**raw["pairs"][0], "jaccard": 1.0}, raw["pairs"][1], raw["pairs"][2]],
                "params": {"definition": "stripped"}}
    removed = {"b", "c", "d#tatweel"}
    r_raw, r_str = ev.evaluate(raw, removed), ev.evaluate(stripped, removed)
    assert (r_raw["natural_precision"], r_str["natural_precision"]) == (0.5, 1.0)
    assert (r_raw["natural_recall"], r_str["natural_recall"]) == (1.0, 1.0)
    assert r_raw["natural_positives"] == 1 and r_str["natural_positives"] == 2
    assert r_raw["planted_recall"] == r_str["planted_recall"] == 1.0
    assert ev.correct_set(stripped, removed) - ev.correct_set(raw, removed) == {"b"}
    table = ev.format_compare({"raw": r_raw, "stripped": r_str})
    assert "1/2 = 0.5000" in table and "2/2 = 1.0000" in table

    (tmp_path / "truth.json").write_text(json.dumps(raw))
    (tmp_path / "truth_stripped.json").write_text(json.dumps(stripped))
    (tmp_path / "removed.json").write_text(json.dumps({"removed_ids": sorted(removed)}))
    out_json = tmp_path / "result.json"
    assert ev.main(["--truth", str(tmp_path / "truth.json"), "--removed", str(tmp_path / "removed.json"),
                    "--json-out", str(out_json)]) == 0
    out = capsys.readouterr().out
    assert "truth 'raw'" in out and "truth 'stripped'" in out and CAVEAT in out
    assert "removals correct only under 'stripped': 1 (b)" in out
    saved = json.loads(out_json.read_text())
    assert saved["natural_precision"] == 0.5 and saved["stripped"]["natural_precision"] == 1.0
    assert saved["stripped"]["correct_only_under_stripped"] == ["b"]
    ev.main(["--truth", str(tmp_path / "truth.json"), "--removed", str(tmp_path / "removed.json"), "--no-stripped"])
    assert "stripped" not in capsys.readouterr().out


def test_stripper_digest_tracks_the_code(tmp_path):
    from benchmarks.neardup.stripped_truth import stripper_digest

    (tmp_path / "dedupe" / "text").mkdir(parents=True)
    f = tmp_path / "dedupe" / "text" / "boilerplate.py"
    f.write_text("RULES = 1\n")
    before = stripper_digest(tmp_path)
    assert stripper_digest(tmp_path) == before
    f.write_text("RULES = 2\n")
    assert stripper_digest(tmp_path) != before
