"""Score a dedup run against the benchmark's truth.json.

    python -m benchmarks.neardup.evaluate --truth DIR/truth.json --removed removed.json|OUTDIR [--threshold 0.8]

Definitions (threshold t, default 0.8, applied to the TRUE Jaccard of word 5-gram
shingles of the reference match key, see `truth_key`):

* A "true pair" is a pair in truth.json with jaccard >= t. The true-duplicate
  CLUSTERS are the connected components of the true pairs. A document "has a true
  near-duplicate" iff it is in some true pair.
* A removal of d is CORRECT iff d has a true near-duplicate and at least one OTHER
  member of d's cluster survives (is not removed). So removing a doc with no true
  duplicate (including one whose best pair is only 0.5 <= J < t) is a false
  positive, and removing a whole cluster makes every removal in it wrong (the
  content is lost).
* Precision = correct removals / all removals of corpus documents. Removed ids that
  are not in the corpus are reported (`unknown_removed`) and ignored.
* Positives (what a perfect "first seen survives" deduper removes): every planted
  variant whose (original, variant) jaccard >= t, and every document that is the
  LATER member, in corpus order, of a true pair. Recall = positives correctly
  removed / positives.
* Per kind: a planted kind's positives are its variants with pair jaccard >= t;
  for `natural`, `exact` and `derived` they are the later members of true pairs of
  that kind (a doc can count for several kinds). Each kind also reports its number
  of pairs, how many reach t, and the mean/min/max true jaccard - some planted kinds
  (few_words, truncate...) often fall below t and are then not expected to go.
  `originals_removed` counts planted originals removed while their variant was
  kept: correct by the cluster rule, but the wrong member of the pair was kept.

Removal inputs:
* a JSON file `{"removed_ids": [...]}` (what peer runners produce), or a bare list;
* a dedupe output directory: `OUTDIR/removed/part-*.jsonl[.gz|.zst]` (or the
  `removed/` directory itself), records `{"id", "reason", "duplicate_of", ...}`;
  only reasons `exact_duplicate` and `near_duplicate` count as dedup removals
  (documents dropped for boilerplate, length, language... are not dedup decisions).
"""

from __future__ import annotations

import argparse
import collections
import gzip
import io
import json
import statistics
import sys
from pathlib import Path

DEDUP_REASONS = {"exact_duplicate", "near_duplicate"}
PLANTED_EXCLUDED = {"natural", "exact", "derived"}


# -------------------------------------------------------------------------- inputs

def _open_text(path: Path):
    """Open .jsonl / .jsonl.gz / .jsonl.zst for text reading."""
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    if path.name.endswith(".zst"):
        import zstandard  # only needed for .zst outputs
        raw = open(path, "rb")
        return io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(raw), encoding="utf-8")
    return open(path, encoding="utf-8")


def removed_from_dir(path: Path) -> set[str]:
    """Ids removed for dedup reasons, from a dedupe OUTDIR (or its removed/ subdirectory)."""
    rdir = path / "removed" if (path / "removed").is_dir() else path
    parts = sorted(p for p in rdir.glob("part-*") if ".jsonl" in p.name)
    if not parts:
        raise FileNotFoundError(f"no part-*.jsonl[.gz|.zst] files under {rdir}")
    ids: set[str] = set()
    for part in parts:
        with _open_text(part) as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    if rec.get("reason") in DEDUP_REASONS:
                        ids.add(rec["id"])
    return ids


def load_removed(path: str | Path) -> set[str]:
    """Removed ids from a JSON file or a dedupe output directory (see module docstring)."""
    path = Path(path)
    if path.is_dir():
        return removed_from_dir(path)
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return set(data["removed_ids"] if isinstance(data, dict) else data)


# ----------------------------------------------------------------------- clusters

def clusters(pairs: list[dict], threshold: float) -> dict[str, str]:
    """{doc: cluster root} over pairs with jaccard >= threshold (union-find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        if p["jaccard"] >= threshold:
            ra, rb = find(p["a"]), find(p["b"])
            if ra != rb:
                parent[rb] = ra
    return {x: find(x) for x in parent}


def correct_removals(removed: set[str], root_of: dict[str, str]) -> set[str]:
    """Removed docs that have a true duplicate and whose cluster keeps at least one other member."""
    members: dict[str, list[str]] = collections.defaultdict(list)
    for doc, root in root_of.items():
        members[root].append(doc)
    survivors = {root: sum(m not in removed for m in ms) for root, ms in members.items()}
    # d is removed, so any survivor in its cluster is "another member".
    return {d for d in removed if d in root_of and survivors[root_of[d]] > 0}


# ------------------------------------------------------------------------- scoring

def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def kind_positives(pairs: list[dict], threshold: float) -> dict[str, set[str]]:
    """{kind: docs expected to be removed}: the later member (b) of each true pair of that kind.

    For planted pairs b is always the variant (variants follow their original)."""
    pos: dict[str, set[str]] = collections.defaultdict(set)
    for p in pairs:
        if p["jaccard"] >= threshold:
            pos[p["kind"]].add(p["b"])
    return pos


def kind_stats(pairs: list[dict], threshold: float) -> dict[str, dict]:
    """Per kind: number of pairs, how many reach the threshold, mean/min/max true jaccard."""
    by_kind: dict[str, list[float]] = collections.defaultdict(list)
    for p in pairs:
        by_kind[p["kind"]].append(p["jaccard"])
    return {k: {"pairs": len(js), "pairs_ge_threshold": sum(j >= threshold for j in js),
                "mean_jaccard": round(statistics.fmean(js), 4),
                "min_jaccard": round(min(js), 4), "max_jaccard": round(max(js), 4)}
            for k, js in by_kind.items()}


def evaluate(truth: dict, removed_ids: set[str], threshold: float = 0.8) -> dict:
    """Precision, recall (overall and per kind) of `removed_ids` against `truth` (see module doc)."""
    docs = set(truth["docs"])
    pairs = truth["pairs"]
    removed = set(removed_ids) & docs
    root_of = clusters(pairs, threshold)
    correct = correct_removals(removed, root_of)

    positives_by_kind = kind_positives(pairs, threshold)
    all_positives = set().union(*positives_by_kind.values()) if positives_by_kind else set()
    tp = all_positives & correct
    stats = kind_stats(pairs, threshold)
    per_kind = {}
    for kind in sorted(stats, key=lambda k: (k in PLANTED_EXCLUDED, k)):
        pos = positives_by_kind.get(kind, set())
        row = {**stats[kind], "positives": len(pos), "removed_correctly": len(pos & correct),
               "recall": _ratio(len(pos & correct), len(pos))}
        if kind not in PLANTED_EXCLUDED:
            kind_pairs = [p for p in pairs if p["kind"] == kind]
            row["variants_removed_below_threshold"] = sum(
                p["b"] in removed and p["jaccard"] < threshold for p in kind_pairs)
            row["originals_removed"] = sum(p["a"] in removed and p["b"] not in removed
                                           for p in kind_pairs)
        per_kind[kind] = row

    best = collections.defaultdict(float)
    for p in pairs:
        best[p["a"]] = max(best[p["a"]], p["jaccard"])
        best[p["b"]] = max(best[p["b"]], p["jaccard"])
    false_pos = removed - correct
    precision = _ratio(len(correct), len(removed))
    # natural documents: everything that is not a planted variant (planted ids are "<original>#<kind>")
    natural_removed = {d for d in removed if "#" not in d}
    natural_precision = _ratio(len(natural_removed & correct), len(natural_removed))
    recall = _ratio(len(tp), len(all_positives))
    f1 = (round(2 * precision * recall / (precision + recall), 4)
          if precision and recall else None)
    return {
        "threshold": threshold,
        "docs": len(docs),
        "removed": len(removed),
        "unknown_removed": len(set(removed_ids) - docs),
        "correct_removals": len(correct),
        "false_positives": {
            "total": len(false_pos),
            "no_pair_at_all": sum(d not in best for d in false_pos),
            "best_pair_below_threshold": sum(d in best and best[d] < threshold for d in false_pos),
            "whole_cluster_removed": sum(best.get(d, 0) >= threshold for d in false_pos),
        },
        "positives": len(all_positives),
        "true_positives": len(tp),
        "precision": precision,
        "natural_removed": len(natural_removed),
        "natural_precision": natural_precision,
        "recall": recall,
        "f1": f1,
        "per_kind": per_kind,
    }


# ---------------------------------------------------------------------------- CLI

def format_table(result: dict) -> str:
    """Human-readable summary: overall line, then one row per kind."""
    fp = result["false_positives"]
    lines = [
        f"threshold {result['threshold']}  docs {result['docs']}  removed {result['removed']}  "
        f"correct {result['correct_removals']}  positives {result['positives']}  "
        f"TP {result['true_positives']}",
        f"precision {result['precision']}  recall {result['recall']}  f1 {result['f1']}  "
        f"FP {fp['total']} (no pair {fp['no_pair_at_all']}, below thr "
        f"{fp['best_pair_below_threshold']}, whole cluster {fp['whole_cluster_removed']})"
        + (f"  unknown ids {result['unknown_removed']}" if result["unknown_removed"] else ""),
        f"natural (non-planted) documents removed {result['natural_removed']}, "
        f"precision {result['natural_precision']}",
        f"{'kind':20s} {'pairs':>5s} {'>=thr':>5s} {'meanJ':>6s} {'minJ':>6s} "
        f"{'pos':>4s} {'hit':>4s} {'recall':>6s} {'rm<thr':>6s} {'origRm':>6s}",
    ]
    for kind, r in result["per_kind"].items():
        rec = "-" if r["recall"] is None else f"{r['recall']:.3f}"
        lines.append(
            f"{kind:20s} {r['pairs']:5d} {r['pairs_ge_threshold']:5d} {r['mean_jaccard']:6.3f} "
            f"{r['min_jaccard']:6.3f} {r['positives']:4d} {r['removed_correctly']:4d} {rec:>6s} "
            f"{r.get('variants_removed_below_threshold', ''):>6} {r.get('originals_removed', ''):>6}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--truth", required=True, help="truth.json from make_bench")
    ap.add_argument("--removed", required=True,
                    help='JSON {"removed_ids": [...]} or a dedupe output dir with removed/part-*.jsonl*')
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--json-out", help="also write the full result as JSON here")
    args = ap.parse_args(argv)
    with open(args.truth, encoding="utf-8") as fh:
        truth = json.load(fh)
    result = evaluate(truth, load_removed(args.removed), args.threshold)
    print(format_table(result))
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as fh:
            json.dump(result, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
