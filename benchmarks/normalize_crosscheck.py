"""Where our match key agrees with PyArabic (and CAMeL Tools) on real text, and where not.

    python benchmarks/normalize_crosscheck.py [--corpora ../shared/corpora] [--camel-python PATH]
        [--max-docs 3000] [--out normalize_crosscheck.json]

Compared per distinct cleaned word (weighted by its count), on Arabic-letter words only
(punctuation is not what the peers normalize):
- dediacritization: our ``diacritics`` step alone vs PyArabic ``strip_diacritics`` vs CAMeL ``dediac_ar``;
- normalization: our letter steps (diacritics, alef, alef_maksura, teh_marbuta, hamza_on_waw,
  hamza_on_yeh, persian_letters) vs PyArabic strip_diacritics + normalize_hamza(tasheel) +
  normalize_alef + normalize_teh + ى->ي, and vs CAMeL normalize_unicode + dediac_ar +
  normalize_alef_ar + normalize_alef_maksura_ar + normalize_teh_marbuta_ar.
CAMeL Tools is optional (``--camel-python`` names a Python that has it, e.g. a throwaway venv);
it runs in a subprocess so it never becomes a dependency. Disagreements are grouped by the
character pairs that differ, with examples.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dedupe.text import chardata as cd  # noqa: E402
from dedupe.text.normalize import KeyOptions, clean  # noqa: E402

CORPORA = ("saudinewsnet", "almayadeen", "classical_diacritized", "quran")
LETTER_STEPS = ("diacritics", "alef", "alef_maksura", "teh_marbuta", "hamza_on_waw", "hamza_on_yeh", "persian_letters")
OURS = {"dediac": KeyOptions(unify=("diacritics",)), "normalize": KeyOptions(unify=LETTER_STEPS)}

CAMEL_SCRIPT = """
import json, sys
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (normalize_unicode, normalize_alef_ar,
    normalize_alef_maksura_ar, normalize_teh_marbuta_ar)
words = json.load(sys.stdin)
out = {"dediac": [dediac_ar(w) for w in words],
       "normalize": [normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(
           dediac_ar(normalize_unicode(w))))) for w in words]}
json.dump(out, sys.stdout, ensure_ascii=False)
"""


def pyarabic(words: list[str]) -> dict[str, list[str]]:
    import pyarabic.araby as ar

    def norm(w: str) -> str:
        w = ar.normalize_hamza(ar.strip_diacritics(w), method="tasheel")
        return ar.normalize_teh(ar.normalize_alef(w)).replace(ar.ALEF_MAKSURA, ar.YEH)

    return {"dediac": [ar.strip_diacritics(w) for w in words], "normalize": [norm(w) for w in words]}


def camel(words: list[str], python: str) -> dict[str, list[str]]:
    res = subprocess.run([python, "-c", CAMEL_SCRIPT], input=json.dumps(words, ensure_ascii=False),
                         capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


def word_counts(path: Path, max_docs: int) -> collections.Counter:
    counts: collections.Counter = collections.Counter()
    letters_only = cd.ARABIC_LETTER
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= max_docs:
                break
            for w in clean(json.loads(line)["text"]).split():
                core = "".join(c for c in w if letters_only.match(c) or c in cd.DIACRITICS or c == "ء")
                if core and core == w:
                    counts[w] += 1
    return counts


def diff_pairs(a: str, b: str) -> str:
    """A label for how two outputs differ: the characters only one side has."""
    ca, cb = collections.Counter(a), collections.Counter(b)
    only_a = "".join(sorted((ca - cb).elements()))
    only_b = "".join(sorted((cb - ca).elements()))
    fmt = lambda s: " ".join(f"{c}U+{ord(c):04X}" for c in dict.fromkeys(s)) or "-"
    return f"ours {fmt(only_a)} / peer {fmt(only_b)}"


def compare(counts: collections.Counter, peer: dict[str, list[str]], words: list[str]) -> dict:
    total = sum(counts.values())
    out = {}
    for task, opts in OURS.items():
        agree = 0
        groups: dict[str, list] = collections.defaultdict(lambda: [0, []])
        for w, theirs in zip(words, peer[task]):
            mine = opts.key_of_clean(w)
            if mine == theirs:
                agree += counts[w]
                continue
            g = groups[diff_pairs(mine, theirs)]
            g[0] += counts[w]
            if len(g[1]) < 3:
                g[1].append(f"{w} -> ours {mine} / peer {theirs}")
        top = sorted(groups.items(), key=lambda kv: -kv[1][0])[:8]
        out[task] = {"agree_pct": round(100 * agree / total, 2),
                     "differences": [{"how": k, "tokens": v[0], "examples": v[1]} for k, v in top]}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--camel-python", default=None)
    ap.add_argument("--max-docs", type=int, default=3000)
    ap.add_argument("--out", type=Path, default=Path("normalize_crosscheck.json"))
    args = ap.parse_args()
    report = {}
    for name in CORPORA:
        path = args.corpora / f"{name}.jsonl.gz"
        if not path.exists():
            continue
        counts = word_counts(path, args.max_docs)
        words = list(counts)
        entry = {"tokens": sum(counts.values()), "distinct": len(words), "pyarabic": compare(counts, pyarabic(words), words)}
        if args.camel_python:
            entry["camel"] = compare(counts, camel(words, args.camel_python), words)
        report[name] = entry
        line = f"{name:24s} tokens {entry['tokens']:>8d}"
        for peer in ("pyarabic", "camel"):
            if peer in entry:
                line += f"  {peer}: dediac {entry[peer]['dediac']['agree_pct']:6.2f}%  normalize {entry[peer]['normalize']['agree_pct']:6.2f}%"
        print(line)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    print(f"details (differences with examples): {args.out}")


if __name__ == "__main__":
    main()
