"""Repeated paragraphs inside one document (an article pasted twice, a standfirst
that restates the lead, a headline printed again after the body).

A paragraph is a non-empty line. Exact repeats (same match key) keep their first
occurrence. Near repeats are found by word-bigram *containment*: when most of a
shorter paragraph's bigrams occur in a longer one, the shorter is a restatement
and the longer survives, because it carries everything the shorter says.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

#: Paragraphs with fewer key tokens than this are only removed as exact repeats.
MIN_NEAR_TOKENS = 8
#: Share of the shorter paragraph's bigrams that must appear in the longer one.
NEAR_CONTAINMENT = 0.8
#: Exact repeats shorter than this many key tokens are kept (refrains, "***").
MIN_EXACT_TOKENS = 2


def _bigrams(tokens: Sequence[str]) -> frozenset[tuple[str, str]]:
    return frozenset(zip(tokens, tokens[1:]))


def repeated_paragraphs(keys: Sequence[Sequence[str]]) -> dict[int, tuple[str, int]]:
    """Find in-document repeats from each paragraph's match-key tokens.

    Returns ``{index: (reason, index_of_the_paragraph_it_repeats)}`` for every
    paragraph to drop; reasons are ``"repeat"`` and ``"near_repeat"``.

    >>> repeated_paragraphs([["a", "b"], ["c", "d"], ["a", "b"]])
    {2: ('repeat', 0)}
    """
    dropped: dict[int, tuple[str, int]] = {}
    if sum(1 for toks in keys if toks) < 2:
        return dropped
    first_seen: dict[tuple[str, ...], int] = {}
    grams: dict[int, frozenset] = {}
    index: dict[tuple[str, str], list[int]] = {}
    for i, toks in enumerate(keys):
        if not toks:
            continue
        key = tuple(toks)
        if key in first_seen:
            if len(toks) >= MIN_EXACT_TOKENS:
                dropped[i] = ("repeat", first_seen[key])
            continue
        first_seen[key] = i
        if len(toks) < MIN_NEAR_TOKENS:
            continue
        mine = _bigrams(toks)
        match = _near_match(mine, grams, index)
        if match is not None:
            if len(grams[match]) >= len(mine):
                dropped[i] = ("near_repeat", match)
                continue
            # the newcomer is the fuller version: it replaces the earlier one
            dropped[match] = ("near_repeat", i)
            _unindex(match, grams, index)
        grams[i] = mine
        for g in mine:
            index.setdefault(g, []).append(i)
    return dict(sorted(dropped.items()))


def _near_match(mine: frozenset, grams: dict[int, frozenset], index: dict) -> int | None:
    counts: Counter[int] = Counter()
    for g in mine:
        for j in index.get(g, ()):
            counts[j] += 1
    for j, shared in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        smaller = min(len(mine), len(grams[j]))
        if shared >= NEAR_CONTAINMENT * smaller:
            return j
        break
    return None


def _unindex(j: int, grams: dict[int, frozenset], index: dict) -> None:
    for g in grams.pop(j):
        index[g].remove(j)
