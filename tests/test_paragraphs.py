"""In-document repeats: page-assembly repeats go, refrains stay."""
from dedupe import clean
from dedupe.text.normalize import match_key
from dedupe.text.paragraphs import repeated_paragraphs


def _keys(lines):
    return [match_key(clean(line)).split() for line in lines]


def _unique(n, tag):
    return [f"جملة {tag}{i} " + " ".join(f"كلمة{tag}{i}x{j}" for j in range(12)) for i in range(n)]


def test_a_pasted_block_is_removed_wherever_it_is():
    body = _unique(8, "a")
    lines = body + body[2:5] + _unique(6, "b")   # three paragraphs pasted again mid-document
    assert sorted(repeated_paragraphs(_keys(lines))) == [8, 9, 10]


def test_a_refrain_in_the_middle_stays():
    # Surah Ar-Rahman: the same verse between every other verse
    refrain = "فَبِأَيِّ آلَاءِ رَبِّكُمَا تُكَذِّبَانِ"
    verses = _unique(10, "v")
    lines = []
    for v in verses:
        lines += [v, refrain]
    dropped = repeated_paragraphs(_keys(lines))
    middle = [i for i in dropped if 3 <= i < len(lines) - 3]
    assert middle == []
    assert sum(1 for line in lines if line == refrain) - len(dropped) >= 8


def test_a_lone_repeat_at_the_edges_or_of_the_headline_is_removed():
    head, lead = "عنوان الخبر عن معركة الرقة اليوم وما بعدها من تطورات", _unique(1, "lead")[0]
    body = _unique(10, "m")
    lines = [head, lead] + body + [lead]                       # lead restated as the last line
    assert repeated_paragraphs(_keys(lines)) == {12: ("repeat", 1)}
    lines = [head, lead] + body[:5] + [head] + body[5:]        # headline printed again mid-document
    assert repeated_paragraphs(_keys(lines)) == {7: ("repeat", 0)}


def test_a_short_run_of_refrains_stays_but_a_pasted_block_goes():
    # Ash-Shu'ara repeats a pair of short verses after each story
    pair = ["إِنَّ فِي ذَٰلِكَ لَآيَةً وَمَا كَانَ أَكْثَرُهُم مُّؤْمِنِينَ", "وَإِنَّ رَبَّكَ لَهُوَ الْعَزِيزُ الرَّحِيمُ"]
    stories = _unique(12, "s")
    lines = []
    for k in range(0, 12, 3):
        lines += stories[k:k + 3] + pair
    lines += _unique(4, "end")
    dropped = repeated_paragraphs(_keys(lines))
    assert [i for i in dropped if 3 <= i < len(lines) - 3] == []


def test_a_short_line_whose_words_a_long_paragraph_contains_is_not_a_repeat():
    # saudinewsnet-2015-07-25-01189: a quoted letter's salutation after the sentence that names the addressee
    intro = ("صدر عن قيادة قوات التحالف بيان بشأن الالتزام بهدنة إنسانية في اليمن فيما يلي نصه استجابة لطلب "
             "فخامة الرئيس عبدربه منصور هادي رئيس الجمهورية اليمنية في رسالته الموجهة لأخيه خادم الحرمين "
             "الشريفين الملك سلمان بن عبدالعزيز آل سعود ملك المملكة العربية السعودية")
    salutation = "الأخ العزيز خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود"
    assert repeated_paragraphs(_keys([intro, salutation] + _unique(6, "l"))) == {}


def test_a_lead_restated_inside_a_longer_later_paragraph_stays_but_its_re_appended_copy_goes():
    # AlMayadeen: the lead (description) first, a concluding paragraph that restates it, the lead appended again
    lead = _unique(1, "lead")[0]
    conclusion = "وبالتالي فإن " + lead + " " + " ".join(f"تتمة{j}" for j in range(30))
    lines = [lead] + _unique(8, "m") + [conclusion, lead]
    assert repeated_paragraphs(_keys(lines)) == {10: ("repeat", 0)}


def test_a_pull_quote_restated_far_below_at_similar_length_stays():
    quote = _unique(1, "q")[0]
    lines = [quote] + _unique(8, "m") + ["لذلك، " + quote + " في النهاية"] + _unique(4, "n")
    assert repeated_paragraphs(_keys(lines)) == {}


def test_a_standfirst_right_above_the_fuller_first_paragraph_goes():
    # seed 004: the standfirst (2) and the first paragraph (3) that restates it with a few more words
    head = "فرار أسر قيادات داعش من الرقة قبل المعركة الكبرى"
    standfirst = ("نحو 300 من عائلات تنظيم داعش الأجانب فروا منذ فجر الجمعة من مدينة الرقة التي تواجه "
                  "هجوما عسكريا واسعا من قوات سوريا الديمقراطية")
    first = ("فر نحو 300 من عائلات تنظيم داعش الأجانب منذ فجر الجمعة من مدينة الرقة التي تواجه هجوما "
             "عسكريا واسعا من قوات سوريا الديمقراطية وفق المرصد السوري لحقوق الإنسان")
    assert repeated_paragraphs(_keys([head, standfirst, first] + _unique(8, "m"))) == {1: ("near_repeat", 2)}


def test_a_pasted_block_whose_second_copy_is_fuller_drops_the_first_copy():
    # saudinewsnet-2015-07-22-01343: two versions of the report one after the other, the second a little longer
    block = _unique(3, "p")
    fuller = [p + " أمس" for p in block]
    lines = _unique(2, "a") + block + _unique(3, "b") + fuller + _unique(3, "c")
    assert sorted(repeated_paragraphs(_keys(lines))) == [2, 3, 4]


def test_a_body_paragraph_restating_a_long_lead_stays_but_a_headline_repeat_goes():
    lead = _unique(1, "lead")[0] + " " + " ".join(f"تفصيل{j}" for j in range(8))   # 21 tokens: a lead
    body = _unique(10, "m")
    restated = "وأضاف أن " + lead
    assert repeated_paragraphs(_keys([lead] + body[:5] + [restated] + body[5:])) == {}
    head = "عنوان الخبر عن معركة الرقة اليوم وما بعدها من تطورات"                       # 11 tokens: a headline
    lines = [head] + body[:5] + [head.rsplit(" ", 1)[0]] + body[5:]                  # printed again, cut short
    assert repeated_paragraphs(_keys(lines)) == {6: ("near_repeat", 0)}


# --- may_repeat: the cheap pre-check must never hide a repeat --------------------------------------

from array import array as _array

from hypothesis import given as _given, settings as _settings, strategies as _st

from dedupe.text import native as _native_mod
from dedupe.text.paragraphs import may_repeat
from dedupe.text.shingle import unpack as _unpack

_PARAS = _st.lists(_st.lists(_st.integers(0, 12), max_size=30), max_size=10)


def _packed(paras, planted):
    lines = [_array("Q", p).tobytes() for p in paras]
    if planted and lines and len(paras[0]) >= 8:  # a near repeat: the first paragraph with one token changed
        copy = list(paras[0])
        copy[len(copy) // 2] = 99
        lines.append(_array("Q", copy).tobytes())
    return lines


@_settings(max_examples=400, deadline=None)
@_given(_PARAS, _st.booleans())
def test_may_repeat_never_hides_a_repeat(paras, planted):
    lines = _packed(paras, planted)
    found = repeated_paragraphs(list(map(_unpack, lines)))
    if found:
        assert may_repeat(lines)
    saved = _native_mod.AVAILABLE
    _native_mod.AVAILABLE = False
    try:
        python_answer = may_repeat(lines)
    finally:
        _native_mod.AVAILABLE = saved
    assert may_repeat(lines) == python_answer  # C and numpy twins agree
    if found:
        assert python_answer


def test_may_repeat_says_no_for_distinct_paragraphs():
    lines = [_array("Q", range(k * 100, k * 100 + 20)).tobytes() for k in range(5)]
    assert not may_repeat(lines)
    assert may_repeat(lines + [lines[2]])


def _may_repeat_both(lines):
    """(C answer, numpy answer); the C one is the numpy one when the accelerator is not built."""
    fast = may_repeat(lines)
    saved = _native_mod.AVAILABLE
    _native_mod.AVAILABLE = False
    try:
        return fast, may_repeat(lines)
    finally:
        _native_mod.AVAILABLE = saved


def test_may_repeat_at_the_containment_boundary():
    """Exactly NEAR_CONTAINMENT of a paragraph's bigrams shared counts (>=), on both paths."""
    a = list(range(100, 111))  # 10 distinct bigrams
    b = a[:9] + [7, 8]         # 8 of its 10 bigrams are a's
    lines = [_array("Q", p).tobytes() for p in (a, list(range(200, 230)), b)]
    assert _may_repeat_both(lines) == (True, True)
    b = a[:8] + [7, 8, 9]      # 7 of 10
    lines = [_array("Q", p).tobytes() for p in (a, b)]
    assert _may_repeat_both(lines) == (False, False)


@_settings(max_examples=300, deadline=None)
@_given(_st.lists(_st.lists(_st.integers(0, 60), min_size=6, max_size=60), max_size=25), _st.booleans())
def test_may_repeat_of_longer_paragraphs_agrees_with_numpy(paras, planted):
    """Many longer paragraphs over a wider vocabulary (a bigger bigram table, few exact repeats)."""
    fast, slow = _may_repeat_both(_packed(paras, planted))
    assert fast == slow
