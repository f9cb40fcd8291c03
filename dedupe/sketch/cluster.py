"""From verified candidate pairs to duplicate clusters with exactly one survivor each.

Union-find closes transitively: A~B and B~C put A and C together although they
may share nothing, and long chains built that way have wiped out whole sources.
So after picking a cluster's survivor, every other member is verified against
*the survivor* itself; members that do not reach the threshold leave the cluster
and are clustered again among themselves (their own verified links only), until
every cluster is a survivor plus members that each verify against it.
"""
from __future__ import annotations

from typing import Callable, Iterable

import numpy as np

from .unionfind import UnionFind

Score = Callable[[int, int], float]


def survivor_key(policy: str, lengths: np.ndarray) -> Callable[[int], tuple]:
    """Sort key whose minimum is the survivor: ``first`` in input order, ``longest`` / ``shortest`` text (ties: first)."""
    if policy == "first":
        return lambda i: (i,)
    if policy == "longest":
        return lambda i: (-int(lengths[i]), i)
    if policy == "shortest":
        return lambda i: (int(lengths[i]), i)
    raise ValueError(f"unknown keep policy {policy!r}")


class Clusterer:
    """Verify candidate pairs, join them, split what does not verify against the survivor."""

    def __init__(self, n: int, score: Score, threshold: float, key: Callable[[int], tuple]) -> None:
        self.n, self.score, self.threshold, self.key = n, score, threshold, key
        self.edges: dict[tuple[int, int], float] = {}

    def _pair_score(self, a: int, b: int) -> float:
        pair = (a, b) if a < b else (b, a)
        s = self.edges.get(pair)
        if s is None:
            s = self.edges[pair] = self.score(*pair)
        return s

    def clusters(self, pairs: Iterable[int]) -> list[tuple[int, list[tuple[int, float]]]]:
        """``[(survivor, [(member, similarity to survivor), ...]), ...]`` ordered by first member."""
        linked: dict[int, list[int]] = {}
        uf = UnionFind(self.n)
        for code in pairs:
            a, b = int(code) >> 32, int(code) & 0xFFFFFFFF
            if self._pair_score(a, b) >= self.threshold:
                uf.union(a, b)
                linked.setdefault(a, []).append(b)
                linked.setdefault(b, []).append(a)
        out = []
        todo = sorted(uf.groups(sorted(linked)).values())
        while todo:
            members = todo.pop(0)
            done, rest = self._split(members)
            if done:
                out.append(done)
            todo.extend(_components(rest, linked))
        return sorted(out, key=lambda c: min([c[0]] + [m for m, _ in c[1]]))

    def _split(self, members: list[int]) -> tuple[tuple[int, list[tuple[int, float]]] | None, list[int]]:
        survivor = min(members, key=self.key)
        kept, failed = [], []
        for m in members:
            if m != survivor:
                s = self._pair_score(m, survivor)
                (kept if s >= self.threshold else failed).append((m, s))
        return ((survivor, kept) if kept else None), [m for m, _ in failed]


def _components(members: list[int], linked: dict[int, list[int]]) -> list[list[int]]:
    """Connected groups (size > 1) of ``members`` using only links between them."""
    inside = set(members)
    seen: set[int] = set()
    groups = []
    for start in members:
        if start in seen:
            continue
        stack, group = [start], []
        seen.add(start)
        while stack:
            x = stack.pop()
            group.append(x)
            for y in linked.get(x, ()):
                if y in inside and y not in seen:
                    seen.add(y)
                    stack.append(y)
        if len(group) > 1:
            groups.append(sorted(group))
    return groups
