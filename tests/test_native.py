"""The C accelerator (dedupe._native) gives exactly what the pure-Python code gives.

Each fast path is compared with its Python twin, switched on and off in-process
(``native.AVAILABLE``), on generated text (hypothesis) and on real corpus lines;
then a whole run is compared byte for byte with ``ARABIC_DEDUPE_PURE=1``.
"""
from __future__ import annotations

import gzip
import itertools
import os
import shutil
import subprocess
import sys

import numpy as np
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.sketch.minhash import MinHasher
from dedupe.text import native
from dedupe.text.normalize import DEFAULT_KEY, KeyOptions, clean, match_key
from dedupe.text.shingle import TokenHasher, shingle_hashes

from conftest import CORPORA as SHARED, ROOT, needs_native, pure


def test_accelerator_is_built_where_a_compiler_exists():
    """The extension is optional for users without a compiler; here one exists, so a failed build must show."""
    if os.environ.get("ARABIC_DEDUPE_PURE") == "1" or not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no compiler, or pure mode asked for")
    assert native.AVAILABLE, "dedupe._native did not build: run `python -m pip install -e .` and read the compiler error"


def test_skipped_blocks_hold_no_nfc_sensitive_character():
    import unicodedata

    for lo, hi in native._SKIPPED:
        for cp in range(lo, hi + 1):
            c = chr(cp)
            assert not unicodedata.combining(c) and not unicodedata.decomposition(c)
            assert 0xD800 <= cp <= 0xDFFF or unicodedata.is_normalized("NFC", c)


# Arabic letters and marks (incl. the composing hamza/madda marks), presentation forms, Persian/Urdu
# letters, invisibles and bidi controls, odd spaces and line breaks, Latin with combining accents, digits,
# punctuation, an astral emoji and CJK compatibility ideographs (NFC changes them).
ALPHABET = st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهوي") + list("أإآٱءؤئىة")
    + [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670", "\u06d6", "\u06e1", "\u0610", "\u0611"]
    + ["\u0618", "\u0619", "\u061a", "\u0316", "\u0317", "\u05b0", "\u05b8"]  # equal classes, other scripts
    + ["\ufefb", "\ufe8d", "\ufe81", "\ufc5e", "\ufdf2", "\ufb8e"]
    + list("یکەۀھہۂےۓپچگ") + list("٠١٢٩۰۴")
    + ["\u0640", "\u200b", "\u200c", "\u200d", "\u200e", "\u202b", "\ufeff", "\u00ad"]
    + [" ", " ", "\n", "\n", "\t", "\u00a0", "\u2003", "\r", "\u2028", "\x85", "\x0b"]
    + list("aZeé") + ["e\u0301", "\u0301", "\u0308", "\u212b"] + list("0,.!؟،«»-#@")
    + ["\U0001F600", "\uf900", "\U0002F800", "\u1100\u1161", "\u11a8"]
)
TEXTS = st.lists(ALPHABET, max_size=60).map("".join)


@needs_native
@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_clean_and_keys_equal_python(text):
    fast = (clean(text), match_key(text), DEFAULT_KEY.key_of_clean(clean(text)))
    with pure():
        slow = (clean(text), match_key(text), DEFAULT_KEY.key_of_clean(clean(text)))
    assert fast == slow


@needs_native
@settings(max_examples=150, deadline=None)
@given(TEXTS, st.sampled_from([("alef",), ("diacritics",), ("hamza_on_waw", "hamza_on_yeh"), ("casefold", "punctuation")]))
def test_keys_equal_python_with_steps_turned_off(text, off):
    options = KeyOptions().without(*off)
    fast = (match_key(text, options), options.key_of_clean(clean(text)))
    with pure():
        slow = (match_key(text, options), options.key_of_clean(clean(text)))
    assert fast == slow


@needs_native
@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_token_hashes_equal_python(text):
    line = clean(text).replace("\n", " ")
    fast = TokenHasher().line_bytes(line)
    with pure():
        slow = TokenHasher().line_bytes(line)
    assert fast == slow


@needs_native
@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), max_size=40), st.integers(1, 8), st.integers(1, 300), st.integers(0, 5))
def test_shingles_and_signatures_equal_numpy(tokens, ngram, num_perm, seed):
    arr = np.array(tokens, dtype=np.uint64)
    fast = shingle_hashes(arr, ngram)
    with pure():
        slow = shingle_hashes(arr, ngram)
    assert fast.dtype == slow.dtype == np.uint32 and np.array_equal(fast, slow)
    hasher = MinHasher(num_perm, seed)
    docs = [slow, slow[: len(slow) // 2], np.empty(0, dtype=np.uint32)]
    fast_sig = hasher.signatures(docs)
    with pure():
        slow_sig = hasher.signatures(docs)
    assert np.array_equal(fast_sig, slow_sig)


def _corpus_texts(limit: int) -> list[str]:
    texts = []
    for name in ("saudinewsnet", "almayadeen", "classical_diacritized", "quran", "persian", "urdu_news"):
        path = SHARED / f"{name}.jsonl.gz"
        if path.exists():
            with gzip.open(path, "rb") as f:
                texts += [orjson.loads(line)["text"] for line in itertools.islice(f, limit)]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus_samples").glob("*.txt"))]
    return texts


@needs_native
def test_real_text_equal_python():
    """Real corpora (six scripts and styles, up to 150 documents each) and the seeds: same clean text, keys and token hashes."""
    texts = _corpus_texts(150)
    fast_hasher = TokenHasher()
    fast = [(clean(t), match_key(t), [fast_hasher.line_bytes(line) for line in clean(t).split("\n")]) for t in texts]
    with pure():
        slow_hasher = TokenHasher()
        slow = [(clean(t), match_key(t), [slow_hasher.line_bytes(line) for line in clean(t).split("\n")]) for t in texts]
    assert len(fast) >= 5
    for a, b in zip(fast, slow):
        assert a == b


@needs_native
def test_whole_run_identical_in_pure_mode(tmp_path):
    """The CLI's kept/ and removed/ output is byte-identical with and without the accelerator."""
    inputs = [str(ROOT / "corpus_samples")]
    sample = tmp_path / "sample.jsonl"
    texts = _corpus_texts(120)
    with open(sample, "wb") as f:
        for i, t in enumerate(texts + texts[:40]):  # repeats: exact and near duplicates exist
            f.write(orjson.dumps({"id": f"d{i}", "text": t}) + b"\n")
    inputs.append(str(sample))
    outs = []
    for pure_mode in ("0", "1"):
        out = tmp_path / f"out{pure_mode}"
        env = {**os.environ, "ARABIC_DEDUPE_PURE": pure_mode}
        subprocess.run([sys.executable, "-m", "dedupe", "run", *inputs, "-o", str(out), "--quiet"],
                       check=True, env=env, cwd=tmp_path)
        outs.append({p.relative_to(out).as_posix(): p.read_bytes()
                     for p in sorted(out.rglob("*.jsonl*")) if p.parts[len(out.parts)] in ("kept", "removed")})
    assert outs[0] and outs[0] == outs[1]


@needs_native
def test_mark_sequences_reordered_like_nfc():
    """Every sequence of three marks (equal and different combining classes, Arabic and others) after a letter."""
    marks = ["\u064e", "\u0618", "\u0651", "\u0650", "\u061a", "\u0610", "\u0611", "\u0316", "\u05b0", "\u0654"]
    texts = [f"{base}{a}{b}{c} x" for base in ("ب", "a") for a in marks for b in marks for c in marks]
    fast = [clean(t) for t in texts]
    with pure():
        slow = [clean(t) for t in texts]
    assert fast == slow


@needs_native
@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_utf8_len_equals_encode(text):
    assert native.utf8_len(text) == len(text.encode())


def test_utf8_len_of_a_lone_surrogate_raises_like_encode():
    with pytest.raises(UnicodeEncodeError):
        native.utf8_len("a\ud800")


# --- clean's one-pass line endings and lone tatweels; join_kept -------------------------------------

# tatweel runs next to every kind of neighbour: spaces (plain, odd, line breaks, CR), letters, ZWNJ, marks
TATWEEL_TEXTS = st.lists(st.sampled_from(["\u0640", "\u0640", " ", "\n", "\r", "\r\n", "\t", "\u00a0", "\u2028",
                                          "ب", "a", "\u200c", "\u064e", "\u0654", "-"]), max_size=30).map("".join)


@needs_native
@settings(max_examples=400, deadline=None)
@given(TATWEEL_TEXTS)
def test_clean_of_tatweels_and_line_endings_equals_python(text):
    """The C pass reads CR/CRLF as LF and a lone tatweel run as a dash, as ``line_endings`` and ``tatweel_dash`` do."""
    from dedupe.text.normalize import clean_by_rules

    fast = clean(text)
    with pure():
        slow = clean(text)
    assert fast == slow == clean_by_rules(text)


def test_clean_of_a_long_tatweel_run_is_linear():
    """A run of tatweels inside a word is scanned once (not once per tatweel)."""
    text = "ب" + "\u0640" * 200_000 + "ب ـ"
    assert clean(text) == "بب –"


LINE_PARTS = st.sampled_from([" ", " ", "  ", "\n", "\t", "\u00a0", "\u3000", "ب", "كتاب", "a", "é", "\u2013",
                              "\U0001F600", "\u200c", "\x85"])
LINES = st.lists(st.one_of(st.just(""), st.just(" "), st.lists(LINE_PARTS, max_size=6).map("".join)), max_size=12)


def _join_kept_definition(lines, drop):
    from dedupe.text.normalize import spaces

    return spaces("\n".join([line for i, line in enumerate(lines) if i not in drop]))


@settings(max_examples=400, deadline=None)
@given(LINES, st.sets(st.integers(0, 12)))
def test_join_kept_equals_its_definition(lines, drop):
    """C (when built) and Python: ``spaces`` of the kept lines joined, for any drop set, dict or empty."""
    from dedupe.text.normalize import join_kept

    want = _join_kept_definition(lines, drop)
    for container in (drop, dict.fromkeys(drop, "rule")):
        got = join_kept(lines, container)
        assert got == want
        assert type(got) is str and got.isascii() == want.isascii()  # (same str, canonical kind)
        with pure():
            assert join_kept(lines, container) == want


@needs_native
def test_join_kept_of_real_documents_equals_its_definition():
    from dedupe.text.normalize import join_kept

    texts = _corpus_texts(60)
    assert texts
    for t in texts:
        lines = clean(t).split("\n")
        for drop in (set(), set(range(0, len(lines), 3)), {0, len(lines) - 1}):
            assert join_kept(lines, drop) == _join_kept_definition(lines, drop)


# --- strip_lines' per-line lists (Table.prep_lines, Table.has_phrase) -------------------------------

def _strip_parts():
    from dedupe.text import boilerplate as bp

    words = {w for p in bp.PHRASES for w in p.split()} | {"للتواصل", "خرى", "للكاتب", "رابط", "الخبر", "بصحيفة",
                                                         "جميع", "الحقوق", "محفوظة", "مع", "الكاتب", "أخرى"}
    return sorted(words) + [" ", " ", " ", "  ", "\t", "\u00a0", "\u2003", "\x85", "(", "★", "☆", "ـ", "\u200c",
                           "\U0001F600", "é", "a", ".", "/", "|", "»", "•", "جميع الحقوق محفوظة",
                           "للتواصل مع الكاتب", "رابط الخبر بصحيفة", "مقالات أخرى للكاتب", "click here"]


STRIP_PARTS = st.sampled_from(_strip_parts())
#: Lines around the bounds of strip_lines' first loop: blank, short, up to and past _KEYED_LEN characters
#: and _LONG_SPACES spaces (a long part repeated).
STRIP_LINE = st.one_of(
    st.just(""), st.lists(STRIP_PARTS | ALPHABET, max_size=20).map("".join),
    st.tuples(st.lists(STRIP_PARTS, max_size=8).map("".join), st.integers(1, 80),
              st.lists(STRIP_PARTS | ALPHABET, max_size=8).map("".join)).map(lambda t: t[0] * t[1] + t[2]),
    st.tuples(st.integers(0, 420), st.integers(0, 70), st.lists(STRIP_PARTS, max_size=6).map("".join))
    .map(lambda t: "ب" * t[0] + " x" * t[1] + t[2]),
)


def _prep(lines, gate=True):
    """strip_lines' call (with the gate: judged and filled too), or the call without the gate."""
    from dedupe.text import boilerplate as bp

    return bp._PREP_LINES(lines, bp._KEYED_LEN, bp._LONG_SPACES, bp._PHRASE_NEEDLES, bp._FOOTER_NEEDLES,
                          bp._RATING_MARKS, bp._MENU_SEPARATORS, *([bp._LONG_KEY_GATE] if gate else []))


def _assert_prep_equals_python(lines):
    from dedupe.text import boilerplate as bp

    fast, slow = _prep(lines), bp._line_lists(lines)
    assert fast == slow
    assert _prep(lines, gate=False) == (None if fast is None else fast[:7])  # (the call without the gate)
    assert [k.isascii() for k in fast[1]] == [k.isascii() for k in slow[1]]  # (same str, canonical kind)
    assert [max(map(ord, k), default=0) for k in fast[1]] == [max(map(ord, k), default=0) for k in slow[1]]


@needs_native
@settings(max_examples=400, deadline=None)
@given(st.lists(STRIP_LINE, max_size=12))
def test_prep_lines_equals_python(lines):
    """The C loop of strip_lines: spaces (partial past _KEYED_LEN), keys, their spaces, the phrase search of the
    keys, the lines with a footer word and the count of rating marks are those of ``_line_lists``."""
    _assert_prep_equals_python(lines)


@needs_native
@settings(max_examples=300, deadline=None)
@given(st.lists(STRIP_LINE, max_size=12), st.one_of(st.none(), STRIP_LINE))
def test_strip_lines_equals_pure(lines, title):
    from dedupe.text.boilerplate import strip_lines

    fast = strip_lines(lines, title, "محمد الكاتب")
    with pure():
        assert strip_lines(lines, title, "محمد الكاتب") == fast


@needs_native
@settings(max_examples=400, deadline=None)
@given(STRIP_LINE)
def test_has_phrase_equals_the_regex(line):
    from dedupe.text import boilerplate as bp

    want = bp._PHRASE_RE.search(f" {bp._key(line)} ") is not None
    assert bp._HAS_PHRASE(line, bp._PHRASE_NEEDLES) is want


@needs_native
def test_every_phrase_and_footer_word_is_found():
    """Each needle alone, at the start, in the middle and at the end of a line, and cut short or glued (no match)."""
    from dedupe.text import boilerplate as bp

    for p in bp.PHRASES:
        for line in (p, f"قال {p}", f"{p} اليوم", f"قال {p} اليوم", p[:-1], f"و{p}", f"{p}ه"):
            _assert_prep_equals_python([line])
            assert bp._HAS_PHRASE(line, bp._PHRASE_NEEDLES) is (bp._PHRASE_RE.search(f" {bp._key(line)} ") is not None)
        assert _prep([f"قال {p} اليوم"])[3]  # (glued, it may still hold a shorter phrase: 'الحقوق محفوظه')
    for w in bp._FOOTER_WORDS:
        for line in (w, f"نص{w}", f"{w}نص", w[1:], w[:-1]):
            _assert_prep_equals_python([line, "x " * 60 + line])
        assert _prep([f"نص{w}"])[4] == [0]


@needs_native
def test_whitespace_keys_to_nothing():
    """strip_lines counts the rating marks over all lines (not its filled ones): a line of whitespace only
    (str.isspace) must key to nothing."""
    from dedupe.text import boilerplate as bp

    for cp in range(0x110000):
        c = chr(cp)
        if c.isspace():
            assert bp._key(c * 2) == "" and bp._key(f"a{c}b") == "a b"


# Lines around prep_lines' gate (_LONG_KEY_CUES): 17 to 40 words (the bound is MAX_PREFIX_WORDS spaces), with
# or without a cue (alone or glued to a word), a first character after blanks (ASCII and not) that a link
# may start with, an end in one of _CREDIT_END_STOPS or not (the photo credit's words only count without
# one), a trailing blank; of each kind of str: ASCII only (1 byte), Arabic (2 bytes), with an emoji (4 bytes).
_GATE_WORDS = {"ascii": ["news", "the", "report", "said", "on", "city", "2015", "é"],
               "arabic": ["قال", "المتحدث", "الرسمي", "إن", "العمل", "مستمر", "في", "المشروع", "ـ", "news", "é"],
               "emoji": ["قال", "العمل", "news", "\U0001F600", "في\U0001F600"]}
_GATE_CUES = {"ascii": ["x", "X", "@", ":", "next", "Next Previous", "click here", "a@b.com"],
              "arabic": ["x", "X", "@", ":", "تصوير", "عدسة", "بعدسة", "تصوير:", "للتواصل", "خرى للكاتب",
                         "رابط الخبر بصحيفة", "جميع الحقوق محفوظة", "تصوي", "عدس"],
              "emoji": ["x", ":", "تصوير", "عدسة", "\U0001F600@"]}
_GATE_LEADS = ["", "", " ", "  ", "\t", "\u00a0", "\u2003", "\x85", "w", "W", "#", "+", "0", "[", "www.", " #",
               "\u00a0+", "\u2003[", "\u2003 0", "(", "★"]
_GATE_ENDS = ["", ".", ".", "»", ":", "؟", "!", "\"", " ", "\u00a0", "x", "ه", "\U0001F600", ". ", "،"]


@st.composite
def _gate_line(draw):
    kind = draw(st.sampled_from(sorted(_GATE_WORDS)))
    words = draw(st.lists(st.sampled_from(_GATE_WORDS[kind]), min_size=17, max_size=40))
    for cue in draw(st.just([]) | st.lists(st.sampled_from(_GATE_CUES[kind]), max_size=2)):  # (half without)
        at = draw(st.integers(0, len(words)))
        if at and draw(st.booleans()):
            words[at - 1] += cue  # glued: 'بعدسةمحمد', 'nextx'
        else:
            words.insert(at, cue)
    leads = [c for c in _GATE_LEADS if kind != "ascii" or c.isascii()]
    ends = [c for c in _GATE_ENDS if kind != "ascii" or c.isascii()]
    return draw(st.just("") | st.sampled_from(leads)) + " ".join(words) + draw(st.just(".") | st.sampled_from(ends))


GATE_LINE = _gate_line()
#: Documents of gate lines and the other lines of strip_lines (blank, whitespace only, short, past _KEYED_LEN
#: characters or _LONG_SPACES spaces), and at times a phrase in the last line only: the document's phrase
#: flag turns True at its end, when the gate passed the lines above.
GATE_DOC = st.tuples(st.lists(st.one_of(GATE_LINE, GATE_LINE, GATE_LINE, STRIP_LINE,
                                        st.sampled_from(["", " ", "\u2003", "\t \u00a0"])), max_size=10),
                     st.one_of(st.none(), STRIP_LINE, GATE_LINE, st.sampled_from(["جميع الحقوق محفوظة", "قال اضغط هنا",
                                                                                   "رابط RSS عين اليوم"]))
                     | st.sampled_from(["جميع الحقوق محفوظة", "click here"]),
                     ).map(lambda t: t[0] + ([] if t[1] is None else [t[1]]))


@needs_native
@settings(max_examples=300, deadline=None)
@given(GATE_DOC)
def test_prep_lines_gate_equals_python(lines):
    """judged (the lines _classify must judge, less the long keyed lines without a cue when no key has a
    phrase) and filled (a character that is not whitespace) are those of ``_line_lists``; strip_lines gives
    the same verdicts in C and pure."""
    from dedupe.text.boilerplate import strip_lines

    _assert_prep_equals_python(lines)
    fast = strip_lines(lines, None, "محمد الكاتب")
    with pure():
        assert strip_lines(lines, None, "محمد الكاتب") == fast


@needs_native
def test_prep_lines_gate_by_cue():
    """One long keyed line (MAX_PREFIX_WORDS spaces) with each cue: left open without any, judged with one,
    and judged in a document whose last line has a phrase; one word less, or a long line, decides alone."""
    from dedupe.text import boilerplate as bp

    body = " ".join(["قال المتحدث الرسمي إن العمل مستمر في المشروع"] * 3)  # 24 words
    body = " ".join(body.split()[:bp.MAX_PREFIX_WORDS + 1])
    assert bp._key(body).count(" ") == bp.MAX_PREFIX_WORDS

    def judged(lines):
        got = _prep(lines)
        assert got == bp._line_lists(lines)
        return got[7]

    for end in (".", "", "»", " .", "ه"):
        assert judged([body + end]) == [], end  # no cue: open
        assert judged([body + end, "جميع الحقوق محفوظة"]) == [0, 1]  # a phrase below: judged
    assert judged(["قال " * 19 + "قال."]) == [0]  # 19 spaces: a rule's bound
    assert judged(["قال " * 60 + "x"]) == []  # long: not a menu
    for cue in ("x", "X", "@", ":", "nextX", "a@b"):
        assert judged([f"{body} {cue}."]) == [0], cue
        assert judged([f"{cue} {body}."]) == [0], cue
    for word in ("تصوير", "عدسة", "بعدسة"):  # only in a line that does not end in one of _CREDIT_END_STOPS
        assert judged([f"{body} {word}"]) == [0] and judged([f"{body} {word} محمد"]) == [0]
        assert judged([f"{body} {word}."]) == [] and judged([f"{body} {word}»"]) == []
        assert judged([f"{body} {word}. "]) == [0]  # (its last character is a space)
    for word in bp._FOOTER_WORDS:
        assert judged([f"{body} {word}."]) == [0], word
    for lead in ("", " ", "  ", "\t", "\u00a0", "\u2003", "\u00a0\u2003"):
        for first in bp._LINK_FIRST:
            assert judged([f"{lead}{first}{body}."]) == [0], (lead, first)
        assert judged([f"{lead}{body}."]) == []
    assert judged(["", " ", "\u2003", body + ".", "\u00a0\t"]) == [1, 2, 4]  # blanks: judged when not empty
    assert _prep(["", " ", "\u2003", body + ".", "\u00a0\t", "ب"])[8] == [3, 5]  # filled: not whitespace only
    assert _prep(["\U0001F600", "\u200b", "\x1c", "ـ"])[8] == [0, 1, 3]  # (keyed to nothing, not whitespace)


@needs_native
def test_prep_lines_gate_argument():
    from dedupe.text import boilerplate as bp

    lines = ["قال " * 25 + "قال."]
    for bad in (1, (bp._FOOTER_NEEDLES,), (bp._PHRASE_NEEDLES, "", 20), [bp._LONG_KEY_GATE[0], "", 20],
                (bp._LONG_KEY_GATE[0], None, 20), (bp._LONG_KEY_GATE[0], "", "20")):
        with pytest.raises(TypeError):
            bp._PREP_LINES(lines, bp._KEYED_LEN, bp._LONG_SPACES, bp._PHRASE_NEEDLES, bp._FOOTER_NEEDLES,
                           bp._RATING_MARKS, bp._MENU_SEPARATORS, bad)
    full = _prep(lines)
    assert bp._PREP_LINES(lines, bp._KEYED_LEN, bp._LONG_SPACES, bp._PHRASE_NEEDLES, bp._FOOTER_NEEDLES,
                          bp._RATING_MARKS, bp._MENU_SEPARATORS, None) == full[:7]
    # another bound and first characters: the arguments, not boilerplate's constants
    gate = (bp._LONG_KEY_GATE[0], "ق", 30)
    assert bp._PREP_LINES(lines, bp._KEYED_LEN, bp._LONG_SPACES, None, None, "", None, gate)[7:] == ([0], [0])
    gate = (bp._LONG_KEY_GATE[0], "", 25)
    assert bp._PREP_LINES(lines, bp._KEYED_LEN, bp._LONG_SPACES, None, None, "", None, gate)[7:] == ([], [0])


@needs_native
def test_prep_lines_of_real_documents_equals_python():
    texts = _corpus_texts(150)
    assert texts
    for t in texts:
        _assert_prep_equals_python(clean(t).split("\n"))


# --- Substrings (trim_line's and strip_lines' substring scans) ---------------------------------------

def _trim_parts():
    from dedupe.text import boilerplate as bp

    return [n for n, _, _, _ in bp._TRIM_NEEDLES] + ["سمات", "Next", "Previous", "x", "ص", "خ", "ه", "ن", "ا", "r", "R",
                                                 "[email protected]", "اضغط هنا", "click here", "CLICK HERE",
                                                 " ", " ", "  ", ".", "،", "»", "عين اليوم", "سبق", "الرياض",
                                                 "\U0001F600", "é", "ـ", "\n"]


TRIM_TEXT = st.lists(st.sampled_from(_trim_parts()) | ALPHABET, max_size=40).map("".join)


def _flags_definition(text):
    from dedupe.text import boilerplate as bp

    flags = 0
    for needle, group, window, guard in bp._TRIM_NEEDLES:
        if needle in (text[-window:] if window else text) and not (guard and text[-1:] in guard):
            flags |= group
    return flags


@needs_native
@settings(max_examples=500, deadline=None)
@given(TRIM_TEXT, st.integers(0, 40))
def test_trim_flags_and_footer_scan_equal_python(text, pad):
    from dedupe.text import boilerplate as bp

    for t in (text, "ب" * pad + text, "a" * pad + text, text + " " * pad, "\U0001F600" * pad + text):
        assert bp._TRIM_FLAGS(t) == _flags_definition(t)
        assert bp._FOOTER_WITHIN(t) is any(w in t for w in bp._FOOTER_WORDS)


@needs_native
@settings(max_examples=400, deadline=None)
@given(TRIM_TEXT, st.booleans())
def test_trim_line_equals_pure(line, head):
    from dedupe.text.boilerplate import trim_line

    fast = trim_line(line, head)
    with pure():
        assert trim_line(line, head) == fast


@needs_native
def test_substrings_at_every_offset_and_kind():
    """Each needle at every offset around the 16-byte blocks, in str of the three kinds; more anchors than
    the block scan takes (every character read); windows; guards (a guarded needle found by its own block
    scan, only in a text that does not end in its guard: here the needle's own last character)."""
    many = [chr(c) + "q" for c in range(0x621, 0x621 + 20)]  # 20 distinct anchors
    cases = [(["للتواصل", "خرى للكاتب", "ab", "z"], None, None, None),
             (many, None, None, None),
             (["هنا", "ere", "x", "ـx"], [1, 2, 4, 8], [16, 16, 0, 3], None),
             (["سمات", "ab", "x", "q\U0001F600", "é"], [1, 2, 4, 8, 16], [0, 0, 0, 0, 3], ["ت.", "b", "", "\U0001F600", "é"])]
    for needles, groups, windows, guards in cases:
        scan = native.substrings(needles, "", groups, windows, guards)
        groups = groups or [1] * len(needles)
        windows = windows or [0] * len(needles)
        guards = guards or [""] * len(needles)
        for fill in ("ب", "a", "\U0001F600"):
            for n, g, w in zip(needles, groups, windows):
                for offset in range(0, 40):
                    for after in (0, 1, 5, 17):
                        t = fill * offset + n + fill * after
                        want = 0
                        for n2, g2, w2, u2 in zip(needles, groups, windows, guards):
                            if n2 in (t[-w2:] if w2 else t) and not (u2 and t[-1:] in u2):
                                want |= g2
                        assert scan.flags(t) == want, (n, offset, after, fill)
                        assert scan.within(t) is bool(want)


def _flags_lines_definition(scan, lines, skip=(), lead=0, lead_bit=0):
    """``Substrings.flags_lines`` by its definition: ``flags`` per line, 0 in ``skip``, ``lead_bit`` on the
    first ``lead`` non-empty lines not in ``skip``."""
    out = []
    for i, line in enumerate(lines):
        f = 0 if i in skip else scan.flags(line)
        if lead and line and i not in skip:
            f |= lead_bit
            lead -= 1
        out.append(f)
    return bytes(out)


#: Lines of the three str kinds: ASCII / Latin-1, Arabic (UCS-2), with an emoji (UCS-4); and empty ones.
TRIM_LINES = st.lists(st.one_of(st.just(""), TRIM_TEXT, TRIM_TEXT.map(lambda t: t + "\U0001F600"),
                                TRIM_TEXT.map(lambda t: "\U0001F600" + t),
                                st.lists(st.sampled_from(list("xX:-ab .éere") + ["protected]", "ERE"]),
                                         max_size=20).map("".join)), max_size=12)


@needs_native
@settings(max_examples=400, deadline=None)
@given(TRIM_LINES, st.sets(st.integers(0, 12)), st.integers(0, 5), st.sampled_from([0, 32, 64, 128]))
def test_flags_lines_equal_flags_per_line(lines, skip, lead, lead_bit):
    """trim_lines' scan: one C call gives each line's ``flags`` (the Python definition of _TRIM_NEEDLES), 0
    for the skipped ones, the lead bit on the first non-empty lines not skipped."""
    from dedupe.text import boilerplate as bp

    flags_lines = bp._TRIM_SCAN.flags_lines
    assert flags_lines(lines) == bytes(_flags_definition(line) for line in lines)
    assert flags_lines(lines) == bytes(bp._TRIM_FLAGS(line) for line in lines)
    want = _flags_lines_definition(bp._TRIM_SCAN, lines, skip, lead, lead_bit)
    assert flags_lines(lines, skip, lead, lead_bit) == want
    assert flags_lines(lines, dict.fromkeys(skip, "chrome"), lead, lead_bit) == want  # (a dict: StripStep's drop)
    assert flags_lines(lines, list(skip), lead, lead_bit) == want


@needs_native
def test_flags_lines_arguments():
    scan = native.substrings(["ab", "é"], "", [1, 128])
    assert scan.flags_lines([]) == b""
    assert scan.flags_lines(["", "xab", "é", "\U0001F600ab é"], None, 2, 64) == bytes([0, 65, 192, 129])
    assert scan.flags_lines(["ab", "ab", "ab"], {1: "x"}, 5, 2) == bytes([3, 0, 3])
    with pytest.raises(TypeError):
        scan.flags_lines(("ab",))  # a list only
    with pytest.raises(TypeError):
        scan.flags_lines(["ab", 3])
    with pytest.raises(ValueError):
        scan.flags_lines(["ab"], None, 1, 256)
    with pytest.raises(ValueError):
        native.substrings(["ab"], "", [256]).flags_lines(["ab"])
    with pytest.raises(ValueError):
        native.substrings(["ab", "c"], "", None, None, ["."])  # one guard per needle
    with pytest.raises(TypeError):
        native.substrings(["ab"], "", None, None, [None])


@needs_native
def test_trim_line_of_real_lines_equals_pure():
    from dedupe.text.boilerplate import trim_line

    lines = [line for t in _corpus_texts(150) for line in clean(t).split("\n") if line]
    assert lines
    fast = [trim_line(line, head) for line in lines for head in (False, True)]
    with pure():
        assert [trim_line(line, head) for line in lines for head in (False, True)] == fast


@needs_native
def test_long_menu_lines_are_judged_like_python():
    """A long line is a menu or nothing: prep_lines lists the ones with three separators and a phrase."""
    from dedupe.text import boilerplate as bp

    menu = "العنوان رابط RSS عين اليوم » " * 20
    no_phrase = "العنوان رابط عين اليوم » " * 20
    few_seps = "العنوان رابط RSS عين اليوم " * 20 + "» »"
    lines = [menu, no_phrase, few_seps, "نص " * 80 + "/ / /", ""]
    _assert_prep_equals_python(lines)
    assert _prep(lines)[6] == [0]
    verdicts = bp.strip_lines(lines)
    assert verdicts[0] == "menu" and verdicts[1:] == [None] * 4
    with pure():
        assert bp.strip_lines(lines) == verdicts


# --- the per-code-point fast tables of Table.clean / Table.hashes and the branch-free runs --------------

# Code points at the edges of the fast tables and of the string kinds (NUL, the ends of Latin-1, of the
# 2-byte UTF-8 letters and of the BMP, the noncharacters the tables use as tags, astral ones), with what the
# fast paths leave to the full one: CR, CRLF, lone and inner tatweels, the ZWNJ clean watches, combining marks
# (reordered, or composing under NFC), long multi replacements (U+FDFA, U+FDFD) and ligatures.
EDGE = st.sampled_from(
    ["\x00", "\x01", "\x7f", "\x80", "\x85", "\xa0", "\xa1", "\xad", "\xff", "\u0100", "\u07ff", "\u0800",
     "\ufdfa", "\ufdfd", "\ufefb", "\ufffd", "\ufffe", "\uffff", "\U00010000", "\U0010ffff", "\U0001F600",
     " ", " ", "\n", "\n\n\n", "\r", "\r\n", "\t", "\u2028", "\u0640", "\u0640\u0640", "\u200c",
     "\u064e", "\u0650\u064e", "\u0654", "\u0301", "e\u0301", "\u0316", "ب", "كتاب", "a"])
EDGE_TEXTS = st.one_of(
    st.lists(st.one_of(ALPHABET, EDGE), max_size=80).map("".join),
    st.lists(st.sampled_from([chr(c) for c in range(0x100)]), max_size=60).map("".join),  # 1-byte kind
    st.lists(st.sampled_from(["ب", " ", "\n", "\u064e", "\u0640", "\r", "\U0001F600"]), max_size=60).map("".join),
)


@needs_native
@settings(max_examples=600, deadline=None)
@given(EDGE_TEXTS)
def test_clean_fast_table_equals_python(text):
    """Table.clean's cleanfast table and branch-free runs: same str (so the same canonical kind) as Python."""
    fast = clean(text)
    with pure():
        slow = clean(text)
    assert fast == slow


@needs_native
@settings(max_examples=300, deadline=None)
@given(EDGE_TEXTS, st.sampled_from([-1, 0x0640, ord("ب"), ord("a"), 0x064E]),
       st.sampled_from([-1, 0x200C, ord("ب"), ord("a"), 0x064E, 0x0301, 0xFFFD]))
def test_clean_fast_table_follows_lone_and_watch(text, lone, watch):
    """The cleanfast table is built for the `lone` and `watch` of the call (and rebuilt when they change):
    a table that served other arguments answers like a new one; the watch flag says whether the text has it."""
    from dedupe.text.normalize import _DASH_CP, _TATWEEL_CP, _ZWNJ_CP, _native_clean

    shared = _native_clean()
    shared.clean(text, _TATWEEL_CP, _DASH_CP, _ZWNJ_CP)
    got = shared.clean(text, lone, _DASH_CP, watch)
    assert got == _native_clean.__wrapped__().clean(text, lone, _DASH_CP, watch)
    if got is not None and watch >= 0:
        assert bool(got[2]) == (chr(watch) in got[0])
    assert shared.clean(text, _TATWEEL_CP, _DASH_CP, _ZWNJ_CP) == _native_clean.__wrapped__().clean(
        text, _TATWEEL_CP, _DASH_CP, _ZWNJ_CP)


def _lines_bytes_or_error(lines, skip):
    try:
        return TokenHasher().lines_bytes(lines, skip)
    except UnicodeEncodeError:
        return "UnicodeEncodeError"


@needs_native
@settings(max_examples=500, deadline=None)
@given(st.one_of(EDGE_TEXTS, st.lists(st.one_of(EDGE, st.sampled_from(["\ud800", "\udfff"])), max_size=40).map("".join)),
       st.sampled_from(["set", "dict", "empty", "tuple"]), st.sets(st.integers(0, 6)))
def test_token_hashes_fast_table_equal_python(text, container, drop):
    """Table.hashes_lines' utf8fast table and two passes, on raw and cleaned lines of every kind, with each kind
    of skip container: the same bytes as Python (or the same error on a lone surrogate)."""
    skip = {"set": drop, "dict": dict.fromkeys(drop, "rule"), "empty": {}, "tuple": tuple(drop)}[container]
    for lines in (text.split("\n"), clean(text.replace("\ud800", "").replace("\udfff", "")).split("\n")):
        fast = _lines_bytes_or_error(lines, skip)
        with pure():
            slow = _lines_bytes_or_error(lines, skip)
        assert fast == slow


EDGE_LINES = st.lists(st.lists(st.one_of(LINE_PARTS, st.sampled_from(["\xff", "\u0100", "\uffff", "\U0010ffff", "\x00",
                                                                      "\n\n\n", " \n ", "\u200b"])),
                               max_size=8).map("".join), max_size=12)


@settings(max_examples=400, deadline=None)
@given(EDGE_LINES, st.sets(st.integers(0, 12)))
def test_join_kept_branch_free_equals_its_definition(lines, drop):
    """join_tidy's branch-free loop for each pair of line and result kinds: the same str (same kind) as the definition."""
    from dedupe.text.normalize import join_kept

    want = _join_kept_definition(lines, drop)
    for container in (drop, dict.fromkeys(drop, "rule")):
        assert join_kept(lines, container) == want
