"""Score a dedup run against the benchmark's truth.json.

    python -m benchmarks.neardup.evaluate --truth DIR/truth.json --removed removed.json|OUTDIR [--threshold 0.8]
        [--truth-stripped DIR/truth_stripped.json | --no-stripped] [--json-out result.json]

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

Two truth definitions, scored side by side when DIR/truth_stripped.json exists
(or `--truth-stripped PATH`; `--no-stripped` for the raw one only):
* "raw" (truth.json): the Jaccard above on the RAW text, site chrome included. Frozen.
* "stripped" (truth_stripped.json, `stripped_truth.py`): the same Jaccard on the
  text the dedup stage compares, i.e. after dedupe's own clean + chrome stripping +
  in-document repeat removal. Caveat (circular): it trusts our stripper, so a
  stripper error can hide a false positive; the removals that are correct only
  under it are listed, and a warning is printed when the stripping code changed
  since it was computed.
Natural figures count non-planted documents (natural precision = correct / removed
non-planted documents; natural recall = positives of kinds natural + exact); planted
figures count the variants.

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
    natural_positives = set().union(*(positives_by_kind.get(k, set()) for k in ("natural", "exact")))
    natural_positives -= {d for d in natural_positives if "#" in d}
    planted_removed = removed - natural_removed
    planted_positives = set().union(*(v for k, v in positives_by_kind.items() if k not in PLANTED_EXCLUDED))
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
        "natural_correct": len(natural_removed & correct),
        "natural_precision": natural_precision,
        "natural_positives": len(natural_positives),
        "natural_true_positives": len(natural_positives & correct),
        "natural_recall": _ratio(len(natural_positives & correct), len(natural_positives)),
        "planted_removed": len(planted_removed),
        "planted_correct": len(planted_removed & correct),
        "planted_precision": _ratio(len(planted_removed & correct), len(planted_removed)),
        "planted_positives": len(planted_positives),
        "planted_true_positives": len(planted_positives & correct),
        "planted_recall": _ratio(len(planted_positives & correct), len(planted_positives)),
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


#: Rows of the side-by-side table: (label, numerator key, denominator key, ratio key).
COMPARE_ROWS = (
    ("natural precision", "natural_correct", "natural_removed", "natural_precision"),
    ("natural recall (natural+exact)", "natural_true_positives", "natural_positives", "natural_recall"),
    ("planted precision", "planted_correct", "planted_removed", "planted_precision"),
    ("planted recall", "planted_true_positives", "planted_positives", "planted_recall"),
    ("overall precision", "correct_removals", "removed", "precision"),
    ("overall recall", "true_positives", "positives", "recall"),
)


def correct_set(truth: dict, removed_ids: set[str], threshold: float = 0.8) -> set[str]:
    """The removals `evaluate` counts as correct under `truth`."""
    removed = set(removed_ids) & set(truth["docs"])
    return correct_removals(removed, clusters(truth["pairs"], threshold))


def format_compare(results: dict[str, dict]) -> str:
    """The headline figures of several truth definitions side by side ("correct/total = ratio")."""
    names = list(results)
    width = max(14, *(len(n) + 2 for n in names))
    lines = [f"{'truth definition':32s}" + "".join(f"{n:>{width + 8}s}" for n in names)]
    for label, num, den, ratio in COMPARE_ROWS:
        cells = []
        for n in names:
            r = results[n]
            val = "-" if r[ratio] is None else f"{r[ratio]:.4f}"
            cell = f"{r[num]}/{r[den]} = {val}"
            cells.append(f"{cell:>{width + 8}s}")
        lines.append(f"{label:32s}" + "".join(cells))
    cells = []
    for n in names:
        k = results[n]["per_kind"].get("natural", {})
        val = "-" if k.get("recall") is None else f"{k['recall']:.4f}"
        cell = f"{k.get('removed_correctly', 0)}/{k.get('positives', 0)} = {val}"
        cells.append(f"{cell:>{width + 8}s}")
    lines.append(f"{'natural-kind recall':32s}" + "".join(cells))
    return "\n".join(lines)


def stale_warning(stripped_truth: dict) -> str | None:
    """A warning line when the stripped truth was computed with other stripping code than the current one."""
    from .stripped_truth import stripper_digest

    saved = stripped_truth.get("params", {}).get("stripper_digest")
    if saved and saved != stripper_digest():
        return ("warning: the stripped truth was computed with other dedupe/text, steps/local.py or config.py "
                "code than the current checkout; recompute it: python -m benchmarks.neardup.stripped_truth --bench DIR")
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--truth", required=True, help="truth.json from make_bench (the raw-text truth)")
    ap.add_argument("--truth-stripped",
                    help="second truth, on the text after our per-document stage (default: truth_stripped.json "
                         "beside --truth, when it exists; see stripped_truth.py)")
    ap.add_argument("--no-stripped", action="store_true", help="score against the raw truth only")
    ap.add_argument("--removed", required=True,
                    help='JSON {"removed_ids": [...]} or a dedupe output dir with removed/part-*.jsonl*')
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--json-out", help="also write the full result as JSON here (raw truth at the top level, "
                                       "the stripped truth's result under \"stripped\")")
    args = ap.parse_args(argv)
    with open(args.truth, encoding="utf-8") as fh:
        truth = json.load(fh)
    stripped_path = None
    if not args.no_stripped:
        stripped_path = Path(args.truth_stripped) if args.truth_stripped else Path(args.truth).with_name(
            "truth_stripped.json")
        if not stripped_path.is_file():
            if args.truth_stripped:
                raise FileNotFoundError(stripped_path)
            stripped_path = None
    removed = load_removed(args.removed)
    result = evaluate(truth, removed, args.threshold)
    if stripped_path is None:
        print(format_table(result))
    else:
        from .stripped_truth import CAVEAT

        with open(stripped_path, encoding="utf-8") as fh:
            stripped_truth = json.load(fh)
        stripped = evaluate(stripped_truth, removed, args.threshold)
        ok_raw = correct_set(truth, removed, args.threshold)
        ok_stripped = correct_set(stripped_truth, removed, args.threshold)
        only_stripped = sorted(ok_stripped - ok_raw)
        only_raw = sorted(ok_raw - ok_stripped)
        stripped["correct_only_under_stripped"] = only_stripped
        stripped["correct_only_under_raw"] = only_raw
        stripped["caveat"] = CAVEAT
        result["stripped"] = stripped
        print("== truth 'raw' (truth.json: exact shingle Jaccard of the raw text, chrome included)")
        print(format_table(result))
        print(f"\n== truth 'stripped' ({stripped_path.name}: same Jaccard on the text after dedupe's "
              "clean + chrome stripping + in-document repeats)")
        print(format_table(stripped))
        print("\n== side by side")
        print(format_compare({"raw": result, "stripped": stripped}))
        print(f"removals correct only under 'stripped': {len(only_stripped)}"
              + (f" ({', '.join(only_stripped[:10])}{' ...' if len(only_stripped) > 10 else ''})"
                 if only_stripped else ""))
        print(f"removals correct only under 'raw': {len(only_raw)}"
              + (f" ({', '.join(only_raw[:10])}{' ...' if len(only_raw) > 10 else ''})" if only_raw else ""))
        print(CAVEAT)
        warning = stale_warning(stripped_truth)
        if warning:
            print(warning)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as fh:
            json.dump(result, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
