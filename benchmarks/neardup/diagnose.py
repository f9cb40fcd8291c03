"""Explain a run's errors: for every false positive and missed positive, the true Jaccard involved.

    python -m benchmarks.neardup.diagnose --bench /tmp/neardup_bench --removed OUTDIR

False positives are listed with the true Jaccard between the removed document and
the survivor it names (`duplicate_of`); missed positives with their best true pair.
This separates estimation noise (true J just under the threshold) from key or
stripping differences (true J far from it).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from . import evaluate as ev
from .truth_key import jaccard, text_shingles


def removed_records(outdir: Path) -> dict[str, dict]:
    recs = {}
    for part in sorted((outdir / "removed").glob("part-*")):
        with ev._open_text(part) as fh:
            for line in fh:
                rec = json.loads(line)
                if rec.get("reason") in ev.DEDUP_REASONS:
                    recs[rec["id"]] = rec
    return recs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", required=True)
    ap.add_argument("--removed", required=True)
    ap.add_argument("--threshold", type=float, default=0.8)
    args = ap.parse_args(argv)
    bench = Path(args.bench)
    truth = json.loads((bench / "truth.json").read_text())
    texts = {}
    with open(bench / "corpus.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            texts[r["id"]] = r["text"]
    recs = removed_records(Path(args.removed))
    root_of = ev.clusters(truth["pairs"], args.threshold)
    correct = ev.correct_removals(set(recs), root_of)
    print("false positives: id | duplicate_of | reported sim | true J with it")
    for d in sorted(set(recs) - correct):
        r = recs[d]
        j = jaccard(text_shingles(texts[d]), text_shingles(texts[r["duplicate_of"]])) if r["duplicate_of"] in texts else None
        print(f"  {d} | {r['duplicate_of']} | {r['similarity']} | {j if j is None else round(j, 4)}")
    positives = set().union(*ev.kind_positives(truth["pairs"], args.threshold).values())
    best: dict[str, dict] = {}
    for p in truth["pairs"]:
        if p["b"] in positives and p["jaccard"] >= best.get(p["b"], {"jaccard": -1})["jaccard"]:
            best[p["b"]] = p
    print("missed positives: id | kind | best true J")
    for d in sorted(positives - correct):
        p = best.get(d, {})
        print(f"  {d} | {p.get('kind')} | {p.get('jaccard')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
