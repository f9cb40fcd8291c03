"""Union-find over integer ids 0..n-1 (path halving, union by smaller root so the root is the lowest id)."""
from __future__ import annotations

import numpy as np


class UnionFind:
    """Disjoint sets; the representative of a set is its smallest member, so results do not depend on pair order."""

    def __init__(self, n: int) -> None:
        self.parent = np.arange(n, dtype=np.int64)

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = int(parent[x])
        return int(x)

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self.parent[hi] = lo

    def groups(self, members: list[int] | None = None) -> dict[int, list[int]]:
        """{root: sorted members} for sets with more than one member (among ``members`` if given)."""
        out: dict[int, list[int]] = {}
        for x in (range(len(self.parent)) if members is None else members):
            out.setdefault(self.find(x), []).append(x)
        return {r: sorted(m) for r, m in out.items() if len(m) > 1}
