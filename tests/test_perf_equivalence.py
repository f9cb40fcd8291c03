"""The per-document fast paths give what the code before them gave.

Each is compared with a *reference*: the old pure-Python definition, kept here
where the package's own pure path was restructured (``repeated_paragraphs``,
``StripStep.process``), else the unchanged pure path switched on in-process
(``native.AVAILABLE``) or ``str.encode``. Generated input (hypothesis) and real
corpus documents.
"""
from __future__ import annotations

import dataclasses
import gzip
import itertools
from array import array
from functools import lru_cache
from unittest import mock

import numpy as np
import orjson
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dedupe.config import Config
from dedupe.document import Document
from dedupe.stats import Stats
from dedupe.steps import local
from dedupe.steps.local import StripStep
from dedupe.text import boilerplate, native
from dedupe.text.boilerplate import HEAD_ZONE
from dedupe.text.normalize import clean, spaces
from dedupe.text.paragraphs import (
    MIN_EXACT_TOKENS, MIN_NEAR_TOKENS, NEAR_CONTAINMENT, NEAR_LENGTH_SHARE, _assembly_repeats, may_repeat,
    repeated_paragraphs,
)
from dedupe.text.shingle import TokenHasher, unpack

from conftest import CORPORA as SHARED, ROOT, needs_native, pure


@lru_cache(maxsize=None)
def _documents(limit: int) -> list[str]:
    """Up to ``limit`` cleaned texts of each shared corpus, and the seeds."""
    texts = []
    for path in sorted(SHARED.glob("*.jsonl.gz")):
        with gzip.open(path, "rb") as f:
            texts += [orjson.loads(line)["text"] for line in itertools.islice(f, limit)]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus_samples").glob("*.txt"))]
    return [clean(t) for t in texts]


# --- the old definition of in-document repeats (before _PairedParagraphs) -----------------------------

def _reference_repeated_paragraphs(keys):
    """``repeated_paragraphs`` as it was: bigram sets per paragraph, near matches by brute-force intersection."""
    dropped = {}
    if sum(1 for toks in keys if toks) < 2:
        return dropped
    first_seen, live, in_block_only, prev = {}, {}, set(), -1
    for i, toks in enumerate(keys):
        if not toks:
            continue
        before, prev = prev, i
        key = tuple(toks)
        if key in first_seen:
            if len(toks) >= MIN_EXACT_TOKENS:
                dropped[i] = ("repeat", first_seen[key])
            continue
        first_seen[key] = i
        if len(toks) < MIN_NEAR_TOKENS:
            continue
        mine = frozenset(zip(toks, toks[1:]))
        best = None
        for j, theirs in live.items():
            n = len(mine & theirs)
            small, large = sorted((len(mine), len(theirs)))
            if n and n >= NEAR_CONTAINMENT * small and small >= NEAR_LENGTH_SHARE * large \
                    and (best is None or (-n, j) < (-best[1], best[0])):
                best = (j, n)
        match = None if best is None else best[0]
        if match is not None:
            if len(live[match]) >= len(mine):
                dropped[i] = ("near_repeat", match)
                continue
            if match == before:
                dropped[match] = ("near_repeat", i)
                del live[match]
            elif match not in dropped:
                dropped[match] = ("near_repeat", i)
                in_block_only.add(match)
        live[i] = mine
    return dict(sorted(_assembly_repeats(dropped, keys, in_block_only).items()))


def _reference_near_pairs(lines):
    """What ``_native.near_pairs`` computes, from Python sets of token pairs."""
    keys = [unpack(b) for b in lines]
    grams = [frozenset(zip(k, k[1:])) if len(k) >= MIN_NEAR_TOKENS else None for k in keys]
    sizes = [len(g) if g is not None else 0 for g in grams]
    pairs = {}
    for i, mine in enumerate(grams):
        for j in range(i):
            theirs = grams[j]
            if mine is None or theirs is None:
                continue
            n = len(mine & theirs)
            small, large = sorted((len(mine), len(theirs)))
            if n and n >= NEAR_CONTAINMENT * small and small >= NEAR_LENGTH_SHARE * large:
                pairs.setdefault(i, []).append((j, n))
    return sizes, pairs


def _packed(paras):
    return [array("Q", p).tobytes() for p in paras]


# few distinct tokens: many shared bigrams, near and exact repeats, long and short lines
_PARA = st.lists(st.integers(0, 9), max_size=40)


@st.composite
def _documents_of_paragraphs(draw):
    paras = draw(st.lists(_PARA, max_size=14))
    for _ in range(draw(st.integers(0, 4))):  # copies, some edited: near repeats
        if not paras:
            break
        copy = list(draw(st.sampled_from(paras)))
        for _ in range(draw(st.integers(0, 3))):
            if copy:
                copy[draw(st.integers(0, len(copy) - 1))] = draw(st.integers(0, 30))
        copy += draw(st.lists(st.integers(0, 30), max_size=4))
        paras.insert(draw(st.integers(0, len(paras))), copy)
    return paras


@settings(max_examples=600, deadline=None)
@given(_documents_of_paragraphs())
def test_repeated_paragraphs_equal_the_old_definition(paras):
    lines = _packed(paras)
    expected = _reference_repeated_paragraphs([list(p) for p in paras])
    assert repeated_paragraphs([list(p) for p in paras]) == expected  # plain token lists: the Python path
    assert repeated_paragraphs(list(map(unpack, lines))) == expected  # packed: C when built
    with pure():
        assert repeated_paragraphs(list(map(unpack, lines))) == expected


@needs_native
@settings(max_examples=600, deadline=None)
@given(_documents_of_paragraphs())
def test_near_pairs_equal_python_sets(paras):
    lines = _packed(paras)
    sizes, pairs = native._native.near_pairs(list(map(unpack, lines)), MIN_NEAR_TOKENS, NEAR_CONTAINMENT,
                                             NEAR_LENGTH_SHARE)
    ref_sizes, ref_pairs = _reference_near_pairs(lines)
    assert sizes == ref_sizes
    assert {i: sorted(p) for i, p in pairs.items()} == ref_pairs
    assert native._native.near_pairs(lines, MIN_NEAR_TOKENS, NEAR_CONTAINMENT, NEAR_LENGTH_SHARE)[0] == sizes


def test_near_pairs_at_the_thresholds():
    """Exactly NEAR_CONTAINMENT of the smaller one's bigrams shared, exactly NEAR_LENGTH_SHARE of the length."""
    base = list(range(11))                    # 10 distinct bigrams
    paras = [base,
             base[:9] + [50, 51],             # 8 of its 10 shared with base: a pair
             base[:8] + [70, 71, 72],         # 7 of 10: no pair
             base + list(range(100, 110)),    # 20 bigrams holding all 10 of base: base is half as long, a pair
             base + list(range(200, 211))]    # 21: base is under half as long, no pair with it
    lines = _packed(paras)
    ref_sizes, ref_pairs = _reference_near_pairs(lines)
    assert ref_sizes == [10, 10, 10, 20, 21]
    assert (0, 8) in ref_pairs[1] and 2 not in ref_pairs and (0, 10) in ref_pairs[3]
    assert 0 not in dict(ref_pairs.get(4, ()))
    if native.AVAILABLE:
        sizes, pairs = native._native.near_pairs(lines, MIN_NEAR_TOKENS, NEAR_CONTAINMENT, NEAR_LENGTH_SHARE)
        assert (sizes, {i: sorted(p) for i, p in pairs.items()}) == (ref_sizes, ref_pairs)
    assert repeated_paragraphs(list(map(unpack, lines))) == _reference_repeated_paragraphs(paras)


def test_live_paragraphs_index_mode_equals_the_old_definition():
    """Past ``INDEX_AT`` live paragraphs the Python path switches to its bigram index."""
    rng = np.random.default_rng(7)
    paras = [list(rng.integers(0, 40, int(rng.integers(8, 30)))) for _ in range(150)]
    paras += [p[:-1] + [99] for p in paras[:40:3]] + [p + [98, 97] for p in paras[50:90:4]]
    paras = [paras[k] for k in rng.permutation(len(paras))]
    expected = _reference_repeated_paragraphs(paras)
    assert expected  # the test has near repeats to find
    with pure():
        assert repeated_paragraphs(list(map(unpack, _packed(paras)))) == expected
    assert repeated_paragraphs(list(map(unpack, _packed(paras)))) == expected


def test_many_long_paragraphs_skip_the_all_pairs_listing(monkeypatch):
    """A page of thousands of near-identical lines: listing every near pair up front is quadratic
    (5,000 lines took 4 s and 1.2 GB), the sequential search is not; past MAX_PARAGRAPHS long
    paragraphs the answer comes from it, equal to the old definition."""
    from dedupe.text import paragraphs

    limit = paragraphs._PairedParagraphs.MAX_PARAGRAPHS
    paras = [list(range(20)) + [1000 + i] for i in range(limit + 1)]
    expected = _reference_repeated_paragraphs(paras)
    assert len(expected) == limit  # all but the first are near repeats of it

    def refuse(*args):
        raise AssertionError("all-pairs listing used past MAX_PARAGRAPHS")

    monkeypatch.setattr(paragraphs, "_PairedParagraphs", type("P", (), {"MAX_PARAGRAPHS": limit, "__new__": refuse}))
    assert repeated_paragraphs(list(map(unpack, _packed(paras)))) == expected


def test_real_documents_repeats_equal_the_old_definition():
    hasher = TokenHasher()
    checked = 0
    for text in _documents(400):
        lines = [hasher.line_bytes(line) for line in text.split("\n")]
        if not may_repeat(lines):
            continue
        expected = _reference_repeated_paragraphs([tuple(unpack(b)) for b in lines])
        assert repeated_paragraphs(list(map(unpack, lines))) == expected
        with pure():
            assert repeated_paragraphs(list(map(unpack, lines))) == expected
        checked += 1
    assert checked >= (20 if SHARED.exists() else 1)  # without ../shared: the seeds only (one pasted twice)


# --- token hashes of all lines at once --------------------------------------------------------------

ALPHABET = st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهوي") + list("أإآٱءؤئىة") + ["\u064b", "\u0651", "\u0670", "\u0640"]
    + ["\ufefb", "\ufdf2", "\ufb8e"] + list("یکەپچگ") + list("٠١۴") + ["\u200c", "\u200f", "\u00ad"]
    + [" ", " ", "\t", "\u00a0", "\u2003", "\x85", "\x1c", "\u3000", "\u1680", "\u0085"]
    + list("aZé0,.؟«") + ["\u00a1", "\u07ff", "\u0800", "\U0001F600", "\ud800", "\udfff"]
)
LINES = st.lists(st.lists(ALPHABET, max_size=40).map("".join), max_size=8)


def _python_lines(lines, skip=()):
    """The old StripStep loop: ``line_bytes`` per line, b"" for skipped lines (pure path)."""
    with pure():
        hasher = TokenHasher()
    out = []
    for i, line in enumerate(lines):
        if i in skip:
            out.append(b"")
            continue
        try:
            out.append(hasher.line_bytes(line))
        except UnicodeEncodeError:
            out.append("raises")
    return out


def _lines_or_raise(hasher, lines, skip=()):
    try:
        return hasher.lines_bytes(lines, skip)
    except UnicodeEncodeError:
        return "raises"


@settings(max_examples=400, deadline=None)
@given(LINES, st.sets(st.integers(0, 8)))
def test_lines_bytes_equal_line_bytes(lines, skip):
    expected = _python_lines(lines, skip)
    if "raises" in expected:
        expected = "raises"
    skip = {i: "rule" for i in skip}  # StripStep passes its dict of dropped lines
    assert _lines_or_raise(TokenHasher(), lines, skip) == expected
    with pure():
        assert _lines_or_raise(TokenHasher(), lines, skip) == expected


def test_whitespace_of_every_codepoint_up_to_u3100_splits_like_python():
    """native.c answers whitespace below U+1680 inline (only U+0085 and U+00A0 there) and takes
    U+00A1..U+07FF as two-byte letters: every codepoint around those ranges, between two words."""
    assert [cp for cp in range(0x80, 0x1680) if chr(cp).isspace()] == [0x85, 0xA0]
    lines = [f"ab{chr(cp)}cd" for cp in range(0x3100) if not 0xD800 <= cp <= 0xDFFF]
    assert TokenHasher().lines_bytes(lines) == _python_lines(lines)


def test_lines_bytes_of_real_documents():
    texts = _documents(150)
    hasher = TokenHasher()
    fast = [hasher.lines_bytes(t.split("\n")) for t in texts]
    assert fast == [_python_lines(t.split("\n")) for t in texts]


# --- utf8_len ----------------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "é", "\u00ff", "ب", "\u07ff", "\u0800", "\uffff", "\U0001F600", "\ud800"]),
                max_size=40), st.integers(0, 20000), st.sampled_from(["", "a", "é", "ب", "\U0001F600"]))
def test_utf8_len_equals_encode(chars, pad, filler):
    text = filler * pad + "".join(chars)  # long texts cross the C code's counting blocks
    try:
        expected = len(text.encode())
    except UnicodeEncodeError:
        expected = "raises"
    for available in (True, False):
        saved = native.AVAILABLE
        native.AVAILABLE = available and saved
        try:
            assert native.utf8_len(text) == expected
        except UnicodeEncodeError:
            assert expected == "raises"
        finally:
            native.AVAILABLE = saved


# --- StripStep ---------------------------------------------------------------------------------------

class _OldStripStep(StripStep):
    """``StripStep.process`` as it was: one ``line_bytes`` call per line, the head zone as a set."""

    def process(self, doc):
        lines = doc.text.split("\n")
        drop, trimmed = {}, []
        if self.cfg.strip:
            drop = self.chrome(doc, lines)
            head = {i for i, line in enumerate(lines) if line and i not in drop}
            head = set(sorted(head)[:HEAD_ZONE])
            for i, line in enumerate(lines):
                if i not in drop and line:
                    new, rule = boilerplate.trim_line(line, head=i in head)
                    if rule:
                        trimmed.append((i + 1, f"trim:{rule}", line))
                        lines[i] = new
        line_tokens = [b"" if i in drop else self.hasher.line_bytes(line) for i, line in enumerate(lines)]
        n_chrome = len(drop)
        twins = {}
        if self.cfg.repeats and may_repeat(line_tokens):
            for i, (reason, j) in _reference_repeated_paragraphs(list(map(unpack, line_tokens))).items():
                if reason == "near_repeat" and local.LIST_MARK.match(lines[i]) and local.LIST_MARK.match(lines[j]):
                    continue
                drop[i] = reason
                twins[i] = j
            local.extend_runs_to_short_repeats(line_tokens, drop)
        if trimmed:
            self.stats.add("lines_trimmed", len(trimmed))
        if drop or trimmed:
            doc.lines_stripped += n_chrome
            doc.paragraphs_removed += len(drop) - n_chrome
            self.stats.add("lines_stripped", n_chrome)
            self.stats.add("paragraphs_removed", len(drop) - n_chrome)
            if self.cfg.audit:
                entries = [(i + 1, drop[i], lines[i], {"repeat_of": twins[i] + 1}) if i in twins
                           else (i + 1, drop[i], lines[i]) for i in drop] + trimmed
                doc.audit.extend(sorted(entries))
            doc.text = spaces("\n".join(line for i, line in enumerate(lines) if i not in drop))
        kept = [t for i, t in enumerate(line_tokens) if i not in drop]
        doc.tokens = np.frombuffer(b"".join(kept), dtype=np.uint64)


def _strip_outputs(step_class, texts, config):
    step = step_class(Stats(), config)
    docs = [Document(str(k), t, "s", k, k, {"title": t.split("\n", 1)[0][:40]}) for k, t in enumerate(texts)]
    for doc in docs:
        step.process(doc)
    return [(d.text, d.tokens.tobytes(), d.audit, d.lines_stripped, d.paragraphs_removed) for d in docs], \
        step.stats.counters


def test_strip_step_equals_the_old_one():
    """Real documents with audit on (every drop and trim with its rule), C and pure."""
    config = Config()
    config = dataclasses.replace(config, boilerplate=dataclasses.replace(config.boilerplate, audit=True))
    texts = _documents(1000)
    expected = _strip_outputs(_OldStripStep, texts, config)
    assert expected[1]["paragraphs_removed"]  # the documents exercise repeats, and with ../shared, trimming
    assert expected[1]["lines_trimmed"] or not SHARED.exists()
    assert _strip_outputs(StripStep, texts, config) == expected
    with pure():
        assert _strip_outputs(StripStep, texts, config) == expected


def _is_subsequence(calls, expected):
    rest = iter(expected)
    return all(call in rest for call in calls)


def test_head_zone_is_the_first_content_lines(monkeypatch):
    """``trim_line`` gets ``head=True`` for the first ``HEAD_ZONE`` non-empty lines that are not chrome,
    as the old ``set(sorted(head)[:HEAD_ZONE])`` said: the pure path calls it for every such line; with the
    accelerator, ``trim_lines`` looks at some of them only (``trim_line`` or ``_lead_in_end``), with the
    same ``head``."""
    calls, inside = [], []
    trim_line, lead_in_end = boilerplate.trim_line, boilerplate._lead_in_end

    def recording(line, head):
        calls.append((line, head))
        inside.append(1)
        try:
            return trim_line(line, head=head)
        finally:
            inside.pop()

    def recording_lead(line, head):
        if not inside:  # (trim_line calls it too)
            calls.append((line, head))
        return lead_in_end(line, head)

    step = StripStep(Stats(), Config())
    monkeypatch.setattr(boilerplate, "trim_line", recording)
    monkeypatch.setattr(boilerplate, "_lead_in_end", recording_lead)
    looked_at = 0
    for k, text in enumerate(_documents(60)):
        doc = Document(str(k), text, "s", k, k, {})
        lines = text.split("\n")
        drop = step.chrome(doc, list(lines))
        head = set(sorted({i for i, line in enumerate(lines) if line and i not in drop})[:HEAD_ZONE])
        expected = [(line, i in head) for i, line in enumerate(lines) if i not in drop and line]
        calls.clear()
        step.process(Document(str(k), text, "s", k, k, {}))
        assert _is_subsequence(calls, expected)
        looked_at += len(calls)
        if native.AVAILABLE:
            calls.clear()
            with pure():
                step.process(doc)
            assert calls == expected
    assert looked_at


# --- trim_lines (StripStep's trim loop) against the loop it replaced ---------------------------------

def _old_trim_loop(lines, drop):
    """``StripStep.process``'s loop before ``trim_lines``: ``trim_line`` on every non-empty line not in
    ``drop``, the first ``HEAD_ZONE`` of them the head."""
    cut, content = [], 0
    for i, line in enumerate(lines):
        if line and i not in drop:
            new, rule = boilerplate.trim_line(line, head=content < HEAD_ZONE)
            content += 1
            if rule:
                cut.append((i, new, rule))
    return cut


#: Pieces of lines for every rule of trim_line and every needle of its scan: x / X, colons, the three dashes,
#: "سمات", the footer words, the e-mail artifact, link prompts ("هنا", "click here"), Latin, an astral emoji
#: (str of the three kinds), punctuation; long ones, so that a cut leaves the 40 characters a lead-in needs.
_TRIM_PIECES = ["x", "X", ":", ": ", "-", "–", "—", " - ", " – ", "سبق", "الرياض", "جدة", "سمات", "مستمرا.", ".",
                "»", "،", "للتواصل", "خرى للكاتب", "[email protected]", "هنا", "ere", "ERE", "ص", "خ", "x@yahoo.com",
                "\U0001F600", "é", "a", " ", " ", "انطلق فريق نخبة الشمال في رحلة طويلة عبر الصحراء الكبرى ",
                "قال المتحدث الرسمي إن العمل مستمر ", "أعلنت الهيئة العامة للإحصاء اليوم "]
#: What a line may start with: sabq's and 3alyoum's lead-ins, a head byline glued to the text, the slider
#: arrows, a footer phrase, a start that looks like a lead-in but is not one.
_TRIM_LEADS = ["مهنا التميمي-سبق-الجوف: ", "عمر عريبي - سبق- جازان: ", "سبق- الرياض: ", "أحمد حجازي – عين اليوم ",
               "عين اليوم – متابعات ", "أحمد البشيري-الباحة ", "جدة - ", "Next Previous ", "رابط الخبر بصحيفة الوئام: ",
               "قال - بحسب المصدر: ", "x ", "للتواصل "]
#: What a line may end with: a tag list after a full stop or not, a glued footer, the e-mail artifact,
#: a link prompt, a full stop.
_TRIM_TAILS = [". سمات الصين ايفون بكين", " سمات الصين", "x@yahoo.comللتواصل مع الكاتب", "مقالات أخرى للكاتب ابحث",
               " [email protected] /* */", " للمزيد اضغط هنا", " click here", ".", "»", ":"]
_TRIM_TEXT_LINE = st.builds(lambda lead, body, filler, tail: lead + body + filler + tail,
                            st.sampled_from(_TRIM_LEADS) | st.just(""),
                            st.just("") | st.lists(st.sampled_from(_TRIM_PIECES), max_size=5).map("".join),
                            st.sampled_from(_TRIM_PIECES[-3:] + [""]),
                            st.sampled_from(_TRIM_TAILS) | st.just(""))
_TRIM_DOC_LINE = st.one_of(st.just(""), _TRIM_TEXT_LINE, _TRIM_TEXT_LINE, _TRIM_TEXT_LINE)
#: Documents of a few lines, so the head zone ends anywhere (after empty or dropped lines, or not at all).
_TRIM_DOCS = st.lists(_TRIM_DOC_LINE, max_size=9)


_SABQ = "مهنا التميمي-سبق-الجوف: " + _TRIM_PIECES[-3]
_BYLINE = "أحمد حجازي – عين اليوم " + _TRIM_PIECES[-3] + "."


@settings(max_examples=400, deadline=None)
@given(_TRIM_DOCS, st.sets(st.integers(0, 8)))
@example(["ب", "ب", "ب", _SABQ, _SABQ + "x"], set())  # past the head: a lead-in (a colon and a dash only)
@example(["ب", "", "ب", "ب", _BYLINE, _SABQ], {2})  # the head ends after an empty and a dropped line
@example(["ب", "", "ب", "ب", _BYLINE], set())  # ... or just before the byline, which stays
@example([_BYLINE + " سمات الصين", "ب" + _BYLINE, _BYLINE + "x"], set())
def test_trim_lines_equal_the_old_loop(lines, dropped):
    """Same cuts, rules and head zone as the loop over every content line, with the accelerator and
    without; the old loop's ``trim_line`` with and without it too."""
    drop = {i: "chrome" for i in dropped if i < len(lines)}
    expected = _old_trim_loop(lines, drop)
    if native.AVAILABLE:
        assert boilerplate.trim_lines(list(lines), drop) == expected
        assert boilerplate.trim_lines(list(lines), set(drop)) == expected
        assert boilerplate.trim_lines(list(lines)) == _old_trim_loop(lines, ())
    with pure():
        assert _old_trim_loop(lines, drop) == expected
        assert boilerplate.trim_lines(list(lines), drop) == expected
        assert boilerplate.trim_lines(list(lines)) == _old_trim_loop(lines, ())


@settings(max_examples=150, deadline=None)
@given(_TRIM_DOCS)
def test_strip_step_of_generated_documents_equals_the_old_one(lines):
    """The same through ``StripStep`` (chrome, trims and repeats, audit on), C and pure."""
    config = Config().replace(boilerplate={"audit": True})
    texts = ["\n".join(lines), "\n".join(lines[::-1])]
    expected = _strip_outputs(_OldStripStep, texts, config)
    assert _strip_outputs(StripStep, texts, config) == expected
    with pure():
        assert _strip_outputs(StripStep, texts, config) == expected


# --- strip_lines' first loop against the loop it replaced --------------------------------------------

def _old_first_loop(lines):
    """``strip_lines``' first loop before ``prep_lines`` picked the lines to judge (``judged``) and the
    non-blank ones (``filled``): ``_classify`` on every non-empty line but the long ones that cannot be a
    menu, ``filled`` and ``open_lines`` built alongside, from ``_line_lists``' first seven lists."""
    spaces, keys, key_spaces, phrases, footers, marked, menus = boilerplate._line_lists(lines)[:7]
    if len(footers) > 8:
        footers = set(footers)
    if len(menus) > 8:
        menus = set(menus)
    verdicts, filled, open_lines = [], [], []
    for i, line in enumerate(lines):
        key = keys[i]
        verdict = boilerplate._classify(line, key or None, spaces[i], key_spaces[i], phrases, i in footers) \
            if line and (spaces[i] < boilerplate._LONG_SPACES or i in menus) else None
        verdicts.append(verdict)
        if key or line.strip():
            filled.append(i)
            if verdict is None:
                open_lines.append(i)
    return verdicts, filled, open_lines


def _old_strip_lines(lines, title=None, author=None):
    """``strip_lines`` with the old first loop: its pure path, ``_line_lists`` patched to hand it every line
    the old loop judged and the old loop's ``filled`` (the rest of strip_lines is unchanged). Checks on the
    way that the lines the gate leaves out are ones the old loop left open."""
    old_verdicts, old_filled, _ = _old_first_loop(lines)
    lists = boilerplate._line_lists(lines)
    spaces, menus, judged, filled = lists[0], lists[6], lists[7], lists[8]
    candidates = [i for i, line in enumerate(lines) if line and (spaces[i] < boilerplate._LONG_SPACES or i in menus)]
    assert filled == old_filled
    assert set(judged) <= set(candidates)
    assert all(old_verdicts[i] is None for i in set(candidates) - set(judged))
    with pure(), mock.patch.object(boilerplate, "_line_lists", lambda _: (*lists[:7], candidates, old_filled)):
        return boilerplate.strip_lines(lines, title, author)


#: Lines at prep_lines' gate: 17 to 40 words (the bound is MAX_PREFIX_WORDS key spaces) of Arabic, Latin and
#: an emoji (str of the three kinds), at most one cue of _LONG_KEY_CUES or another rule's (a footer word, a
#: link's first character, a phrase), after a blank or not, ending in a stop or not.
_LONG_WORDS = ["قال", "المتحدث", "الرسمي", "إن", "العمل", "مستمر", "في", "المشروع", "news", "é", "\U0001F600"]
_LONG_CUES = ["x", "X", "@", ":", "تصوير", "عدسة", "بعدسة", "للتواصل", "خرى للكاتب", "www.site.com", "#وسم",
              "+966 555 1234", "جميع الحقوق محفوظة", "Next Previous", "Previous Next علي القحطاني"]
_LONG_LINE = st.builds(lambda lead, words, cue, at, end: lead + " ".join(words[:at] + cue + words[at:]) + end,
                       st.sampled_from(["", "", " ", "\u00a0", "\u2003", "#", "w", "0", "+", "\u2003[", "* "]),
                       st.lists(st.sampled_from(_LONG_WORDS), min_size=17, max_size=40),
                       st.just([]) | st.lists(st.sampled_from(_LONG_CUES), max_size=1), st.integers(0, 40),
                       st.sampled_from([".", ".", "", "»", " ", "\u00a0", "x", ":", "ه"]))
#: Chrome a single-line rule takes, and lines for the zone rules.
_CHROME_LINES = ["شارك", "تصوير: محمد علي", "m.althaidy@asharqalawsat.com", "للتواصل مع الكاتب ارسل رسالة SMS",
                 "عين اليوم – متابعات", "الخميس 29/يونيو/2017 - 03:01 م", "(واس)", "* كاتب وباحث في الشؤون الدولية",
                 "محمد الكاتب", "", " ", "\u2003"]
#: Documents of such lines, and at times a phrase in the last line only: the document's phrase flag turns True
#: at its end, when the gate let the lines above through.
_GATE_DOCS = st.tuples(st.lists(st.one_of(_LONG_LINE, _LONG_LINE, _TRIM_DOC_LINE, st.sampled_from(_CHROME_LINES)),
                                max_size=10),
                       st.none() | st.sampled_from(["جميع الحقوق محفوظة", "اضغط هنا", "قال المتحدث click here",
                                                   "رابط RSS عين اليوم » الرئيسية » اخبار"])
                       ).map(lambda t: t[0] + ([] if t[1] is None else [t[1]]))


@settings(max_examples=300, deadline=None)
@given(_GATE_DOCS, st.none() | st.sampled_from(["قال المتحدث الرسمي", "العمل مستمر في المشروع الكبير"]),
       st.none() | st.just("محمد الكاتب"))
def test_strip_lines_equal_the_old_first_loop(lines, title, author):
    """Same verdicts as strip_lines with the loop that judged every candidate line, C and pure."""
    expected = _old_strip_lines(lines, title, author)
    if native.AVAILABLE:
        assert boilerplate.strip_lines(lines, title, author) == expected
    with pure():
        assert boilerplate.strip_lines(lines, title, author) == expected


def test_strip_lines_of_real_documents_equal_the_old_first_loop():
    """The shared corpora's documents (the first 1000 of each), every other one with its first line as the title."""
    texts = _documents(1000)
    assert texts
    skipped = 0
    for k, text in enumerate(texts):
        lines = text.split("\n")
        title = lines[0][:40] if k % 2 else None
        expected = _old_strip_lines(lines, title, "محمد الكاتب")
        if native.AVAILABLE:
            assert boilerplate.strip_lines(lines, title, "محمد الكاتب") == expected
        with pure():
            assert boilerplate.strip_lines(lines, title, "محمد الكاتب") == expected
        lists = boilerplate._line_lists(lines)
        spaces, judged = lists[0], lists[7]
        skipped += sum(1 for i, line in enumerate(lines) if line and spaces[i] < boilerplate._LONG_SPACES
                       and i not in judged)
    assert skipped  # (the gate leaves lines out)
