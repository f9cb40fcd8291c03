"""Normalization: golden cases (including must-not-change) and hypothesis properties."""
import gzip
import json
import unicodedata
from pathlib import Path

import pytest
import xxhash
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import clean, match_key
from dedupe.text import chardata as cd
from dedupe.text.shingle import TokenHasher, unpack
from dedupe.text.normalize import (
    KEY_UNIFICATIONS,
    CleanOptions,
    KeyOptions,
    clean_by_rules,
    explain,
    is_persian_or_urdu,
    spaces,
)

DATA = Path(__file__).parent / "data" / "normalize_cases.json"
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
CASES = json.loads(DATA.read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden(case):
    options = CleanOptions(**case.get("options", {}))
    assert clean(case["input"], options) == case["clean"]
    assert clean_by_rules(case["input"], options) == case["clean"]
    assert match_key(case["input"]) == case["key"]
    if case["name"].startswith("must_not_change"):
        assert case["clean"] == case["input"]


KEY_EQUAL = [
    ("أحمد", "احمد"), ("إسلام", "اسلام"), ("آمن", "امن"), ("مدرسة", "مدرسه"), ("على", "علي"),
    ("مسؤول", "مسوول"), ("رئيس", "رييس"), ("كَتَبَ", "كتب"), ("کتاب", "كتاب"), ("فی", "في"),
    ("٢٠١٧", "2017"), ("۲۰۱۷", "2017"), ("قال: «نعم»، ثم؟", "قال نعم ثم"), ("Hello World", "hello world"),
    ("ٱلرَّحْمَٰنِ", "الرحمن"), ("إِنَّهُۥ", "انه"), ("ﷺ", "صلى الله عليه وسلم"),
]


def test_key_unifies_variants():
    for a, b in KEY_EQUAL:
        assert match_key(a) == match_key(b), (a, b)


def test_key_keeps_distinct_words_distinct():
    assert match_key("كتب") != match_key("كتاب")
    assert match_key("سلام عليكم") != match_key("سلامعليكم")
    assert match_key("ء") == "ء"  # lone hamza is a letter


def test_each_unification_can_be_turned_off():
    assert set(KEY_UNIFICATIONS) >= {"diacritics", "alef", "alef_maksura", "teh_marbuta", "hamza_on_waw",
                                     "hamza_on_yeh", "persian_letters", "digits", "punctuation", "casefold"}
    samples = {"diacritics": "كَتَبَ", "alef": "أحمد", "alef_maksura": "على", "teh_marbuta": "مدرسة",
               "hamza_on_waw": "مسؤول", "hamza_on_yeh": "رئيس", "persian_letters": "کتاب", "digits": "٢٠",
               "punctuation": "نعم!", "casefold": "Hello"}
    for name, word in samples.items():
        assert KeyOptions().key_of_clean(word) != word, name
        assert KeyOptions().without(name).key_of_clean(word) == word, name
    with pytest.raises(ValueError, match="choose from"):
        KeyOptions(unify=("alef", "hamza"))


def test_old_boolean_key_flags_still_work():
    assert KeyOptions(strip_diacritics=False).key_of_clean("كَتَبَ") == "كَتَبَ"
    assert KeyOptions(remove_punctuation=False).key_of_clean("نعم!") == "نعم!"
    assert KeyOptions(casefold=False).key_of_clean("Hello") == "Hello"


def test_explain_names_rules():
    assert [name for name, _ in explain("ﻻ\u0640\r\n")] == ["line_endings", "presentation_forms", "invisibles", "spaces"]
    assert [name for name, _ in explain("كَتَبَ ١", CleanOptions(True, True))] == ["strip_diacritics", "digits_to_ascii"]


def test_lone_tatweel_is_a_dash():
    """A tatweel between spaces is the dash of a byline or a list, not an elongation: it becomes an
    en dash instead of vanishing (which glued 'ماجد هود' to 'جدة'); inside a word it is dropped as before."""
    assert clean("ماجد هود ـ جدة") == "ماجد هود – جدة"
    assert clean("9 ـ حجج الالتجاء\nـ بند") == "9 – حجج الالتجاء\n– بند"
    assert clean("كـتـاب الـعـلـم") == "كتاب العلم"
    assert clean("ماجد هودـ جدة") == "ماجد هود جدة"  # glued to a word: an elongation
    assert match_key("ماجد هود ـ جدة") == match_key("ماجد هود جدة")
    assert [name for name, _ in explain("ماجد ـ جدة")] == ["tatweel_dash"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(["\u0640", " ", "\n", "\u00a0", "\t", "ب", "ـ", "x"]), max_size=40))
def test_lone_tatweel_matches_its_definition(s):
    """The find-based scan equals the plain definition: a tatweel run with whitespace or an edge on both sides."""
    import re

    from dedupe.text.normalize import _dash_lone_tatweel
    assert _dash_lone_tatweel(s) == re.sub(r"(?<!\S)\u0640+(?!\S)", "\u2013", s)


def test_spaces_keeps_paragraphs():
    assert spaces("a\u00a0\u00a0b  \n\n\n\nc ") == "a b\n\nc"


def test_document_language():
    assert is_persian_or_urdu("می\u200cخواهم که بگویم")
    assert is_persian_or_urdu("پاکستان کی حکومت نے کہا ہے")
    assert not is_persian_or_urdu("الْحَمْدُ لِلَّه\u200cِ کَانَ قَبْلَه\u200cُ")  # Sahifa: Arabic typed on a Persian keyboard
    assert not is_persian_or_urdu("قال الرئيس " * 50 + "پوتين")


# --- hypothesis -----------------------------------------------------------------

ARABIC = list("ابتثجحخدذرسشصضطظعغفقكلمنهوي") + list("أإآٱىةؤئءیکۀہۂےۓپگ")
MARKS = ["\u064b", "\u064e", "\u0650", "\u0651", "\u0652", "\u0653", "\u0654", "\u0655", "\u0670", "\u06e5", "\u06e1", "\u08f0"]
NOISE = ["\u0640", "\u200b", "\u200c", "\u200d", "\u200f", "\u202b", "\u2066", "\ufeff", "\u00ad"]
SPACE = [" ", "\n", "\r", "\r\n", "\u00a0", "\t", "\u2009", "\u3000", "\u2028"]
OTHER = ["a", "B", "é", "e\u0301", "Ω", "\u212b", "ж", "中", "א", "क", "\u093f", "😀", "1", ".", "،", "«", "»", "؟", "۝", "۞"]
DIGITS = list(cd.ARABIC_INDIC_DIGITS + cd.PERSIAN_DIGITS)
PRESENTATION = [chr(c) for c in cd.PRESENTATION_MAP][::7] + ["\ufefb", "\ufe8d", "\ufe70", "\ufe71", "\ufdfa"]

arabicish = st.lists(st.sampled_from(ARABIC + MARKS + NOISE + SPACE + OTHER + DIGITS + PRESENTATION), max_size=60).map("".join)
words = st.lists(st.sampled_from(ARABIC), min_size=1, max_size=8).map("".join)
arabic_text = st.lists(words, min_size=1, max_size=10).map(" ".join)
options = st.builds(CleanOptions, st.booleans(), st.booleans(), st.booleans())


@settings(deadline=None)
@given(arabicish, options)
def test_clean_idempotent_and_equals_rules(s, opts):
    once = clean(s, opts)
    assert clean(once, opts) == once
    assert clean_by_rules(s, opts) == once


@settings(deadline=None)
@given(arabicish)
def test_key_idempotent_and_through_clean(s):
    assert match_key(match_key(s)) == match_key(s)
    assert match_key(clean(s)) == match_key(s)


@settings(deadline=None)
@given(arabicish)
def test_key_is_word_local(s):
    # what lets shingle.TokenHasher memoize the key per word
    c = clean(s)
    assert " ".join(t for w in c.split() for t in KeyOptions().key_of_clean(w).split()) == match_key(s)
    hasher = TokenHasher()
    expected = [xxhash.xxh3_64_intdigest(t.encode()) for t in match_key(s).split()]
    assert list(unpack(b"".join(hasher.line_bytes(line) for line in c.split("\n")))) == expected


@settings(deadline=None)
@given(arabic_text, st.data())
def test_key_ignores_decoration(s, data):
    """Diacritics, tatweel, zero-width characters, alef/hamza swaps, digit script."""
    out = []
    for ch in s:
        if ch in "اأإآٱ" and data.draw(st.booleans()):
            ch = data.draw(st.sampled_from("اأإآٱ"))
        out.append(ch)
        if ch != " ":
            out.append(data.draw(st.sampled_from(["", "", "\u064e", "\u0651\u064f", "\u0640", "\u200b", "\u200c", "\u0670"])))
    assert match_key("".join(out)) == match_key(s)


def _presentation_of(text: str) -> str:
    inverse = {}
    for cp, letters in cd.PRESENTATION_MAP.items():
        inverse.setdefault(letters, chr(cp))
    return "".join(inverse.get(ch, ch) for ch in text)


@settings(deadline=None)
@given(arabic_text)
def test_key_ignores_presentation_forms_and_digit_script(s):
    assert match_key(_presentation_of(s)) == match_key(s)
    digits = "".join(str(ord(c) % 10) for c in s[:6])
    assert match_key(s + " " + digits.translate(str.maketrans("0123456789", cd.ARABIC_INDIC_DIGITS))) == \
        match_key(s + " " + digits.translate(str.maketrans("0123456789", cd.PERSIAN_DIGITS)))


def _base_letters(text: str) -> list[str]:
    # Arabic letters after compatibility decomposition, marks and tatweel dropped
    return [c for c in unicodedata.normalize("NFKD", text) if cd.ARABIC_LETTER.match(c)]


@settings(deadline=None)
@given(arabicish)
def test_clean_keeps_arabic_base_letters(s):
    assert _base_letters(clean(s)) == _base_letters(s)


OTHER_SCRIPTS = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=NOISE + ["\r", "\x85"],
                                      max_codepoint=0x1FFFF).filter(lambda c: not ("\u0600" <= c <= "\u08ff" or "\ufb50" <= c <= "\ufeff")),
                        max_size=40)


@settings(deadline=None)
@given(OTHER_SCRIPTS)
def test_clean_touches_other_scripts_only_in_whitespace(s):
    squeeze = lambda t: [c for c in unicodedata.normalize("NFC", t) if not c.isspace() and c not in cd.SPACES + cd.LINE_SEPARATORS]
    assert squeeze(clean(s)) == squeeze(s)


# --- real text, when ../shared is there ------------------------------------------------


@pytest.mark.skipif(not CORPORA.exists(), reason="needs ../shared/corpora")
@pytest.mark.parametrize("corpus", ["quran", "classical_diacritized", "persian", "urdu_news"])
def test_real_text_properties(corpus):
    with gzip.open(CORPORA / f"{corpus}.jsonl.gz", "rt", encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for _, line in zip(range(40), f)]
    for text in texts:
        c = clean(text)
        assert clean(c) == c
        assert clean_by_rules(text) == c
        assert _base_letters(c) == _base_letters(text)
        assert match_key(c) == match_key(text)
        if corpus in ("persian", "urdu_news"):
            assert is_persian_or_urdu(text)
        else:
            assert not is_persian_or_urdu(text)


def test_match_key_of_lone_tatweel_with_punctuation_kept_equals_key_of_clean():
    """A lone tatweel is written as an en dash by clean; with punctuation kept the key keeps that dash,
    on the accelerated path too (it used to delete the tatweel: '' instead of '–')."""
    options = KeyOptions().without("punctuation")
    for text in ("ـ", "محمد ـ الرياض", " ـ ", "ـــ"):
        assert match_key(text, options) == options.key_of_clean(clean(text))
    assert match_key("محمد ـ الرياض", options) == "محمد – الرياض"
