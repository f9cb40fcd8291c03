"""Repeated paragraphs inside one document (an article pasted twice, a standfirst
that restates the lead, a headline printed again after the body).

A paragraph is a non-empty line. Exact repeats (same match key) keep their first
occurrence. Near repeats are found by word-bigram *containment*: when most of a
shorter paragraph's bigrams occur in a longer one *of similar length* (the shorter
has at least ``NEAR_LENGTH_SHARE`` of the longer's bigrams), the shorter is a
restatement and the longer survives, because it carries everything the shorter
says. A short paragraph whose words a much longer one happens to contain (a
letter's salutation after the sentence that names the addressee, a lead that a
concluding paragraph quotes) is not a repeat.

Which of the two goes: a later restatement goes; an earlier, shorter paragraph
goes for a fuller later one only when the fuller one follows it directly (a
standfirst over the first paragraph that restates it) or when it belongs to a
pasted block (a run, see below). An opinion piece's pull quote at the top, restated
in a later paragraph, is content and stays.

Only repeats that look like page assembly are dropped: a run of repeated
paragraphs of at least ``RUN_MIN_TOKENS`` tokens (a pasted block), a lone repeat within ``EDGE_ZONE`` paragraphs of
either end (a restated lead, a headline printed again, a standfirst), or a
repeat of the headline. A lone repeat in the middle is a refrain (a Quranic
verse such as Ar-Rahman's, a chorus, a poem's radif) and stays, and so does an exact
repeat at either end of a short line (under ``MIN_NEAR_TOKENS`` tokens) that the text has
``REFRAIN_COUNT`` times or more (a poem closing on its refrain, a chorus, the same
ingredient in two recipes), unless it repeats the first paragraph (a photo credit printed
over every picture, first one included). A long line three times is still page assembly:
AlMayadeen prints an opinion piece's lead at the top, as a pull quote and again at the end.
"""
from __future__ import annotations

from collections import Counter
from operator import attrgetter
from typing import Iterable, Sequence

from . import native

#: Paragraphs with fewer key tokens than this are only removed as exact repeats.
MIN_NEAR_TOKENS = 8
#: Share of the shorter paragraph's bigrams that must appear in the longer one.
NEAR_CONTAINMENT = 0.8
#: The shorter paragraph of a near repeat has at least this share of the longer one's distinct bigrams
#: (similar length): a short line whose words a long paragraph contains is not a restatement of it.
NEAR_LENGTH_SHARE = 0.5
#: Exact repeats shorter than this many key tokens are kept (refrains, "***").
MIN_EXACT_TOKENS = 2
#: Content paragraphs at each end of a document where a lone repeat is dropped.
EDGE_ZONE = 3
#: A run of consecutive repeats is a pasted block when it has this many key tokens; shorter runs (a pair of
#: refrain verses, as in Surah Ash-Shu'ara) stay.
RUN_MIN_TOKENS = 40
#: A short line the text has this many times or more is a refrain: its copy at either end stays (outside a
#: pasted block).
REFRAIN_COUNT = 3
#: A first paragraph of at most this many key tokens is a headline: its near repeats go anywhere. A longer
#: first paragraph (a lead) goes anywhere only as an exact repeat; a body paragraph restating it is content.
HEADLINE_TOKENS = 16


_BIGRAM_MIX = 0x9E3779B97F4A7C15


def may_repeat(line_tokens: Sequence[bytes]) -> bool:
    """False when ``repeated_paragraphs`` surely finds nothing: a cheap pre-check on packed token hashes.

    Most documents repeat nothing. A repeat needs two equal paragraphs, or two
    paragraphs of at least ``MIN_NEAR_TOKENS`` tokens where the smaller shares
    ``NEAR_CONTAINMENT`` of its bigrams with the other, hence with *some* other
    paragraph; that count is taken for every paragraph at once with numpy. (A near
    repeat must also be of similar length, ``NEAR_LENGTH_SHARE``: a further condition
    the pre-check leaves out, so it stays necessary.) A hash collision between
    bigrams of *different* paragraphs can only say True wrongly; one between two
    bigrams of the *same* paragraph merges them and can lower its shares, so in
    theory (odds about 2**-64 per pair of bigrams) it could say False wrongly. The C
    accelerator runs the same count (same bigram hashes) with a hash table.
    """
    if native.AVAILABLE:
        return native._native.may_repeat(list(line_tokens), MIN_NEAR_TOKENS, NEAR_CONTAINMENT)
    seen: set[bytes] = set()
    long: list[bytes] = []
    for toks in line_tokens:
        if toks:
            if toks in seen:
                return True
            seen.add(toks)
            if len(toks) >= 8 * MIN_NEAR_TOKENS:
                long.append(toks)
    if len(long) < 2:
        return False
    import numpy as np

    tokens = np.frombuffer(b"".join(long), dtype=np.uint64)
    sizes = np.fromiter((len(t) >> 3 for t in long), dtype=np.int64, count=len(long))
    grams = tokens[:-1] * np.uint64(_BIGRAM_MIX) + tokens[1:]
    keep = np.ones(len(grams), dtype=bool)
    keep[np.cumsum(sizes)[:-1] - 1] = False  # bigrams across a paragraph boundary
    para = np.repeat(np.arange(len(long)), sizes - 1)
    grams = grams[keep]
    order = np.lexsort((para, grams))
    grams, para = grams[order], para[order]
    first = np.ones(len(grams), dtype=bool)
    first[1:] = (grams[1:] != grams[:-1]) | (para[1:] != para[:-1])
    grams, para = grams[first], para[first]  # each paragraph's distinct bigrams
    new_gram = np.ones(len(grams), dtype=bool)
    new_gram[1:] = grams[1:] != grams[:-1]
    group = np.cumsum(new_gram) - 1
    shared = np.bincount(group)[group] >= 2  # the bigram is in another paragraph too
    n_shared = np.bincount(para[shared], minlength=len(long))
    n_distinct = np.bincount(para, minlength=len(long))
    return bool(np.any(n_shared >= NEAR_CONTAINMENT * n_distinct))


def _bigrams(tokens: Sequence[str]) -> frozenset[tuple[str, str]]:
    return frozenset(zip(tokens, tokens[1:]))


def repeated_paragraphs(keys: Sequence[Sequence[str]]) -> dict[int, tuple[str, int]]:
    """Find in-document repeats from each paragraph's match-key tokens.

    Returns ``{index: (reason, index_of_the_paragraph_it_repeats)}`` for every
    paragraph to drop; reasons are ``"repeat"`` and ``"near_repeat"``. Keys may be any
    sequences of tokens; packed uint64 token hashes as ``shingle.unpack`` gives them let the
    C accelerator find the near repeats (``_PairedParagraphs``, same answer).

    >>> repeated_paragraphs([["a", "b"], ["c", "d"], ["a", "b"]])
    {2: ('repeat', 0)}
    """
    dropped: dict[int, tuple[str, int]] = {}
    order = [i for i, toks in enumerate(keys) if toks]  # the non-empty paragraphs
    if len(order) < 2:
        return dropped
    packed = _packed(keys)
    first_seen: dict[tuple | bytes, int] = {}
    most = _PairedParagraphs.MAX_PARAGRAPHS  # (no count to take when there are not more keys than that)
    paired = packed and native.AVAILABLE and (len(keys) <= most or sum(len(t) >= MIN_NEAR_TOKENS for t in keys) <= most)
    live = _PairedParagraphs(keys) if paired else _LiveParagraphs(keys)
    in_block_only: set[int] = set()  # earlier paragraphs restated further down: dropped only inside a pasted block
    prev = -1  # the previous non-empty paragraph
    near_match, add = live.near_match, live.add
    for i in order:
        toks = keys[i]
        before, prev = prev, i
        key = toks.tobytes() if packed else tuple(toks)  # (equal bytes <=> equal tokens)
        if key in first_seen:
            if len(toks) >= MIN_EXACT_TOKENS:
                dropped[i] = ("repeat", first_seen[key])
            continue
        first_seen[key] = i
        if len(toks) < MIN_NEAR_TOKENS:
            continue
        match = near_match(i)
        if match is not None:
            if live.size(match) >= live.size(i):
                dropped[i] = ("near_repeat", match)
                continue
            # the newcomer is the fuller version: it replaces the earlier one right above it
            # (a standfirst); one further up only inside a pasted block, so it stays live
            if match == before:
                dropped[match] = ("near_repeat", i)
                live.remove(match)
            elif match not in dropped:
                dropped[match] = ("near_repeat", i)
                in_block_only.add(match)
        add(i)
    if not dropped:
        return dropped
    return dict(sorted(_assembly_repeats(dropped, keys, in_block_only, order).items()))


def _assembly_repeats(dropped: dict[int, tuple[str, int]], keys: Sequence[Sequence[str]],
                      in_block_only: set[int] = frozenset(),
                      order: list[int] | None = None) -> dict[int, tuple[str, int]]:
    """The repeats that page assembly made (see the module docstring); refrains are left out.

    ``in_block_only``: repeats that count only inside a pasted block (an earlier paragraph that a
    fuller one further down restates). ``order``: the indexes of the non-empty keys, when the
    caller has them."""
    if order is None:
        order = [i for i, toks in enumerate(keys) if toks]
    pos = {i: k for k, i in enumerate(order)}
    last = len(order) - EDGE_ZONE
    in_run: set[int] = set()
    run: list[int] = []
    for i in order + [-1]:  # -1 closes the last run
        if i in dropped:
            run.append(i)
            continue
        if len(run) >= 2 and sum(len(keys[j]) for j in run) >= RUN_MIN_TOKENS:
            in_run.update(run)
        run = []
    # the first paragraph is a headline when it is short; a longer one (a lead, AlMayadeen's description)
    # may be restated by a body paragraph, which is content
    headline = order[0] if len(keys[order[0]]) <= HEADLINE_TOKENS else None
    # an exact repeat names the first occurrence of its line: copies of one line share it
    short = [i for i, why in dropped.items() if why[0] == "repeat" and len(keys[i]) < MIN_NEAR_TOKENS]
    refrain: set[int] = set()
    if short:  # (most documents have none: no count to take)
        copies = Counter([why[1] for why in dropped.values() if why[0] == "repeat"])
        refrain = {i for i in short  # dropped copies of a short line the text has REFRAIN_COUNT times or more
                   if copies[dropped[i][1]] + 1 >= REFRAIN_COUNT}
    return {i: why for i, why in dropped.items()
            if i in in_run or (i not in in_block_only
                               and ((pos[i] < EDGE_ZONE or pos[i] >= last) and i not in refrain
                                    or why[1] == headline or (why[0] == "repeat" and why[1] == order[0])))}


def _most_shared_first(item: tuple[int, int]) -> tuple[int, int]:
    return -item[1], item[0]


def _most_shared(matches: Iterable[tuple[int, int]]) -> int | None:
    """Of ``(paragraph, shared bigrams)`` pairs, the paragraph sharing most (lowest index on ties); None if none."""
    best = min(matches, key=_most_shared_first, default=None)
    return None if best is None else best[0]


def _packed(keys: Sequence[Sequence]) -> bool:
    """Whether every key is packed uint64 token hashes (a ``shingle.unpack`` memoryview)."""
    # (map runs the loops in C; the formats are read only once every key is a memoryview)
    return set(map(type, keys)) <= {memoryview} and set(map(_format, keys)) <= {"Q"}


_format = attrgetter("format")


class _LiveParagraphs:
    """Bigram sets of the paragraphs that still stand, and the near-match query over them.

    ``near_match(i)`` looks at paragraph ``i`` of ``keys`` (its bigrams are kept for
    ``size`` and ``add``); ``add(i)`` makes it live, ``remove(j)`` takes it out again.

    Most documents have a few paragraphs: one C-level set intersection per
    paragraph is then much cheaper than a bigram -> paragraphs index built and
    counted in Python. Past ``INDEX_AT`` live paragraphs (books, long threads)
    the index is built, so the cost stays linear instead of quadratic. Both give
    the same answer.
    """

    INDEX_AT = 64

    def __init__(self, keys: Sequence[Sequence]) -> None:
        self.keys = keys
        self.seen: dict[int, frozenset] = {}  # the bigrams of every paragraph near_match looked at
        self.grams: dict[int, frozenset] = {}  # ... of the live ones
        self.index: dict | None = None

    def _grams_of(self, i: int) -> frozenset:
        mine = self.seen.get(i)
        if mine is None:
            mine = self.seen[i] = _bigrams(self.keys[i])
        return mine

    def size(self, i: int) -> int:
        """Distinct bigrams of paragraph ``i``."""
        return len(self._grams_of(i))

    def add(self, i: int) -> None:
        mine = self.grams[i] = self._grams_of(i)
        if self.index is not None:
            self._index(i, mine)
        elif len(self.grams) > self.INDEX_AT:
            self.index = {}
            for j, theirs in self.grams.items():
                self._index(j, theirs)

    def _index(self, i: int, mine: frozenset) -> None:
        for g in mine:
            self.index.setdefault(g, []).append(i)

    def remove(self, j: int) -> None:
        theirs = self.grams.pop(j)
        if self.index is not None:
            for g in theirs:
                self.index[g].remove(j)

    def near_match(self, i: int) -> int | None:
        """Of the live paragraphs of similar length (``NEAR_LENGTH_SHARE``) that share at least
        ``NEAR_CONTAINMENT`` of the smaller one's bigrams with paragraph ``i``, the one sharing most
        (lowest index on ties); None if there is none."""
        mine = self._grams_of(i)
        counts = self._shared_indexed(mine) if self.index is not None else self._shared_direct(mine)
        matches = []
        for j, n in counts.items():
            small, large = sorted((len(mine), len(self.grams[j])))
            if n >= NEAR_CONTAINMENT * small and small >= NEAR_LENGTH_SHARE * large:
                matches.append((j, n))
        return _most_shared(matches)

    def _shared_direct(self, mine: frozenset) -> dict[int, int]:
        # only paragraphs of similar length can match (near_match's NEAR_LENGTH_SHARE test): skip the others
        n = len(mine)
        low, high = NEAR_LENGTH_SHARE * n, n / NEAR_LENGTH_SHARE
        shared = {}
        for j, theirs in self.grams.items():
            if low <= len(theirs) <= high:
                k = len(mine & theirs)
                if k:
                    shared[j] = k
        return shared

    def _shared_indexed(self, mine: frozenset) -> Counter[int]:
        counts: Counter[int] = Counter()
        for g in mine:
            for j in self.index.get(g, ()):
                counts[j] += 1
        return counts


class _PairedParagraphs:
    """``_LiveParagraphs`` for packed token hashes, with the C accelerator.

    Whether two paragraphs near-match depends on their bigrams only, not on what
    else is live: ``_native.near_pairs`` finds every matching pair of paragraphs
    (``MIN_NEAR_TOKENS`` tokens or more) in one pass over a bigram index, with
    the number of bigrams they share; a query only picks among the live ones.

    Listing every pair up front costs up to the square of the paragraph count
    (a page of 5,000 near-identical lines: 12.5 million pairs, 4 s and 1.2 GB),
    while the sequential search drops most of them before they are ever live; so
    documents with more than ``MAX_PARAGRAPHS`` long paragraphs take ``_LiveParagraphs``.
    """

    MAX_PARAGRAPHS = 256

    def __init__(self, keys: Sequence[memoryview]) -> None:
        self.sizes, self.pairs = native._native.near_pairs(list(keys), MIN_NEAR_TOKENS, NEAR_CONTAINMENT,
                                                           NEAR_LENGTH_SHARE)
        self.live: set[int] = set()

    def size(self, i: int) -> int:
        return self.sizes[i]

    def add(self, i: int) -> None:
        self.live.add(i)

    def remove(self, j: int) -> None:
        self.live.remove(j)

    def near_match(self, i: int) -> int | None:
        """As ``_LiveParagraphs.near_match``."""
        pairs = self.pairs.get(i)
        if not pairs:  # (most paragraphs match none)
            return None
        live = self.live
        return _most_shared([(j, n) for j, n in pairs if j in live])


def extend_runs_to_short_repeats(line_tokens: Sequence[bytes], drop: dict[int, str]) -> None:
    """Add to ``drop`` every exact repeat next to a dropped repeat, short ones included.

    ``repeated_paragraphs`` ignores one-token repeats; next to a dropped repeat such a
    line (``'العناوين:'`` heading a repeated bulletin) is part of the repeated block.
    ``line_tokens`` are packed token hashes per line (empty for blank or already
    dropped lines); ``drop`` maps line index to reason.
    """
    first: dict[bytes, int] = {}
    repeats = []
    for i, toks in enumerate(line_tokens):
        if toks and i not in drop:
            if toks in first:
                repeats.append(i)
            else:
                first[toks] = i
    filled = [i for i, t in enumerate(line_tokens) if t or i in drop]
    pos = {i: k for k, i in enumerate(filled)}
    changed = True
    while changed:
        changed = False
        for i in repeats:
            if i in drop:
                continue
            k = pos[i]
            near = [filled[j] for j in (k - 1, k + 1) if 0 <= j < len(filled)]
            if any(drop.get(j) in ("repeat", "near_repeat") for j in near):
                drop[i] = "repeat"
                changed = True
