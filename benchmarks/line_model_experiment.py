#!/usr/bin/env python3
"""Experiment (issue 4): can a learned line classifier catch the chrome the rules leave?

Not part of the package: the experiment below was run on 2026-11-25 and its result was negative, so
no model ships. It is kept so the result can be reproduced and the idea revisited with more labels.

Idea: score each short line the rules of ``dedupe/text/boilerplate.py`` keep (``MAX_WORDS`` key words
or fewer) with a logistic regression over 40 named shape and position features (length, punctuation,
position among the open lines, blank lines around it, neighbours' length, name / function / caption /
bio / place words, overlap with the headline and the author field). The misses of the rules on the
held-out sets are mostly *shaped* like chrome without wording to say so (first-line photo captions,
galleries, names and bios under a column).

Data: tests/data/boilerplate_labels.jsonl + boilerplate_docs.jsonl.gz. Each labelled document goes
through ``clean`` line by line (as benchmarks/boilerplate_eval.py does), then ``strip_lines``. Training
rows: every labelled line of at most ``MAX_WORDS`` key words except ``repeated_lead`` chrome (the
repeat stage's job), with its features computed as if no rule had taken it; the model is then asked
only about the lines the rules kept (candidates). L2-regularised logistic regression by Newton's
method on standardised features (numpy). Grouped cross-validation by document (``--folds``); the
threshold is the lowest out-of-fold probability at which the model's own strips hold at most
``--max-content-lost`` content lines.

Result (2,594 labels, 5 folds, l2 1.0): 585 short labelled lines, 316 candidates; threshold 0.992;
rules alone 303/482 chrome lines (the 161 repeated leads are the repeat stage's) and 2,111/2,112
content kept; rules + model 306/482 and 2,109/2,112. The model found 3 more chrome lines and lost 2
content lines: among the short lines the rules leave, chrome (captions, bare names) and content
(sub-headings, list items, verse, closing formulas) do not separate on shape. Run it to see the
ranked decisions (``--show 40``).

Usage:
  python benchmarks/line_model_experiment.py --show 40
"""
from __future__ import annotations

import argparse
import math
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Sequence

import numpy as np
import xxhash

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from boilerplate_eval import DEFAULT_DOCS, DEFAULT_LABELS, load_docs, load_labels  # noqa: E402

from dedupe.text import boilerplate  # noqa: E402
from dedupe.text.normalize import clean, match_key  # noqa: E402

#: Lines of more key words than this are never scored (nor stripped) by the model.
MAX_WORDS = 12
#: A neighbour of at least this many words is running text.
LONG_WORDS = 12

_END_SENTENCE = re.compile(r"[.!?؟…]\s*[\"'»”)]*\s*$")
_INNER_PUNCT = re.compile(r"[،,؛;]")
_QUOTES = re.compile(r"[«»\"“”]")
_PARENS = re.compile(r"[()\[\]]")
_DASH = re.compile(r"\s[-–—ـ]+\s|^\s*[-–—]|[-–—]\s*$")
_LEAD_MARK = re.compile(r"^\s*(?:[-–—•*▪●]|\d+\s*[-.)]|[(]\d)")
_DIGIT = re.compile(r"\d")
_LATIN = re.compile(r"[A-Za-z]")
_ARABIC = re.compile(r"[\u0621-\u064A]")

_FUNCTION = frozenset(match_key(
    "في من إلى الى عن على مع و أو ثم قد لا لم لن ما هل كيف أن إن بعد قبل عند هذا هذه ذلك التي الذي الذين كان كانت "
    "وفي ومن وإلى وعن وعلى ومع ولا ولم وقد فقد كما حيث حتى بين أمام خلال منذ إذا لكن بل").split())
_NAME_JOINERS = frozenset(match_key("بن ابن بنت آل أبو ابو عبد").split())
_TITLES = frozenset(match_key("د أ ا دكتور الدكتور بروفيسور الشيخ م المهندس الأستاذ الاستاذ الكاتب").split())
_CAPTION_WORDS = frozenset(match_key(
    "جانب لقطة لقطات صورة صور الصورة أثناء اثناء خلال لدى حفل افتتاح تكريم زيارة جولة احتفال فعاليات").split())
_BIO_WORDS = frozenset(match_key(
    "أستاذ استاذ كاتب كاتبة باحث محلل رئيس مدير استشاري خبير أكاديمي صحافي صحفي مستشار عضو جامعة بجامعة "
    "كلية مركز قسم إدارة وزارة هيئة جمعية مكتب شعر إعداد تصوير مراسل").split())
_PLACE_WORDS = frozenset(match_key(
    "الرياض جدة مكة المدينة الدمام الخبر الطائف أبها تبوك حائل القصيم بريدة جازان نجران الأحساء الجبيل ينبع "
    "القطيف عرعر سكاكا الباحة بيروت دمشق القاهرة بغداد عمان غزة القدس واشنطن لندن باريس موسكو طهران صنعاء "
    "متابعات وكالات واس").split())

#: Feature names, in the order of the weight vector (the bias is separate).
FEATURES = (
    "words_1", "words_2_3", "words_4_6", "words_7_plus", "chars_per_word",
    "ends_sentence", "inner_punct", "colon", "quotes", "parens", "dash", "lead_mark", "digit", "latin",
    "first_open", "second_open", "last_open", "tail_zone", "head_zone", "middle",
    "blank_before", "blank_after", "prev_long", "next_long", "no_long_after", "no_long_before",
    "short_run", "blank_layout", "few_open_lines",
    "function_share", "starts_waw", "name_joiner", "title_word", "caption_word", "bio_word", "place_word",
    "title_overlap", "author_overlap", "al_share", "arabic_share",
)


def _words(key: str) -> list[str]:
    return key.split() if key else []


def features(lines: Sequence[str], keys: Sequence[str], open_lines: Sequence[int], candidates: Sequence[int],
             title_key: str = "", author_key: str = "") -> list[list[float]]:
    """One feature row (``FEATURES`` order) per candidate line index.

    ``lines``: the document's cleaned lines; ``keys``: their match keys (``""`` where
    not computed); ``open_lines``: indexes of the non-blank lines no rule took, in
    order; ``candidates``: a subset of ``open_lines`` to score.
    """
    n_open = len(open_lines)
    rank = {i: r for r, i in enumerate(open_lines)}
    n_words = {i: (keys[i].count(" ") + 1 if keys[i] else len(lines[i].split())) for i in open_lines}
    long_ranks = [r for r, i in enumerate(open_lines) if n_words[i] >= LONG_WORDS]
    first_long = long_ranks[0] if long_ranks else n_open
    last_long = long_ranks[-1] if long_ranks else -1
    filled = [i for i, line in enumerate(lines) if line.strip()]
    gaps = sum(1 for a, b in zip(filled, filled[1:]) if b - a > 1)
    blank_layout = gaps / max(1, len(filled) - 1)
    title_words = set(_words(title_key))
    author_words = set(_words(author_key)) - _TITLES
    rows = []
    for i in candidates:
        line = lines[i]
        stripped = line.strip()
        words = _words(keys[i])
        n = len(words) or 1
        r = rank[i]
        prev_i = open_lines[r - 1] if r > 0 else None
        next_i = open_lines[r + 1] if r + 1 < n_open else None
        short = [j for j in open_lines[max(0, r - 2):r + 3]
                 if n_words[j] <= 8 and not _END_SENTENCE.search(lines[j])]
        letters = sum(1 for ch in stripped if ch.isalpha()) or 1
        row = [
            float(n == 1), float(2 <= n <= 3), float(4 <= n <= 6), float(n >= 7),
            min(len(stripped) / n, 12.0) / 12.0,
            float(bool(_END_SENTENCE.search(stripped))), float(bool(_INNER_PUNCT.search(stripped))),
            float(":" in stripped), float(bool(_QUOTES.search(stripped))), float(bool(_PARENS.search(stripped))),
            float(bool(_DASH.search(stripped))), float(bool(_LEAD_MARK.match(stripped))),
            float(bool(_DIGIT.search(stripped))), float(bool(_LATIN.search(stripped))),
            float(r == 0), float(r == 1), float(r == n_open - 1), float(r >= n_open - 4), float(r < 3),
            float(3 <= r < n_open - 4),
            float(i > 0 and not lines[i - 1].strip()), float(i + 1 < len(lines) and not lines[i + 1].strip()),
            float(prev_i is not None and n_words[prev_i] >= LONG_WORDS),
            float(next_i is not None and n_words[next_i] >= LONG_WORDS),
            float(r > last_long), float(r < first_long),
            min(len(short) - 1, 4) / 4.0, blank_layout, float(n_open <= 4),
            sum(1 for w in words if w in _FUNCTION) / n,
            float(bool(words) and words[0].startswith("و") and len(words[0]) > 2),
            float(any(w in _NAME_JOINERS for w in words)),
            float(any(w in _TITLES for w in words)),
            float(any(w in _CAPTION_WORDS for w in words)),
            float(any(w in _BIO_WORDS for w in words)),
            float(any(w in _PLACE_WORDS for w in words)),
            (sum(1 for w in words if w in title_words) / n) if title_words else 0.0,
            (sum(1 for w in words if w in author_words) / n) if author_words else 0.0,
            sum(1 for w in words if w.startswith("ال")) / n,
            len(_ARABIC.findall(stripped)) / letters,
        ]
        rows.append(row)
    return rows


class LineModel:
    """Logistic regression over ``FEATURES`` (standardised inputs folded into the weights)."""

    def __init__(self, weights: Sequence[float], bias: float, mean: Sequence[float], scale: Sequence[float],
                 threshold: float, meta: dict | None = None) -> None:
        if len(weights) != len(FEATURES) or len(mean) != len(FEATURES) or len(scale) != len(FEATURES):
            raise ValueError(f"line model has {len(weights)} weights for {len(FEATURES)} features")
        self.weights = list(map(float, weights))
        self.bias = float(bias)
        self.mean = list(map(float, mean))
        self.scale = [float(s) or 1.0 for s in scale]
        self.threshold = float(threshold)
        self.meta = meta or {}
        # standardisation folded into the weights: w . (x - m) / s + b = w' . x + b'
        self._w = [w / s for w, s in zip(self.weights, self.scale)]
        self._b = self.bias - sum(w * m / s for w, m, s in zip(self.weights, self.mean, self.scale))

    def score(self, row: Sequence[float]) -> float:
        """Probability that the line is chrome."""
        z = self._b + sum(w * x for w, x in zip(self._w, row) if x)
        return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0

    def explain(self, row: Sequence[float], top: int = 4) -> list[tuple[str, float]]:
        """The features that moved the score most, with their contribution to the log-odds."""
        parts = [(name, w * (x - m) / s) for name, w, x, m, s in
                 zip(FEATURES, self.weights, row, self.mean, self.scale)]
        parts.sort(key=lambda p: -abs(p[1]))
        return [(name, round(c, 2)) for name, c in parts[:top]]



def build_rows(labels: list[dict], docs: dict) -> list[dict]:
    """One row per labelled line: features (or None when the line is not short), label, rule verdict."""
    by_doc = defaultdict(list)
    for r in labels:
        by_doc[(r["corpus"], r["doc_id"])].append(r)
    rows = []
    for key in sorted(by_doc):
        d = docs[key]
        meta = d.get("meta") or {}
        raw = d["text"].split("\n")
        lines = [clean(line).replace("\n", " ") for line in raw]
        title, author = meta.get("title"), meta.get("author")
        verdicts = boilerplate.strip_lines(lines, title, author)
        keys = [boilerplate._key(line) if line.strip() else "" for line in lines]
        author_key = boilerplate.author_key(author)
        open_set = {i for i, line in enumerate(lines) if verdicts[i] is None and line.strip()}
        title_key = match_key(title) if title else ""
        for r in by_doc[key]:
            i = r["line_no"] - 1
            short = bool(keys[i]) and keys[i].count(" ") < MAX_WORDS
            feats = None
            if short:
                open_lines = sorted(open_set | {i})
                feats = features(lines, keys, open_lines, [i], title_key, author_key)[0]
            rows.append({"doc": f"{key[0]}/{key[1]}", "label": r["label"], "kind": r["kind"],
                         "sample": r.get("sample", ""), "rule": verdicts[i], "candidate": short and i in open_set,
                         "x": feats, "text": r["text"]})
    return rows


def fit(x: np.ndarray, y: np.ndarray, weight: np.ndarray, l2: float) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """Weighted L2 logistic regression by Newton's method on standardised features."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    beta = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2)
    reg[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(z @ beta)))
        grad = z.T @ (weight * (p - y)) + reg * beta
        hess = (z * (weight * p * (1 - p))[:, None]).T @ z + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-10:
            break
    return beta[1:], float(beta[0]), mean, scale


def train(rows: list[dict], l2: float, chrome_weight: float) -> LineModel:
    train_rows = [r for r in rows if r["x"] is not None and r["kind"] != "repeated_lead"]
    x = np.array([r["x"] for r in train_rows], dtype=np.float64)
    y = np.array([r["label"] == "chrome" for r in train_rows], dtype=np.float64)
    w = np.where(y == 1, chrome_weight, 1.0)
    weights, bias, mean, scale = fit(x, y, w, l2)
    return LineModel(weights.tolist(), bias, mean.tolist(), scale.tolist(), threshold=1.0)


def fold_of(doc: str, folds: int) -> int:
    return xxhash.xxh3_64_intdigest(doc.encode()) % folds


def cross_validate(rows: list[dict], folds: int, l2: float, chrome_weight: float) -> list[float | None]:
    """Out-of-fold probability for every candidate row (None for the others)."""
    probs: list[float | None] = [None] * len(rows)
    for k in range(folds):
        model = train([r for r in rows if fold_of(r["doc"], folds) != k], l2, chrome_weight)
        for n, r in enumerate(rows):
            if r["candidate"] and fold_of(r["doc"], folds) == k:
                probs[n] = model.score(r["x"])
    return probs


def figures(rows: list[dict], stripped: list[bool]) -> dict:
    chrome = [s for r, s in zip(rows, stripped) if r["label"] == "chrome"]
    content = [s for r, s in zip(rows, stripped) if r["label"] == "content"]
    return {"chrome_recall": round(sum(chrome) / max(1, len(chrome)), 4), "chrome": len(chrome),
            "chrome_stripped": sum(chrome), "content_kept": round(1 - sum(content) / max(1, len(content)), 4),
            "content": len(content), "content_lost": sum(content)}


def choose_threshold(rows: list[dict], probs: list[float | None], max_lost: int) -> float:
    """The lowest threshold whose model-only strips include at most ``max_lost`` content lines."""
    scored = sorted(((p, r["label"]) for r, p in zip(rows, probs) if p is not None), reverse=True)
    best = 1.0
    lost = 0
    for p, label in scored:
        if label == "content":
            lost += 1
            if lost > max_lost:
                break
        best = p
    return max(best, 0.5)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    ap.add_argument("--docs", type=Path, default=DEFAULT_DOCS)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--chrome-weight", type=float, default=1.0)
    ap.add_argument("--max-content-lost", type=int, default=2,
                    help="content lines the model may strip in cross-validation (default 2)")
    ap.add_argument("--skip-sample", action="append", default=[], metavar="PREFIX",
                    help="leave label rows whose sample starts with PREFIX out of training and CV")
    ap.add_argument("--show", type=int, default=0, help="print N model decisions of the CV (highest first)")
    args = ap.parse_args(argv)

    labels = [r for r in load_labels(args.labels)
              if not any(r.get("sample", "").startswith(p) for p in args.skip_sample)]
    docs = load_docs(args.docs, {(r["corpus"], r["doc_id"]) for r in labels})
    rows = build_rows(labels, docs)
    probs = cross_validate(rows, args.folds, args.l2, args.chrome_weight)
    threshold = choose_threshold(rows, probs, args.max_content_lost)
    rules = [r["rule"] is not None for r in rows]
    both = [s or (p is not None and p >= threshold) for s, p in zip(rules, probs)]
    cv = {"rules": figures(rows, rules), "rules_and_model": figures(rows, both)}
    print(f"{len(rows)} labelled lines, {sum(r['x'] is not None for r in rows)} short, "
          f"{sum(r['candidate'] for r in rows)} candidates; threshold {threshold:.3f}")
    for name, f in cv.items():
        print(f"  CV {name:16s} chrome recall {f['chrome_stripped']}/{f['chrome']} = {f['chrome_recall']:.3f}"
              f"   content kept {f['content'] - f['content_lost']}/{f['content']} = {f['content_kept']:.4f}")
    if args.show:
        decided = sorted(((p, n) for n, p in enumerate(probs) if p is not None), reverse=True)[:args.show]
        for p, n in decided:
            r = rows[n]
            print(f"  {p:.3f} {'*' if p >= threshold else ' '} {r['label']:7s} {r['kind']:14s} {r['doc']}  {r['text'][:80]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
