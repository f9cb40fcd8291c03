"""Fast self-checks of the benchmark code (no corpus needed).

Why: the labels are only as good as two invariants - orthographic variants must
leave the reference match key unchanged, and the evaluator must score the
"perfect" removal set as P = R = 1 and penalise losing a whole cluster.
"""

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
