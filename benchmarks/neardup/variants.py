"""Planted near-duplicate variants: one function per kind, each `f(text, rng) -> text`.

Why these kinds: each one reproduces a way the SAME Arabic article reaches a crawl
looking different - re-typed orthography (hamza/alef, yeh/teh marbuta, Persian
keyboards, digits), decoration (diacritics, kashida), PDF/legacy glyph codes
(presentation forms), or a different site's page around it (chrome, an edited,
reordered or truncated copy). Orthographic kinds leave the reference match key
(`truth_key`) unchanged, so their true Jaccard is 1.0 by construction; structural
kinds change real content, so their true Jaccard is measured, not assumed.

Every function is deterministic given `rng` (a `random.Random`). `ELIGIBLE[kind]`
says whether a document can carry that kind at all (e.g. `digits` needs digits,
`drop_paragraph` needs >= 5 paragraphs) so that no variant is a silent no-op.
"""

from __future__ import annotations

import random
import re
import unicodedata
from typing import Callable

ARABIC_LETTER = re.compile(r"[\u0621-\u063A\u0641-\u064A]")
_WORD = re.compile(r"\S+")
_DIGITS_ASCII = "0123456789"
_DIGITS_ARABIC = "٠١٢٣٤٥٦٧٨٩"
_HARAKAT = ["\u064E", "\u0650", "\u064F", "\u0652", "\u0651", "\u0651\u064E", "\u064B"]
TATWEEL = "\u0640"


# --------------------------------------------------------------------------- helpers

def _map_words(text: str, fn: Callable[[str], str]) -> str:
    """Apply `fn` to every whitespace-delimited token, keeping the whitespace as is."""
    return _WORD.sub(lambda m: fn(m.group(0)), text)


def paragraphs(text: str) -> tuple[list[str], list[int]]:
    """Split on newlines; return (lines, indices of non-blank lines = the paragraphs).

    SaudiNewsNet separates paragraphs by one or two newlines; keeping the raw line
    list lets structural edits preserve the original spacing.
    """
    lines = text.split("\n")
    return lines, [i for i, line in enumerate(lines) if line.strip()]


# --------------------------------------------------------------------- orthographic

def alef_hamza(text: str, rng: random.Random, p: float = 0.8) -> str:
    """On ~p of the words: hamzated alefs (أ إ آ) -> bare ا, or a bare word-initial ا -> أ/إ.

    Models writers/keyboards that drop or add hamza on alef, the most common Arabic
    spelling variation. Words starting with the article ال are not hamzated (nobody
    writes ألكتاب), which keeps the variant plausible.
    """
    def edit(word: str) -> str:
        if rng.random() >= p:
            return word
        if any(c in word for c in "أإآ"):
            return re.sub("[أإآ]", "ا", word)
        if word.startswith("ا") and not word.startswith("ال"):
            return rng.choice("أإ") + word[1:]
        return word
    return _map_words(text, edit)


def yeh_teh(text: str, rng: random.Random, p: float = 0.8) -> str:
    """On ~p of the words, swap the word-final letter ى<->ي and ة<->ه (Egyptian-style spelling)."""
    swap = {"ى": "ي", "ي": "ى", "ة": "ه", "ه": "ة"}
    final = re.compile(r"([ىيةه])([^\u0621-\u064A]*)$")

    def edit(word: str) -> str:
        if rng.random() >= p:
            return word
        return final.sub(lambda m: swap[m.group(1)] + m.group(2), word)
    return _map_words(text, edit)


def diacritics(text: str, rng: random.Random, p: float = 0.6) -> str:
    """Add a random haraka (fatha/kasra/damma/sukun/shadda/tanween) after ~p of the letters.

    Models partially vocalized copies (religious/educational sites, quotes).
    Letters that already carry a mark are left alone.
    """
    out = []
    for i, ch in enumerate(text):
        out.append(ch)
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ARABIC_LETTER.match(ch) and not ("\u064B" <= nxt <= "\u065F") and rng.random() < p:
            out.append(rng.choice(_HARAKAT))
    return "".join(out)


def tatweel(text: str, rng: random.Random, p: float = 0.5) -> str:
    """Insert a kashida (U+0640) between two joined letters in ~p of the words (justified text)."""
    def edit(word: str) -> str:
        if rng.random() >= p:
            return word
        spots = [i + 1 for i in range(len(word) - 1)
                 if _joins_left(word[i]) and _joins_right(word[i + 1])]
        if not spots:
            return word
        i = rng.choice(spots)
        return word[:i] + TATWEEL * rng.choice((1, 1, 2)) + word[i:]
    return _map_words(text, edit)


def _build_presentation_map() -> dict[tuple[str, str], str]:
    """{(base letters, form): presentation char} from Unicode decompositions of U+FE70-U+FEFF.

    e.g. U+FE8E has decomposition '<final> 0627' -> (('ا', 'final') -> 'ﺎ'); lam-alef
    ligatures decompose to two letters ('ل' + 'ا'). Harakat forms (U+FE70-U+FE7F)
    are skipped: only letters are re-encoded.
    """
    table: dict[tuple[str, str], str] = {}
    for cp in range(0xFE70, 0xFF00):
        dec = unicodedata.decomposition(chr(cp))
        if not dec.startswith("<"):
            continue
        tag, *codes = dec.split()
        base = "".join(chr(int(c, 16)) for c in codes)
        if all(ARABIC_LETTER.match(c) for c in base):
            table[(base, tag.strip("<>"))] = chr(cp)
    return table


PRESENTATION = _build_presentation_map()


def _joins_left(ch: str) -> bool:
    """Dual-joining letter (connects to the following letter): it has an initial or medial form."""
    return (ch, "initial") in PRESENTATION or (ch, "medial") in PRESENTATION


def _joins_right(ch: str) -> bool:
    """Letter that connects to the preceding letter: it has a final or medial form."""
    return (ch, "final") in PRESENTATION or (ch, "medial") in PRESENTATION


def _shape(base: str, joins_prev: bool, joins_next: bool) -> str:
    form = {(True, True): "medial", (True, False): "final",
            (False, True): "initial", (False, False): "isolated"}[(joins_prev, joins_next)]
    for f in (form, "final" if joins_prev else "isolated", "isolated"):
        if (base, f) in PRESENTATION:
            return PRESENTATION[(base, f)]
    return base


def presentation_forms(text: str, rng: random.Random) -> str:
    """Re-encode every Arabic letter as its contextual presentation form (and lam-alef ligatures).

    Models text extracted from PDFs or legacy systems that store shaped glyphs
    (ﺍﻟﻤﻤﻠﻜﺔ) instead of letters. Shaping: a letter joins the previous one if that
    is dual-joining, and the next one if it is itself dual-joining; diacritics are
    transparent. `rng` is unused (the encoding is deterministic) but kept for a
    uniform signature.
    """
    out: list[str] = []
    i, n = 0, len(text)

    def neighbour(j: int, step: int) -> str:
        while 0 <= j < n and unicodedata.category(text[j]) == "Mn":
            j += step
        return text[j] if 0 <= j < n else ""

    while i < n:
        ch = text[i]
        if not ARABIC_LETTER.match(ch):
            out.append(ch)
            i += 1
            continue
        prev = neighbour(i - 1, -1)
        joins_prev = bool(prev) and _joins_left(prev) and _joins_right(ch)
        nxt = text[i + 1] if i + 1 < n else ""
        if ch == "ل" and nxt in "اأإآ" and nxt:
            lig = PRESENTATION.get((ch + nxt, "final" if joins_prev else "isolated"))
            if lig:
                out.append(lig)
                i += 2
                continue
        after = neighbour(i + 1, 1)
        joins_next = bool(after) and _joins_left(ch) and _joins_right(after)
        out.append(_shape(ch, joins_prev, joins_next))
        i += 1
    return "".join(out)


def persian_letters(text: str, rng: random.Random) -> str:
    """ي -> ی and ك -> ک everywhere (text typed on a Persian keyboard layout)."""
    return text.replace("ي", "ی").replace("ك", "ک")


def digits(text: str, rng: random.Random) -> str:
    """Swap digit systems: ASCII 0-9 -> Arabic-Indic ٠-٩ and Arabic-Indic -> ASCII."""
    table = str.maketrans(_DIGITS_ASCII + _DIGITS_ARABIC, _DIGITS_ARABIC + _DIGITS_ASCII)
    return text.translate(table)


# ----------------------------------------------------------------------- structural

_CITIES = ["الرياض", "جدة", "الدمام", "مكة المكرمة", "المدينة المنورة", "أبها", "تبوك"]
_OUTLETS = ["واس", "متابعات", "سبق", "عكاظ", "الوطن", "اليوم", "المدينة"]
_NAMES = ["محمد العتيبي", "فهد الشمري", "عبدالله القحطاني", "سارة الغامدي", "خالد الزهراني"]
_DAYS = ["الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"]


def _chrome_line(rng: random.Random) -> str:
    """One line of typical news-site chrome (dateline, byline, share bar, related links...)."""
    kind = rng.randrange(7)
    if kind == 0:
        return f"{rng.choice(_CITIES)} - {rng.choice(_OUTLETS)}"
    if kind == 1:
        return f"كتب: {rng.choice(_NAMES)}"
    if kind == 2:
        return f"{rng.choice(_DAYS)} {rng.randint(1, 28)} يوليو 2015 - {rng.randint(1, 12):02d}:{rng.randint(0, 59):02d} مساءً"
    if kind == 3:
        return "شارك | طباعة | أرسل لصديق | تعليقات (" + str(rng.randint(0, 40)) + ")"
    if kind == 4:
        return rng.choice(["أخبار ذات صلة", "اقرأ أيضاً:", "المزيد من الأخبار المحلية"])
    if kind == 5:
        return rng.choice(["للتواصل مع الكاتب ارسل رسالة SMS", "جميع الحقوق محفوظة © 2015",
                           "تابعونا على تويتر وفيسبوك"])
    return f"{rng.choice(_NAMES)} - {rng.choice(_OUTLETS)}"


def other_chrome(text: str, rng: random.Random) -> str:
    """Add 2-4 lines of site chrome, split randomly between top and bottom (another site's page)."""
    lines = [_chrome_line(rng) for _ in range(rng.randint(2, 4))]
    n_top = rng.randint(0, len(lines))
    top, bottom = lines[:n_top], lines[n_top:]
    return "\n".join(top + [text] + bottom)


def drop_paragraph(text: str, rng: random.Random) -> str:
    """Remove one paragraph (of a document with >= 5): an edited reprint."""
    lines, paras = paragraphs(text)
    del lines[rng.choice(paras)]
    return "\n".join(lines)


def swap_paragraphs(text: str, rng: random.Random) -> str:
    """Exchange two different paragraphs: a reprint with reordered content."""
    lines, paras = paragraphs(text)
    i, j = rng.sample(paras, 2)
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def few_words(text: str, rng: random.Random, rate: float = 0.03) -> str:
    """Edit ~rate of the words (substitute with another word of the doc, delete, or duplicate).

    Models light copy-editing. Each edit touches up to 5 word 5-grams, so ~3% edits
    usually land the true Jaccard BELOW 0.8 - a deliberate hard/negative case.
    """
    parts = re.split(r"(\s+)", text)
    word_idx = [i for i, t in enumerate(parts) if t and not t.isspace()]
    k = max(1, round(rate * len(word_idx)))
    for i in rng.sample(word_idx, min(k, len(word_idx))):
        op = rng.randrange(3)
        if op == 0:
            parts[i] = parts[rng.choice(word_idx)]
        elif op == 1:
            parts[i] = ""
        else:
            parts[i] = parts[i] + " " + parts[i]
    return "".join(parts)


def truncate(text: str, rng: random.Random, keep: float = 0.85) -> str:
    """Keep the first ~85% of the characters, cut at a word boundary (a 'read more' teaser copy)."""
    cut = int(len(text) * keep)
    space = text.rfind(" ", 0, cut)
    return text[:space if space > 0 else cut].rstrip()


# ------------------------------------------------------------------------ registry

ORTHOGRAPHIC: dict[str, Callable[[str, random.Random], str]] = {
    "alef_hamza": alef_hamza,
    "yeh_teh": yeh_teh,
    "diacritics": diacritics,
    "tatweel": tatweel,
    "presentation_forms": presentation_forms,
    "persian_letters": persian_letters,
    "digits": digits,
}
STRUCTURAL: dict[str, Callable[[str, random.Random], str]] = {
    "other_chrome": other_chrome,
    "drop_paragraph": drop_paragraph,
    "swap_paragraphs": swap_paragraphs,
    "few_words": few_words,
    "truncate": truncate,
}

ELIGIBLE: dict[str, Callable[[str], bool]] = {
    "alef_hamza": lambda t: bool(re.search(r"[أإآ]|(?:^|\s)ا(?!ل)", t)),
    "yeh_teh": lambda t: bool(re.search(r"[ىيةه](?=[^\u0621-\u064A]*(?:\s|$))", t)),
    "diacritics": lambda t: bool(ARABIC_LETTER.search(t)),
    "tatweel": lambda t: bool(ARABIC_LETTER.search(t)),
    "presentation_forms": lambda t: bool(ARABIC_LETTER.search(t)),
    "persian_letters": lambda t: "ي" in t or "ك" in t,
    "digits": lambda t: sum(c in _DIGITS_ASCII + _DIGITS_ARABIC for c in t) >= 3,
    "other_chrome": lambda t: True,
    "drop_paragraph": lambda t: len(paragraphs(t)[1]) >= 5,
    "swap_paragraphs": lambda t: len(paragraphs(t)[1]) >= 3,
    "few_words": lambda t: len(t.split()) >= 40,
    "truncate": lambda t: len(t.split()) >= 40,
}

PLANTED_KINDS = [*ORTHOGRAPHIC, *STRUCTURAL, "combo"]


def combo(text: str, rng: random.Random) -> tuple[str, str]:
    """An orthographic edit followed by a structural one; returns (text, 'ortho+structural').

    Why: real reprints differ in several ways at once; this checks the normalizer
    and the LSH tolerance compose.
    """
    ortho = rng.choice([k for k in ORTHOGRAPHIC if ELIGIBLE[k](text)])
    struct = rng.choice([k for k in STRUCTURAL if ELIGIBLE[k](text)])
    return STRUCTURAL[struct](ORTHOGRAPHIC[ortho](text, rng), rng), f"{ortho}+{struct}"


def make_variant(kind: str, text: str, rng: random.Random) -> tuple[str, str]:
    """(variant text, detail) for any planted kind; detail names the edits applied."""
    if kind == "combo":
        return combo(text, rng)
    fn = ORTHOGRAPHIC.get(kind) or STRUCTURAL[kind]
    return fn(text, rng), kind


def is_eligible(kind: str, text: str) -> bool:
    """Can `text` carry a `kind` variant that actually differs from it?"""
    if kind == "combo":
        return True
    return ELIGIBLE[kind](text)
