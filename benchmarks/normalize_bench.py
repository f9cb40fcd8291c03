"""MB/s of clean() and match_key() on the real corpora, side by side with PyArabic.

    python benchmarks/normalize_bench.py [--corpora ../shared/corpora] [--out normalize_bench.json]

The PyArabic chains are the closest equivalents PyArabic offers:
- clean ~ strip_tatweel + normalize_ligature (PyArabic's only presentation-form handling);
- key   ~ strip_diacritics + strip_tatweel + normalize_ligature + normalize_hamza(tasheel)
          + normalize_alef + normalize_teh + alef maksura -> yeh.
Timings are one pass over each corpus (texts already decoded), best of --repeat.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dedupe.text.normalize import clean, match_key  # noqa: E402

CORPORA = ("saudinewsnet", "almayadeen", "classical_diacritized", "quran", "persian", "urdu_news")


def pyarabic_chains() -> dict[str, Callable[[str], str]]:
    import pyarabic.araby as ar

    def pa_clean(t: str) -> str:
        return ar.normalize_ligature(ar.strip_tatweel(t))

    def pa_key(t: str) -> str:
        t = ar.normalize_ligature(ar.strip_tatweel(ar.strip_diacritics(t)))
        t = ar.normalize_teh(ar.normalize_alef(ar.normalize_hamza(t, method="tasheel")))
        return t.replace(ar.ALEF_MAKSURA, ar.YEH)

    return {"pyarabic_clean": pa_clean, "pyarabic_key": pa_key}


def load(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f]


def mb_per_s(fn: Callable[[str], str], texts: list[str], mb: float, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for t in texts:
            fn(t)
        best = min(best, time.perf_counter() - start)
    return mb / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--out", type=Path, default=Path("normalize_bench.json"))
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    fns = {"clean": clean, "match_key": match_key, **pyarabic_chains()}
    rows = []
    for name in CORPORA:
        path = args.corpora / f"{name}.jsonl.gz"
        if not path.exists():
            continue
        texts = load(path)
        mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        row = {"corpus": name, "docs": len(texts), "mb": round(mb, 2)}
        row.update({k: round(mb_per_s(f, texts, mb, args.repeat), 1) for k, f in fns.items()})
        row["clean_x"] = round(row["clean"] / row["pyarabic_clean"], 2)
        row["key_x"] = round(row["match_key"] / row["pyarabic_key"], 2)
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)
    args.out.write_text(json.dumps({"unit": "MB/s of UTF-8 input", "rows": rows}, indent=1))
    head = f"{'corpus':24s}{'MB':>7s}{'clean':>8s}{'pa_clean':>10s}{'x':>6s}{'key':>8s}{'pa_key':>8s}{'x':>6s}"
    print(head)
    for r in rows:
        print(f"{r['corpus']:24s}{r['mb']:7.1f}{r['clean']:8.1f}{r['pyarabic_clean']:10.1f}{r['clean_x']:6.2f}"
              f"{r['match_key']:8.1f}{r['pyarabic_key']:8.1f}{r['key_x']:6.2f}")


if __name__ == "__main__":
    main()
