"""Run arabic-dedupe under several settings on a benchmark and print one row per setting.

    python -m benchmarks.neardup.sweep --bench /tmp/neardup_bench --work /tmp/nd_sweep [--only NAME ...]

Each row: precision, recall overall / planted / natural, false positives, total
and near-step seconds (from stats.json). All rows run the same code one after
the other, so they are comparable with each other (not with rows from another
checkout: normalization changes move the figures).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from .evaluate import PLANTED_EXCLUDED, evaluate

SETTINGS = {
    "estimate@0.8 (old default)": ["--verify", "estimate", "--candidate-threshold", "0.8"],
    "estimate@0.8 256 perms": ["--verify", "estimate", "--candidate-threshold", "0.8", "--num-perm", "256"],
    "exact@0.8": ["--verify", "exact", "--candidate-threshold", "0.8"],
    "exact@0.7 (default)": [],
    "exact@0.6": ["--candidate-threshold", "0.6"],
    "exact@0.7 clitics": ["--clitics"],
    "exact@0.7 containment": ["--score", "containment"],
    "exact@0.7 ngram 3": ["--ngram", "3"],
    "clustered keep=first": ["--clusters"],
    "clustered disk 16 MB": ["--index", "disk", "--memory-mb", "16"],
    "clustered keep=longest": ["--keep", "longest"],
    "paragraph dedup": ["--paragraph-dedup"],
    "default, 2 workers": ["--workers", "2"],
}


def row(name: str, result: dict, stats: dict) -> str:
    pk = result["per_kind"]
    planted = [k for k in pk if k not in PLANTED_EXCLUDED]
    pos = sum(pk[k]["positives"] for k in planted)
    hit = sum(pk[k]["removed_correctly"] for k in planted)
    nat = pk.get("natural", {}).get("recall")
    return (f"| {name} | {result['precision']:.4f} | {result['recall']:.4f} | {hit / pos:.4f} | {nat} | "
            f"{result['false_positives']['total']} | {stats['seconds']:.2f} | {stats['step_seconds'].get('near', 0):.2f} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args(argv)
    bench, work = Path(args.bench), Path(args.work)
    truth = json.loads((bench / "truth.json").read_text())
    print("| setting | precision | recall | planted recall | natural recall | FP | seconds | near s |")
    print("|---|---|---|---|---|---|---|---|")
    for k, (name, flags) in enumerate(SETTINGS.items()):
        if args.only and name not in args.only:
            continue
        out = work / f"run{k:02d}"
        subprocess.run([sys.executable, "-m", "dedupe", "run", str(bench / "corpus.jsonl"), "-o", str(out),
                        "--overwrite", "--quiet", *flags], check=True)
        from .evaluate import load_removed
        result = evaluate(truth, load_removed(out))
        (out / "eval.json").write_text(json.dumps(result, indent=1))
        print(row(name, result, json.loads((out / "stats.json").read_text())), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
