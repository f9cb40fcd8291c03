"""Extra planted kind for the clitic option: the same article with proclitics detached.

    python -m benchmarks.neardup.clitic_variants --bench /tmp/neardup_bench --out /tmp/neardup_clitic

Copies the benchmark and appends, for the originals of the ``alef_hamza`` kind,
a variant in which half of the words starting with و ف ب ل (plus ال) are
written with the clitic detached (``والحكومة`` -> ``و الحكومة``). Readers treat
the two spellings as the same text; the frozen reference key does not, so these
pairs are added to truth.json with kind ``clitic_spacing`` and jaccard 1.0 (equal
by construction, like the orthographic kinds).
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

PREFIXES = ("وال", "فال", "بال", "و", "ف", "ب", "ل")


def detach(text: str, rng: random.Random) -> str:
    words = []
    for w in text.split(" "):
        for p in PREFIXES:
            if w.startswith(p) and len(w) > len(p) + 2 and rng.random() < 0.5:
                w = p[0] + " " + w[1:] if p.endswith("ال") else p + " " + w[len(p):]
                break
        words.append(w)
    return " ".join(words)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    bench, out = Path(args.bench), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    truth = json.loads((bench / "truth.json").read_text())
    originals = sorted({p["a"] for p in truth["pairs"] if p["kind"] == "alef_hamza"})
    rng = random.Random(args.seed)
    lines = (bench / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    texts = {json.loads(l)["id"]: json.loads(l)["text"] for l in lines}
    for orig in originals:
        vid = f"{orig}#clitic_spacing"
        lines.append(json.dumps({"id": vid, "text": detach(texts[orig], rng), "source": "planted"}, ensure_ascii=False))
        truth["docs"].append(vid)
        truth["pairs"].append({"a": orig, "b": vid, "jaccard": 1.0, "kind": "clitic_spacing"})
    (out / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "truth.json").write_text(json.dumps(truth))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
