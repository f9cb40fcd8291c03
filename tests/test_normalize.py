"""Normalization: golden cases (including must-not-change) and hypothesis properties."""
from hypothesis import given
from hypothesis import strategies as st

from dedupe import clean, match_key
from dedupe.text.normalize import explain

CLEAN_CASES = [
    ("ﻻ إلـه", "لا إله"),                       # lam-alef ligature, tatweel
    ("ﺑﺴﻢ", "بسم"),                              # presentation forms
    ("كتاب\u200c\u200fجديد", "كتابجديد"),       # ZWNJ and RLM removed
    ("a\u00a0\u00a0b\r\nc\r\rd", "a b\nc\n\nd"),
    ("  سطر  \n\n\n\nسطر  ", "سطر\n\nسطر"),
    ("كَتَبَ", "كَتَبَ"),                         # diacritics kept in the corpus
    ("٢٠١٧", "٢٠١٧"),                            # digits kept
    ("English TEXT, 2017!", "English TEXT, 2017!"),
]
KEY_EQUAL = [
    ("أحمد", "احمد"), ("إسلام", "اسلام"), ("آمن", "امن"), ("مدرسة", "مدرسه"), ("على", "علي"),
    ("مسؤول", "مسوول"), ("رئيس", "رييس"), ("كَتَبَ", "كتب"), ("کتاب", "كتاب"), ("فی", "في"),
    ("٢٠١٧", "2017"), ("۲۰۱۷", "2017"), ("قال: «نعم»، ثم؟", "قال نعم ثم"), ("Hello World", "hello world"),
]


def test_clean_cases():
    for raw, expected in CLEAN_CASES:
        assert clean(raw) == expected, raw


def test_key_unifies_variants():
    for a, b in KEY_EQUAL:
        assert match_key(a) == match_key(b), (a, b)


def test_key_keeps_distinct_words_distinct():
    assert match_key("كتب") != match_key("كتاب")
    assert match_key("سلام عليكم") != match_key("سلامعليكم")


def test_explain_names_rules():
    assert [name for name, _ in explain("ﻻ\u0640\r\n")] == ["presentation_forms", "invisibles", "line_endings", "spaces"]


arabicish = st.text(alphabet=st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهوي") + list("أإآٱىةؤئءیک٠١٢۳") + ["\u064e", "\u0651", "\u0640", "\u200c", "\u200f",
    " ", "\n", "\r", "\u00a0", "\ufefb", "\ufe8d", "،", "«", "»", ".", "a", "B", "1"]), max_size=80)


@given(arabicish)
def test_clean_idempotent(s):
    assert clean(clean(s)) == clean(s)


@given(arabicish)
def test_key_idempotent_and_through_clean(s):
    assert match_key(match_key(s)) == match_key(s)
    assert match_key(clean(s)) == match_key(s)


@given(arabicish)
def test_key_ignores_diacritics_and_tatweel(s):
    decorated = "".join(c + "\u064e" if "\u0627" <= c <= "\u064a" else c for c in s).replace("ل", "لـ")
    assert match_key(decorated) == match_key(s)
